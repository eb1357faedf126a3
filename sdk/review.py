"""Periodic review in bulk (定期复核): verify many households through one Client, a bounded number at a time.

``review`` reads cases lazily from an iterable or async iterable, keeps at
most ``concurrency`` verifications in flight and at most ``concurrency``
cases waiting, and yields one ReviewResult per household as each finishes.
A household that is rejected, times out or fails in any other way becomes a
``failed`` result; it never stops the run.

    async with Client(...) as client:
        async with contextlib.aclosing(review(client, cases, concurrency=16)) as results:
            async for result in results:
                ...

The input line format and the resumable results file are in
``hedui.sdk._review_input`` and ``hedui.sdk._review_results``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import logging
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Collection, Iterable, Sized
from typing import Any, Protocol

from hedui.gateway.errors import HeduiError, Reason, render
from hedui.gateway.timeutil import utcnow
from hedui.sdk.report import VerificationReport
from hedui.v1 import authorization_pb2
from hedui.v1 import common_pb2 as C

logger = logging.getLogger(__name__)

OK = "ok"
PARTIAL = "partial"
FAILED = "failed"
STATUSES = (OK, PARTIAL, FAILED)

# Source statuses that mean the department answered, with records or without.
_COMPLETE_SOURCE_STATUSES = frozenset({"ANSWERED", "NO_RECORD"})
_SOURCE_STATUS_NAMES = {
    "REFUSED": ("拒绝", "refused"),
    "TIMED_OUT": ("超时", "timed out"),
    "UNAVAILABLE": ("不可用", "unavailable"),
}


@dataclasses.dataclass(frozen=True)
class ReviewCase:
    """One household to re-check: its signed authorization and what to verify under it."""

    case_id: str
    authorization: authorization_pb2.SignedAuthorization
    members: tuple[str, ...]
    categories: tuple[int, ...]
    purpose: int = C.PURPOSE_PERIODIC_REVIEW
    case_reference: str = ""


@dataclasses.dataclass(frozen=True)
class ReviewResult:
    """The outcome of one household.

    ``status`` is ``ok`` when every source answered (with records or none),
    ``partial`` when the report arrived but a source refused, timed out or
    was unavailable, and ``failed`` when no verified report arrived. For a
    failed household ``reason`` is the reason code, for example
    ``AUTHORIZATION_EXPIRED`` or ``NODE_TIMEOUT``; ``message_zh`` and
    ``message_en`` describe a failed or partial household.
    """

    case_id: str
    status: str
    elapsed_ms: int
    finished_at: datetime.datetime
    report: VerificationReport | None = None
    reason: str = ""
    message_zh: str = ""
    message_en: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form written as one line of the results file."""
        return {
            "case_id": self.case_id,
            "status": self.status,
            "reason": self.reason,
            "message": self.message_zh,
            "message_en": self.message_en,
            "elapsed_ms": self.elapsed_ms,
            "finished_at": self.finished_at.isoformat(),
            "report": self.report.to_dict() if self.report is not None else None,
        }


@dataclasses.dataclass(frozen=True)
class ReviewProgress:
    """Counts of a review run so far.

    ``finished`` counts households verified in this run; ``skipped`` those
    passed over because ``done`` listed them. ``total`` is the number of
    cases including skipped ones, or None when the input's length is unknown.
    """

    finished: int
    ok: int
    partial: int
    failed: int
    skipped: int
    total: int | None
    elapsed_seconds: float

    @property
    def done(self) -> int:
        """Households finished in this run or an earlier one."""
        return self.finished + self.skipped

    @property
    def rate(self) -> float:
        """Households verified per second in this run."""
        return self.finished / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0


class Verifier(Protocol):
    """The part of a client that review() calls: a method with Client.verify's signature."""

    async def verify(self, authorization: authorization_pb2.SignedAuthorization, members: Iterable[str],
                     categories: Iterable[int], purpose: int, case_reference: str = "",
                     timeout: float = 15.0) -> VerificationReport: ...


ProgressCallback = Callable[[ReviewProgress], None]


class _Counter:
    """Running counts for ReviewProgress."""

    def __init__(self, total: int | None) -> None:
        self.counts = dict.fromkeys(STATUSES, 0)
        self.skipped = 0
        self.total = total
        self.started = time.monotonic()

    def snapshot(self) -> ReviewProgress:
        return ReviewProgress(
            finished=sum(self.counts.values()), ok=self.counts[OK], partial=self.counts[PARTIAL],
            failed=self.counts[FAILED], skipped=self.skipped, total=self.total,
            elapsed_seconds=time.monotonic() - self.started,
        )


# Marks the end of the case queue for one worker, and a worker's exit on the result queue.
_END = object()


async def review(client: Verifier, cases: Iterable[ReviewCase] | AsyncIterable[ReviewCase], *,
                 concurrency: int = 16, progress: ProgressCallback | None = None,
                 done: Collection[str] = frozenset(), total: int | None = None,
                 timeout: float = 15.0) -> AsyncIterator[ReviewResult]:
    """Verify each case with ``client`` and yield its result as soon as it finishes.

    Steps:

    1. A feeder task takes cases from ``cases`` one at a time, skips those
       whose case id is in ``done``, and puts the rest on a queue of at most
       ``concurrency`` cases, so a large input is never read whole.
    2. ``concurrency`` worker tasks each take a case, call
       ``client.verify`` with ``timeout`` seconds and turn the report or the
       error into a ReviewResult.
    3. Results come back through a second queue of at most ``concurrency``
       results, so a slow consumer also slows the workers down. Each result
       updates the counts, calls ``progress`` with them and is yielded.

    ``total`` defaults to ``len(cases)`` when ``cases`` has a length. When
    iterating ``cases`` raises (a bad input line, for example), no new case
    starts, the verifications in flight finish and are yielded, and then the
    error is raised. Closing the generator early cancels the verifications
    in flight; their households are not yielded.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    if total is None and isinstance(cases, Sized):
        total = len(cases)
    counter = _Counter(total)
    pending: asyncio.Queue[object] = asyncio.Queue(maxsize=concurrency)
    finished: asyncio.Queue[object] = asyncio.Queue(maxsize=concurrency)
    feed_errors: list[BaseException] = []

    async def feed() -> None:
        try:
            async for case in _iterate(cases):
                if case.case_id in done:
                    counter.skipped += 1
                    continue
                await pending.put(case)
        except Exception as exc:  # noqa: BLE001 - raised again to the consumer after the drain
            feed_errors.append(exc)
        for _ in range(concurrency):
            await pending.put(_END)

    async def work() -> None:
        while True:
            case = await pending.get()
            if case is _END:
                break
            assert isinstance(case, ReviewCase)
            await finished.put(await verify_case(client, case, timeout))
        await finished.put(_END)

    # 1. and 2.: the feeder and the workers run until the input ends or the generator closes.
    tasks = [asyncio.create_task(feed(), name="review-feed")]
    tasks += [asyncio.create_task(work(), name=f"review-worker-{index}") for index in range(concurrency)]
    try:
        # 3. Every worker sends _END after its last result, so the loop ends once all have.
        workers_left = concurrency
        while workers_left:
            item = await finished.get()
            if item is _END:
                workers_left -= 1
                continue
            assert isinstance(item, ReviewResult)
            counter.counts[item.status] += 1
            if progress is not None:
                progress(counter.snapshot())
            yield item
        if feed_errors:
            raise feed_errors[0]
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _iterate(cases: Iterable[ReviewCase] | AsyncIterable[ReviewCase]) -> AsyncIterator[ReviewCase]:
    """Yield from a plain or an async iterable alike."""
    if isinstance(cases, AsyncIterable):
        async for case in cases:
            yield case
    else:
        # NOTE: a plain iterable is read on the event loop. That is fast enough for a local
        # file read line by line. An iterable that blocks for long, such as a remote database
        # cursor, should be wrapped in an async iterable instead.
        for case in cases:
            yield case


async def verify_case(client: Verifier, case: ReviewCase, timeout: float = 15.0) -> ReviewResult:
    """Verify one household and return its result; every failure becomes a ``failed`` result."""
    started = time.perf_counter()
    try:
        report = await client.verify(case.authorization, case.members, case.categories, case.purpose,
                                     case.case_reference, timeout=timeout)
    except HeduiError as exc:
        # Rejections, timeouts and answers that did not verify all arrive here with their reason code.
        logger.info("review case %s failed: %s", case.case_id, exc.reason)
        return _failure(case, started, exc.reason, exc.message("zh"), exc.message("en"))
    except Exception:  # noqa: BLE001 - one household's unexpected error must not end the run
        logger.exception("review case %s failed with an unexpected error", case.case_id)
        return _failure(case, started, Reason.INTERNAL.value, render("INTERNAL", case.case_id, lang="zh"),
                        render("INTERNAL", case.case_id, lang="en"))
    return _success(case, started, report)


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _failure(case: ReviewCase, started: float, reason: str, message_zh: str, message_en: str) -> ReviewResult:
    return ReviewResult(case.case_id, FAILED, _elapsed_ms(started), utcnow(), None, reason, message_zh, message_en)


def _success(case: ReviewCase, started: float, report: VerificationReport) -> ReviewResult:
    """Return ``ok``, or ``partial`` with a message naming each source that did not answer."""
    incomplete = [source for source in report.sources if source.status not in _COMPLETE_SOURCE_STATUSES]
    if not incomplete:
        return ReviewResult(case.case_id, OK, _elapsed_ms(started), utcnow(), report)
    zh = "、".join(f"{s.node}（{_SOURCE_STATUS_NAMES.get(s.status, (s.status, s.status))[0]}）" for s in incomplete)
    en = ", ".join(f"{s.node} ({_SOURCE_STATUS_NAMES.get(s.status, (s.status, s.status))[1]})" for s in incomplete)
    return ReviewResult(case.case_id, PARTIAL, _elapsed_ms(started), utcnow(), report, "",
                        f"部分来源未应答：{zh}。可稍后对这些家庭重新核对。",
                        f"Some sources did not answer: {en}. These households can be verified again later.")

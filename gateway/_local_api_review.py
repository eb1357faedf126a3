"""POST /v1/reviews: periodic review in bulk (定期复核) for case systems that cannot run Python.

The request body is JSON Lines (``application/x-ndjson``), one review case
per line in the format ``hedui review run`` reads (``hedui.sdk._review_input``).
The response is JSON Lines too, sent with chunked transfer encoding: one
result line per household as soon as it finishes, then one summary line.

The body is read line by line as the households are verified, never whole,
so it is bounded by ``MAX_REVIEW_LINES`` lines of at most
``MAX_REVIEW_LINE_BYTES`` each instead of ``local_api.max_body_bytes``. A
bad line becomes a ``failed`` result naming its line number, and the other
lines still run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.streams import StreamReader

from hedui.gateway._local_api_audit import answer_digest, audit_sent_query, failure_outcome
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway._local_api_handlers import CALLER_KEY, NODE_KEY, SENDERS_KEY, Senders
from hedui.gateway._local_api_requests import (MAX_REVIEW_LINE_BYTES, MAX_REVIEW_LINES, NDJSON, ReviewOptions,
                                               parse_review_options)
from hedui.gateway.errors import HeduiError, Reason
from hedui.gateway.node import Node
from hedui.gateway.timeutil import utcnow
from hedui.sdk._review_input import CaseLineError, parse_case
from hedui.sdk.report import VerificationReport
from hedui.sdk.review import FAILED, STATUSES, ReviewCase, ReviewResult, review
from hedui.v1 import authorization_pb2

log = logging.getLogger(__name__)

AUDIT_ACTION = "local_review"

# Reason codes of result lines and of the summary line -> (Chinese, English); templates take {line} and {detail}.
LINE_MESSAGES: dict[str, tuple[str, str]] = {
    "API_REVIEW_LINE_INVALID": (
        "第 {line} 行无效：{detail}。请修正该行，再单独提交这一户。",
        "Line {line} is invalid: {detail}. Fix the line and send this household again.",
    ),
    "API_REVIEW_LINE_TOO_LONG": (
        "第 {line} 行超过 {detail} 字节的上限，未处理。每行只放一户的复核案件。",
        "Line {line} is longer than the limit of {detail} bytes and was not processed. Put one household's case "
        "on each line.",
    ),
    "API_REVIEW_TOO_MANY_LINES": (
        "从第 {line} 行起未读取：每次调用最多 {detail} 行（空行也计入）。请把其余家庭放到下一次调用中提交。",
        "Lines from {line} on were not read: one call takes at most {detail} lines, blank lines included. Send the "
        "remaining households in another call.",
    ),
}
# Marks the end of the output queue.
_END = object()


async def read_lines(content: StreamReader, max_line_bytes: int) -> AsyncIterator[tuple[int, bytes | None]]:
    """Yield (line number, line without its newline) for each line of a body, reading it chunk by chunk.

    A line longer than ``max_line_bytes`` is yielded as None and is not kept
    in memory, so one long line costs at most ``max_line_bytes`` plus one
    chunk. A last line without a newline counts as a line.
    """
    number = 0
    pending = bytearray()
    too_long = False
    while True:
        chunk = await content.readany()
        if not chunk:
            break
        start = 0
        while start < len(chunk):
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if not too_long:
                pending += piece
                if len(pending) > max_line_bytes:
                    too_long = True
                    pending.clear()
            if end < 0:
                break
            number += 1
            yield number, None if too_long else bytes(pending)
            pending.clear()
            too_long = False
            start = end + 1
    if pending or too_long:
        yield number + 1, None if too_long else bytes(pending)


class CurrentClientVerifier:
    """The Verifier that review() calls: each household uses the node's client for the target at that moment.

    Senders replaces its client after a key, certificate or directory
    change and closes the old one later, so a long run must not keep one
    client from its start.
    """

    def __init__(self, senders: Senders, target: str) -> None:
        self.senders = senders
        self.target = target

    async def verify(self, authorization: authorization_pb2.SignedAuthorization, members: Iterable[str],
                     categories: Iterable[int], purpose: int, case_reference: str = "",
                     timeout: float = 15.0) -> VerificationReport:
        return await self.senders.client(self.target).verify(authorization, members, categories, purpose,
                                                            case_reference, timeout=timeout)


class ReviewRun:
    """One POST /v1/reviews call: reads the case lines, verifies them with review() and streams the results.

    Three parts share one output queue of result lines:

    1. The case reader (inside review()'s feeder task) reads the body line by
       line, puts a ``failed`` line on the queue for each bad line and hands
       good cases to review(). It stops after ``MAX_REVIEW_LINES`` lines, at
       the end of the body, or when the client has gone.
    2. The producer task runs review() with the chosen concurrency and puts
       each household's ReviewResult on the queue.
    3. ``stream`` takes lines off the queue, writes each household's audit
       entry before its line, writes the line, and ends with the summary.

    The queue has room for twice the concurrency, so a client that reads
    slowly slows the verifications and the body reading down.
    """

    def __init__(self, request: web.Request, node: Node, verifier: CurrentClientVerifier,
                 options: ReviewOptions) -> None:
        self.request = request
        self.node = node
        self.verifier = verifier
        self.options = options
        self.output: asyncio.Queue[object] = asyncio.Queue(maxsize=2 * options.concurrency)
        self.counts = dict.fromkeys(STATUSES, 0)
        self.lines_read = 0
        self.stop_reason = ""
        self.disconnected = False
        # Cases handed to review() and not yet finished, by case id, with their line numbers.
        self.in_progress: dict[str, tuple[int, ReviewCase]] = {}
        # Line number of each case id seen, so a repeated case id is a bad line.
        self.seen: dict[str, int] = {}
        self.started = time.monotonic()

    async def stream(self, response: web.StreamResponse) -> None:
        """Write every result line and the summary line to the prepared response (step 3)."""
        producer = asyncio.create_task(self._produce(), name="local-api-review")
        try:
            while True:
                item = await self.output.get()
                if item is _END:
                    break
                if isinstance(item, ReviewResult):
                    document = await self._audited_line(item)
                else:
                    assert isinstance(item, dict)
                    self.counts[FAILED] += 1
                    document = item
                await self._write(response, document)
        except Exception:
            log.exception("review stopped by an error caller=%s lines=%s", self.request[CALLER_KEY],
                          self.lines_read)
            self.stop_reason = Reason.INTERNAL.value
        finally:
            # After an error this cancels the verifications in flight; after a normal end the task is done.
            producer.cancel()
            await asyncio.gather(producer, return_exceptions=True)

        await self._write(response, {"summary": self.summary()})
        if not self.disconnected:
            with contextlib.suppress(ConnectionResetError):
                await response.write_eof()
        log.info("review done caller=%s lines=%s ok=%s partial=%s failed=%s stop_reason=%s disconnected=%s",
                 self.request[CALLER_KEY], self.lines_read, self.counts["ok"], self.counts["partial"],
                 self.counts[FAILED], self.stop_reason or "-", self.disconnected)

    def summary(self) -> dict[str, Any]:
        """Return the summary line's counts; ``done`` counts every result line."""
        return {
            "done": sum(self.counts.values()),
            "ok": self.counts["ok"],
            "partial": self.counts["partial"],
            "failed": self.counts[FAILED],
            "lines": self.lines_read,
            "elapsed_ms": int((time.monotonic() - self.started) * 1000),
            "reason": self.stop_reason,
        }

    async def _produce(self) -> None:
        """Run review() over the case reader and queue each result (step 2)."""
        try:
            households = review(self.verifier, self._cases(), concurrency=self.options.concurrency,
                                timeout=self.options.timeout_seconds)
            async with contextlib.aclosing(households) as results:
                async for result in results:
                    await self.output.put(result)
        except Exception:
            log.exception("review producer failed caller=%s lines=%s", self.request[CALLER_KEY], self.lines_read)
            self.stop_reason = Reason.INTERNAL.value
        await self.output.put(_END)

    async def _cases(self) -> AsyncIterator[ReviewCase]:
        """Read the body and yield each good case, queueing a failed line for each bad one (step 1)."""
        try:
            async for number, raw in read_lines(self.request.content, MAX_REVIEW_LINE_BYTES):
                if number > MAX_REVIEW_LINES:
                    self.stop_reason = "API_REVIEW_TOO_MANY_LINES"
                    await self._reject(number, "API_REVIEW_TOO_MANY_LINES", str(MAX_REVIEW_LINES))
                    return
                self.lines_read = number
                if self._client_gone():
                    return
                if raw is None:
                    await self._reject(number, "API_REVIEW_LINE_TOO_LONG", str(MAX_REVIEW_LINE_BYTES))
                    continue
                case = await self._parse(number, raw)
                if case is not None:
                    self.in_progress[case.case_id] = (number, case)
                    yield case
        except (ConnectionError, HttpProcessingError) as exc:
            if self._client_gone():
                return
            # The connection is still open, so the body itself broke off (a bad chunk or a short Content-Length).
            log.info("review body ended early caller=%s lines=%s error=%s", self.request[CALLER_KEY],
                     self.lines_read, type(exc).__name__)
            self.stop_reason = "API_REVIEW_BODY_INCOMPLETE"

    async def _parse(self, number: int, raw: bytes) -> ReviewCase | None:
        """Return the case on a line, None for a blank line, or queue a failed line and return None."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            await self._reject(number, "API_REVIEW_LINE_INVALID", ("不是 UTF-8 编码", "it is not UTF-8 text"))
            return None
        if not text.strip():
            return None
        try:
            case = parse_case(text)
        except ValueError as exc:
            await self._reject(number, "API_REVIEW_LINE_INVALID", _line_detail(exc))
            return None
        earlier = self.seen.get(case.case_id)
        if earlier is not None:
            detail = (f"案件编号 {case.case_id} 与第 {earlier} 行重复", f"case id {case.case_id} repeats line {earlier}")
            await self._reject(number, "API_REVIEW_LINE_INVALID", detail, case_id=case.case_id)
            return None
        self.seen[case.case_id] = number
        return case

    async def _reject(self, number: int, reason: str, detail: str | tuple[str, str],
                      case_id: str | None = None) -> None:
        """Queue the failed result line of a line that is not verified."""
        zh_detail, en_detail = detail if isinstance(detail, tuple) else (detail, detail)
        zh, en = LINE_MESSAGES[reason]
        log.info("review line rejected caller=%s line=%s reason=%s", self.request[CALLER_KEY], number, reason)
        await self.output.put({
            "line": number, "case_id": case_id, "status": FAILED, "reason": reason,
            "message": zh.format(line=number, detail=zh_detail),
            "message_en": en.format(line=number, detail=en_detail),
            "elapsed_ms": 0, "finished_at": utcnow().isoformat(), "report": None,
        })

    async def _audited_line(self, result: ReviewResult) -> dict[str, Any]:
        """Append the household's audit entry, then return its result line."""
        number, case = self.in_progress.pop(result.case_id)
        document = {"line": number, **result.to_dict()}
        if result.report is None:
            request_id, digest, outcome = "", b"", failure_outcome(result.reason)
        else:
            request_id, digest, outcome = result.report.request_id, answer_digest(document), result.status
        await audit_sent_query(self.node, AUDIT_ACTION, authorization=case.authorization, members=case.members,
                               categories=case.categories, request_id=request_id, outcome=outcome,
                               reason=result.reason, answer_sha256=digest)
        self.counts[result.status] += 1
        return document

    async def _write(self, response: web.StreamResponse, document: dict[str, Any]) -> None:
        if self.disconnected:
            return
        try:
            await response.write(json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n")
        except ConnectionResetError:
            self._mark_disconnected()

    def _client_gone(self) -> bool:
        """Return True once the client has disconnected, so no new household starts."""
        transport = self.request.transport
        if not self.disconnected and (transport is None or transport.is_closing()):
            self._mark_disconnected()
        return self.disconnected

    def _mark_disconnected(self) -> None:
        if not self.disconnected:
            self.disconnected = True
            log.info("review client disconnected caller=%s lines=%s; no new household starts, those in flight "
                     "finish and are audited", self.request[CALLER_KEY], self.lines_read)


def _line_detail(error: ValueError) -> tuple[str, str]:
    """Return the (Chinese, English) detail of a line parse_case rejected."""
    if isinstance(error, CaseLineError):
        return error.detail
    return str(error), str(error)


async def run_review(request: web.Request) -> web.StreamResponse:
    """POST /v1/reviews: verify each case line and stream one result line per household, then a summary."""
    node = request.app[NODE_KEY]
    senders = request.app[SENDERS_KEY]
    options = parse_review_options(request.query)
    target = options.target or senders.default_target()
    try:
        senders.client(target)
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field="target" if options.target else "") from exc

    # Errors above are ordinary JSON responses. From here on the status is 200 and
    # every problem is a line of the stream.
    response = web.StreamResponse(status=200)
    response.content_type = NDJSON
    response.charset = "utf-8"
    response.enable_chunked_encoding()
    await response.prepare(request)
    log.info("review started caller=%s target=%s concurrency=%s", request[CALLER_KEY], target, options.concurrency)
    await ReviewRun(request, node, CurrentClientVerifier(senders, target), options).stream(response)
    return response


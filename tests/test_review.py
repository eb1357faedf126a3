"""Periodic review through the SDK against a real federation on loopback: hedui.sdk.review and ResultsFile."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import pathlib
from collections.abc import AsyncIterator, Iterator

import pytest

from federation_harness import GA, RS
from hedui.gateway.timeutil import utcnow
from hedui.sdk import (Client, ResultsFile, ReviewCase, ReviewFileError, ReviewProgress, ReviewResult, case_to_json,
                       read_cases, review)
from test_review_helpers import ReviewFederation, make_case, make_cases, review_federation, slow_down


@pytest.fixture
async def federation(tmp_path: pathlib.Path) -> AsyncIterator[ReviewFederation]:
    async with review_federation(tmp_path) as running:
        yield running


async def collect(client: Client, cases: object, **options: object) -> list[ReviewResult]:
    async with contextlib.aclosing(review(client, cases, **options)) as stream:  # type: ignore[arg-type]
        return [result async for result in stream]


async def test_review_returns_every_household(federation: ReviewFederation) -> None:
    cases = make_cases(federation, 12)

    async with federation.fed.client() as client:
        results = await collect(client, cases, concurrency=4)

    assert sorted(r.case_id for r in results) == sorted(c.case_id for c in cases)
    for result in results:
        assert result.status == "ok", (result.case_id, result.reason, result.message_en)
        assert result.report is not None
        assert result.elapsed_ms >= 0
        assert result.reason == ""
    by_id = {case.case_id: case for case in cases}
    for result in results:
        assert result.report is not None
        assert result.report.members == by_id[result.case_id].members


async def test_review_bounds_concurrency(federation: ReviewFederation) -> None:
    department = slow_down(federation.fed, RS, 0.05)
    cases = make_cases(federation, 30)
    pulled = 0
    pulled_at_first_result = None

    def lazy() -> Iterator[ReviewCase]:
        nonlocal pulled
        for case in cases:
            pulled += 1
            yield case

    async with federation.fed.client() as client:
        async with contextlib.aclosing(review(client, lazy(), concurrency=3)) as stream:
            results = []
            async for result in stream:
                if pulled_at_first_result is None:
                    pulled_at_first_result = pulled
                results.append(result)

    assert len(results) == 30
    assert department.max_in_flight <= 3
    # Several households were in flight at once, or the bound proves nothing.
    assert department.max_in_flight >= 2
    # Three in flight, three queued and one held by the feeder: the input is read lazily.
    assert pulled_at_first_result is not None
    assert pulled_at_first_result <= 7


async def test_failing_household_among_good_ones(federation: ReviewFederation) -> None:
    households = federation.dataset.households
    now = utcnow()
    expired = (now - datetime.timedelta(days=60), now - datetime.timedelta(days=30))
    cases = make_cases(federation, 6)
    cases.insert(2, make_case(federation.fed, households[7], "BAD-EXPIRED", window=expired))
    # A member the authorization does not cover.
    uncovered = make_case(federation.fed, households[8], "BAD-MEMBER")
    extra = households[9].members[0].id_number
    cases.insert(5, ReviewCase(uncovered.case_id, uncovered.authorization, (*uncovered.members, extra),
                               uncovered.categories, uncovered.purpose))

    async with federation.fed.client() as client:
        results = {r.case_id: r for r in await collect(client, cases, concurrency=3)}

    assert len(results) == 8
    assert results["BAD-EXPIRED"].status == "failed"
    assert results["BAD-EXPIRED"].reason == "AUTHORIZATION_EXPIRED"
    assert "授权" in results["BAD-EXPIRED"].message_zh
    assert results["BAD-EXPIRED"].report is None
    assert results["BAD-MEMBER"].status == "failed"
    assert results["BAD-MEMBER"].reason == "AUTHORIZATION_MEMBER_NOT_COVERED"
    assert results["BAD-MEMBER"].message_en
    good = [r for case_id, r in results.items() if not case_id.startswith("BAD-")]
    assert [r.status for r in good] == ["ok"] * 6


async def test_slow_department_gives_partial_household(federation: ReviewFederation) -> None:
    households = federation.dataset.households
    slow_member = households[3].members[0].id_number
    slow_down(federation.fed, GA, 0.0, slow_ids=frozenset({slow_member}), slow_seconds=5.0)
    cases = [make_case(federation.fed, households[index], f"FC-{index}") for index in range(2, 6)]

    async with federation.fed.client() as client:
        results = {r.case_id: r for r in await collect(client, cases, concurrency=4, timeout=1.5)}

    # The province's deadline for its departments ends before the caller's, so GA's source
    # times out inside a report that still arrives.
    assert results["FC-3"].status == "partial"
    assert GA in results["FC-3"].message_zh
    assert "超时" in results["FC-3"].message_zh
    assert [results[f"FC-{index}"].status for index in (2, 4, 5)] == ["ok", "ok", "ok"]


async def test_unreachable_node_fails_each_household(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    cases = make_cases(federation, 3)
    fed = federation.fed
    # A port nothing listens on: every call fails fast with NODE_UNAVAILABLE.
    closed = Client("127.0.0.1:1", fed.fed.load_key("140100/MZ/HDXT"), fed.directory, "140000/MZ",
                    tls=fed.fed.tls_material("140100/MZ/HDXT"), server_node="140100/MZ")

    async with closed:
        results = await collect(closed, cases, concurrency=2, timeout=3.0)

    assert [r.status for r in results] == ["failed"] * 3
    assert {r.reason for r in results} == {"NODE_UNAVAILABLE"}


async def test_progress_reports_counts(federation: ReviewFederation) -> None:
    now = utcnow()
    cases = make_cases(federation, 9)
    cases.append(make_case(federation.fed, federation.dataset.households[0], "BAD-1",
                           window=(now - datetime.timedelta(days=9), now - datetime.timedelta(days=8))))
    snapshots: list[ReviewProgress] = []

    async with federation.fed.client() as client:
        await collect(client, cases, concurrency=3, progress=snapshots.append, done={"FC-0001", "FC-0002"})

    assert [s.finished for s in snapshots] == list(range(1, 9))
    last = snapshots[-1]
    assert last.total == 10
    assert last.skipped == 2
    assert last.done == 10
    assert last.failed == 1
    assert last.ok == 7
    assert last.rate > 0


async def test_bad_input_line_keeps_earlier_results(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    cases = make_cases(federation, 6)
    lines = [case_to_json(case) for case in cases]
    lines[4] = lines[4].replace('"members": [', '"members": ["123", ')
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results: list[ReviewResult] = []

    async with federation.fed.client() as client:
        with pytest.raises(ReviewFileError) as caught:
            async with contextlib.aclosing(review(client, read_cases(path), concurrency=2)) as stream:
                async for result in stream:
                    results.append(result)

    assert caught.value.line == 5
    assert caught.value.reason == "REVIEW_INPUT_INVALID"
    assert "第 5 行" in caught.value.message("zh")
    assert "members" in caught.value.message("zh")
    # Every household before the bad line was verified and handed over before the error.
    assert sorted(r.case_id for r in results) == [case.case_id for case in cases[:4]]


async def run_into(client: Client, cases: list[ReviewCase], output: pathlib.Path, stop_after: int | None = None,
                   **options: object) -> int:
    """Review into a results file as the command does; cancel after ``stop_after`` written lines."""
    written = 0
    with ResultsFile.open(output, **options) as results:  # type: ignore[arg-type]
        async with contextlib.aclosing(review(client, cases, concurrency=2, done=results.finished)) as stream:
            async for result in stream:
                results.append(result)
                written += 1
                if stop_after is not None and written >= stop_after:
                    raise asyncio.CancelledError
    return written


def result_lines(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_resume_after_interruption(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    slow_down(federation.fed, RS, 0.05)
    cases = make_cases(federation, 20)
    output = tmp_path / "results.jsonl"

    async with federation.fed.client() as client:
        with pytest.raises(asyncio.CancelledError):
            await run_into(client, cases, output, stop_after=6)
        assert len(result_lines(output)) == 6
        # A crash in the middle of a write leaves part of a line without its newline.
        with output.open("ab") as handle:
            handle.write(b'{"case_id": "FC-0019", "status": "o')

        with ResultsFile.open(output) as reopened:
            assert reopened.dropped_line == 7
            assert len(reopened.finished) == 6
        second = await run_into(client, cases, output)

    lines = result_lines(output)
    assert second == 14
    assert sorted(line["case_id"] for line in lines) == sorted(case.case_id for case in cases)
    assert {line["status"] for line in lines} == {"ok"}


async def test_retry_failed_reruns_only_failed(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    fed = federation.fed
    cases = make_cases(federation, 5)
    output = tmp_path / "results.jsonl"
    down = Client("127.0.0.1:1", fed.fed.load_key("140100/MZ/HDXT"), fed.directory, "140000/MZ",
                  tls=fed.fed.tls_material("140100/MZ/HDXT"), server_node="140100/MZ")
    async with fed.client() as client:
        await run_into(client, cases[:3], output)
    async with down:
        await run_into(down, cases, output)
    assert [line["status"] for line in result_lines(output)] == ["ok"] * 3 + ["failed"] * 2

    async with fed.client() as client:
        # Without the option, failed households count as done.
        assert await run_into(client, cases, output) == 0
        assert await run_into(client, cases, output, retry=("failed",)) == 2

    lines = result_lines(output)
    assert sorted(line["case_id"] for line in lines) == sorted(case.case_id for case in cases)
    assert {line["status"] for line in lines} == {"ok"}

"""POST /v1/reviews: bulk periodic review over HTTP, case lines in and result lines streamed back."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from federation_harness import CITY, PROVINCE, RS, RunningFederation
from hedui.gateway import _local_api_callers as callers
from hedui.gateway._local_api_requests import MAX_REVIEW_LINE_BYTES, MAX_REVIEW_LINES
from hedui.sdk import ReviewCase, case_to_json
from hedui.sdk._review_input import OPTIONAL_FIELDS, REQUIRED_FIELDS
from test_local_api import (ApiClient, api, audit_count, audit_rows, check_response, federation,  # noqa: F401
                            schema_errors)
from test_review_helpers import make_case, slow_down

PATH = "/v1/reviews"
NDJSON = "application/x-ndjson"


def cases(running: RunningFederation, count: int, prefix: str = "FC") -> list[ReviewCase]:
    """Return ``count`` cases over the dataset's households, each under its own authorization for the city."""
    households = running.dataset.households  # type: ignore[attr-defined]
    return [make_case(running, households[index % len(households)], f"{prefix}-{index + 1:04d}")
            for index in range(count)]


def body_of(lines: list[str | bytes]) -> bytes:
    return b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines)


async def post_review(api: ApiClient, body: bytes | AsyncIterator[bytes], *, query: str = "",
                      token: str | None | bool = True, content_type: str = NDJSON,
                      on_line: Callable[[dict[str, Any]], None] | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Post a review and return (status, response lines); an error response is returned as its one JSON body.

    Every line is checked against the OpenAPI document: result and summary
    lines against the 200 response schema, an error against its status's.
    """
    spec = await api.spec()
    headers = {"Content-Type": content_type}
    sent_token = api.token if token is True else token
    if sent_token:
        headers["Authorization"] = f"Bearer {sent_token}"
    async with api.session.post(api.base_url + PATH + query, data=body, headers=headers) as response:
        if response.status != 200:
            assert response.content_type == "application/json"
            error = await response.json()
            check_response(spec, PATH, "post", response.status, error)
            return response.status, [error]
        assert response.content_type == NDJSON
        assert response.headers.get("Transfer-Encoding") == "chunked"
        schema = spec["paths"][PATH]["post"]["responses"]["200"]["content"][NDJSON]["schema"]
        lines = []
        async for raw in response.content:
            document = json.loads(raw)
            assert schema_errors(spec, schema, document) == []
            lines.append(document)
            if on_line is not None:
                on_line(document)
        return 200, lines


def split(lines: list[dict[str, Any]]) -> tuple[dict[int, dict[str, Any]], dict[str, Any]]:
    """Return the result lines by request line number and the summary, checking the summary comes last, once."""
    assert "summary" in lines[-1], "the stream has no summary line"
    results = {}
    for document in lines[:-1]:
        assert "summary" not in document
        assert document["line"] not in results, f"line {document['line']} has two results"
        results[document["line"]] = document
    return results, lines[-1]["summary"]


def review_rows(running: RunningFederation) -> list[tuple[str, str, str, str]]:
    return [row for row in audit_rows(running, CITY) if row[0] == "local_review"]


def province_verifies(running: RunningFederation) -> int:
    return sum(1 for row in audit_rows(running, PROVINCE) if row[0] == "verify")


async def test_results_stream_before_body_ends(federation: RunningFederation, api: ApiClient) -> None:
    department = slow_down(federation, RS, 0.05)
    review_cases = cases(federation, 30)
    lines = [case_to_json(case) for case in review_cases]
    spec = await api.spec()
    line_schema = spec["paths"][PATH]["post"]["requestBody"]["content"][NDJSON]["schema"]
    for line in lines:
        assert schema_errors(spec, line_schema, json.loads(line)) == []
    first_result = asyncio.Event()
    sent = 0
    sent_at_first_result: int | None = None

    async def body() -> AsyncIterator[bytes]:
        # Hold back the last 22 lines until a result arrives. A server that read the whole
        # body first would send its first result only after the 30-second wait below.
        nonlocal sent
        for index, line in enumerate(lines):
            if index == 8:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(first_result.wait(), 30)
            sent += 1
            yield line.encode() + b"\n"

    def on_line(document: dict[str, Any]) -> None:
        nonlocal sent_at_first_result
        if sent_at_first_result is None:
            sent_at_first_result = sent
            first_result.set()

    status, response = await post_review(api, body(), query="?concurrency=4", on_line=on_line)

    assert status == 200
    assert sent_at_first_result == 8
    results, summary = split(response)
    assert sorted(results) == list(range(1, 31))
    for number, result in results.items():
        assert result["case_id"] == review_cases[number - 1].case_id
        assert result["status"] == "ok", result
        assert result["report"]["responder"] == PROVINCE
        assert sorted(s["node"] for s in result["report"]["sources"]) == sorted([RS, "140000/BDC", "140000/GA"])
    assert summary["done"] == 30
    assert summary["ok"] == 30
    assert summary["partial"] == 0
    assert summary["failed"] == 0
    assert summary["lines"] == 30
    assert summary["reason"] == ""
    assert summary["elapsed_ms"] > 0
    assert department.max_in_flight <= 4
    assert review_rows(federation) == [("local_review", CITY, "ok", "")] * 30


async def test_bad_lines_among_good(federation: RunningFederation, api: ApiClient) -> None:
    good = cases(federation, 4)
    not_covered = json.loads(case_to_json(good[3]))
    not_covered["members"] = [federation.dataset.households[5].members[0].id_number]  # type: ignore[attr-defined]
    unknown_field = json.loads(case_to_json(good[1]))
    unknown_field["case_id"] = "FC-UNKNOWN"
    unknown_field["priority"] = 1
    bad_member = json.loads(case_to_json(good[2]))
    bad_member["case_id"] = "FC-BAD-MEMBER"
    bad_member["members"] = [good[2].members[0][:17] + ("0" if good[2].members[0][17] != "0" else "1")]
    lines: list[str | bytes] = [
        case_to_json(good[0]),                 # 1 ok
        '{"case_id": "FC-BROKEN", "authoriz',  # 2 not JSON
        case_to_json(good[1]),                 # 3 ok
        case_to_json(good[0]),                 # 4 repeats the case id of line 1
        json.dumps(unknown_field),             # 5 unknown field
        "",                                    # 6 blank, skipped
        case_to_json(good[2]),                 # 7 ok
        json.dumps(bad_member),                # 8 invalid check character
        b"\xff\xfe not utf-8",                 # 9 not UTF-8
        json.dumps(not_covered),               # 10 member not covered: sent, and rejected by policy
    ]

    status, response = await post_review(api, body_of(lines))

    assert status == 200
    results, summary = split(response)
    assert sorted(results) == [1, 2, 3, 4, 5, 7, 8, 9, 10]
    for number in (1, 3, 7):
        assert results[number]["status"] == "ok", results[number]
    for number in (2, 4, 5, 8, 9):
        result = results[number]
        assert result["status"] == "failed"
        assert result["reason"] == "API_REVIEW_LINE_INVALID"
        assert f"第 {number} 行" in result["message"]
        assert f"Line {number} " in result["message_en"]
        assert result["report"] is None
    assert results[4]["case_id"] == good[0].case_id
    assert "line 1" in results[4]["message_en"]
    assert "priority" in results[5]["message_en"]
    assert "未知字段 priority" in results[5]["message"]
    assert results[2]["case_id"] is None
    for member in good[2].members + tuple(bad_member["members"]):
        assert member not in results[8]["message"] + results[8]["message_en"]
    assert results[10]["status"] == "failed"
    assert results[10]["reason"] == "AUTHORIZATION_MEMBER_NOT_COVERED"
    assert summary["done"] == 9
    assert summary["ok"] == 3
    assert summary["failed"] == 6
    assert summary["lines"] == 10
    assert summary["reason"] == ""
    # Lines that were never sent leave no audit entry; the rejected household does.
    rejected = ("local_review", CITY, "rejected", "AUTHORIZATION_MEMBER_NOT_COVERED")
    assert sorted(review_rows(federation)) == sorted([("local_review", CITY, "ok", "")] * 3 + [rejected])


async def test_long_line_skipped(federation: RunningFederation, api: ApiClient) -> None:
    good = cases(federation, 2)
    lines: list[str | bytes] = [case_to_json(good[0]), b"x" * (MAX_REVIEW_LINE_BYTES + 1), case_to_json(good[1])]

    status, response = await post_review(api, body_of(lines))

    assert status == 200
    results, summary = split(response)
    assert results[1]["status"] == "ok"
    assert results[2]["status"] == "failed"
    assert results[2]["reason"] == "API_REVIEW_LINE_TOO_LONG"
    assert str(MAX_REVIEW_LINE_BYTES) in results[2]["message_en"]
    assert results[3]["status"] == "ok"
    assert summary["lines"] == 3


async def test_line_cap_stops_reading(federation: RunningFederation, api: ApiClient) -> None:
    good = cases(federation, 4)
    # Blank lines count towards the cap, so the cap is reached without verifying 10000 households.
    lines: list[str | bytes] = ([case_to_json(good[0]), case_to_json(good[1])] + [""] * (MAX_REVIEW_LINES - 2)
                                + [case_to_json(good[2]), case_to_json(good[3])])
    before = province_verifies(federation)

    status, response = await post_review(api, body_of(lines))

    assert status == 200
    results, summary = split(response)
    assert sorted(results) == [1, 2, MAX_REVIEW_LINES + 1]
    cap = results[MAX_REVIEW_LINES + 1]
    assert cap["status"] == "failed"
    assert cap["reason"] == "API_REVIEW_TOO_MANY_LINES"
    assert str(MAX_REVIEW_LINES) in cap["message_en"]
    assert summary["reason"] == "API_REVIEW_TOO_MANY_LINES"
    assert summary["lines"] == MAX_REVIEW_LINES
    assert summary["done"] == 3
    assert province_verifies(federation) - before == 2


async def test_disconnect_stops_new_households(federation: RunningFederation, api: ApiClient) -> None:
    slow_down(federation, RS, 0.3)
    review_cases = cases(federation, 30)
    headers = {"Authorization": f"Bearer {api.token}", "Content-Type": NDJSON}

    async with api.session.post(api.base_url + PATH + "?concurrency=2",
                                data=body_of([case_to_json(case) for case in review_cases]),
                                headers=headers) as response:
        assert response.status == 200
        first = json.loads(await response.content.readline())
        assert first["status"] == "ok"
        response.close()

    # Wait until the node stops writing audit entries: unchanged for 1.5 s, within 20 s.
    deadline = time.monotonic() + 20
    last, stable_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(review_rows(federation))
        if count != last:
            last, stable_since = count, time.monotonic()
        elif time.monotonic() - stable_since >= 1.5:
            break
        await asyncio.sleep(0.1)
    assert 1 <= last < 30
    # Each household the province verified was audited here too.
    assert province_verifies(federation) == last


@pytest.mark.parametrize(("query", "field"), [
    ("?concurrency=0", "concurrency"),
    ("?concurrency=33", "concurrency"),
    ("?concurrency=2.5", "concurrency"),
    ("?concurrency=eight", "concurrency"),
    ("?concurrency=2&concurrency=4", "concurrency"),
    ("?timeout_seconds=600", "timeout_seconds"),
    ("?target=province", "target"),
    ("?priority=high", "priority"),
], ids=["zero", "above max", "fraction", "word", "repeated", "timeout", "target", "unknown"])
async def test_bad_query_is_400(federation: RunningFederation, api: ApiClient, query: str, field: str) -> None:
    before = audit_count(federation, CITY), audit_count(federation, PROVINCE)

    status, (error,) = await post_review(api, body_of([case_to_json(cases(federation, 1)[0])]), query=query)

    assert status == 400
    assert error["field"] == field
    assert error["message"] and error["message_en"]
    assert (audit_count(federation, CITY), audit_count(federation, PROVINCE)) == before


async def test_unknown_target_is_404(federation: RunningFederation, api: ApiClient) -> None:
    status, (error,) = await post_review(api, b"", query="?target=140200/MZ")

    assert status == 404
    assert error["reason"] == "ROUTE_NOT_FOUND"
    assert error["field"] == "target"


async def test_missing_token_is_401(federation: RunningFederation, api: ApiClient) -> None:
    before = audit_count(federation, CITY), audit_count(federation, PROVINCE)

    status, (error,) = await post_review(api, body_of([case_to_json(cases(federation, 1)[0])]), token=None)

    assert status == 401
    assert error["reason"] == "API_TOKEN_MISSING"
    assert (audit_count(federation, CITY), audit_count(federation, PROVINCE)) == before


async def test_wrong_token_is_401(federation: RunningFederation, api: ApiClient) -> None:
    status, (error,) = await post_review(api, b"{}\n", token=callers.new_token())

    assert status == 401
    assert error["reason"] == "API_TOKEN_INVALID"


async def test_json_content_type_is_415(federation: RunningFederation, api: ApiClient) -> None:
    status, (error,) = await post_review(api, body_of([case_to_json(cases(federation, 1)[0])]),
                                         content_type="application/json")

    assert status == 415
    assert error["reason"] == "API_UNSUPPORTED_MEDIA_TYPE"
    assert NDJSON in error["message_en"]


async def test_body_above_max_body_bytes(federation: RunningFederation, api: ApiClient) -> None:
    # Over local_api.max_body_bytes in total, every line within the per-line limit.
    limit = federation.nodes[CITY].config.local_api.max_body_bytes  # type: ignore[union-attr]
    good = cases(federation, 2)
    padding = [b" " * (MAX_REVIEW_LINE_BYTES - 1)] * (limit // MAX_REVIEW_LINE_BYTES + 1)
    body = body_of([case_to_json(good[0]), *padding, case_to_json(good[1])])
    assert len(body) > limit

    status, response = await post_review(api, body)

    assert status == 200
    results, summary = split(response)
    assert sorted(results) == [1, len(padding) + 2]
    assert all(result["status"] == "ok" for result in results.values())
    assert summary["reason"] == ""


async def test_schema_matches_input_format(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()
    schema = spec["components"]["schemas"]["ReviewCase"]

    assert set(schema["properties"]) == set(REQUIRED_FIELDS) | set(OPTIONAL_FIELDS)
    assert set(schema["required"]) == set(REQUIRED_FIELDS)
    parameters = {parameter["name"] for parameter in spec["paths"][PATH]["post"]["parameters"]}
    assert parameters == {"concurrency", "target", "timeout_seconds"}


async def test_log_names_caller_not_numbers(federation: RunningFederation, api: ApiClient,
                                            caplog: pytest.LogCaptureFixture) -> None:
    good = cases(federation, 2)
    caplog.set_level(logging.DEBUG, logger="hedui")

    status, _ = await post_review(api, body_of([case_to_json(good[0]), "{", case_to_json(good[1])]))

    assert status == 200
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("review done caller=case-system") and "failed=1" in m for m in messages)
    everything = "\n".join(messages)
    assert api.token is not None and api.token not in everything
    for case in good:
        for member in case.members:
            assert member not in everything

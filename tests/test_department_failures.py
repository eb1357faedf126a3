"""A dead or slow department system: a status at the department, a source status in the report.

The department nodes run their real adapters: 人社 (140000/RS) and 公安
(140000/GA) over HTTP against two stand-in services on loopback, and 不动产
(140000/BDC) against a SQLite file. Called directly, a department whose
system is down or slow rejects with UNAVAILABLE or DEADLINE_EXCEEDED. Seen
through the city, the same failure is one source's status in a report that
still carries the other departments' answers and arrives within the caller's
deadline.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time

import grpc
import pytest

from exchange_helpers import assert_audited_once, assert_status, forwarded, query_body, raw_request, rejection_of
from federation_harness import (ALL_CATEGORIES, BDC, CASE_SYSTEM, CITY, GA, PROVINCE, RS, RS_CATEGORIES,
                                RunningFederation, start_federation)
from hedui.adapters.standin import Dataset, Household, make_dataset, write_bdc_database
from hedui.adapters.standin.http_service import RunningStandin, serve
from hedui.sdk import VerificationReport
from hedui.v1 import common_pb2 as C

# Short adapter settings keep each failure test near one second.
HTTP_ADAPTER = {"timeout_seconds": 2.0, "retries": 1, "backoff_seconds": 0.05, "breaker_failures": 50}


@dataclasses.dataclass
class Departments:
    """A running federation whose departments read from stand-in systems this test can break."""

    fed: RunningFederation
    rs: RunningStandin
    ga: RunningStandin
    household: Household
    _rs_service: contextlib.AsyncExitStack

    async def stop_rs(self) -> None:
        """Stop the 人社 stand-in service; its port then refuses connections."""
        await self._rs_service.aclose()

    def members(self) -> list[tuple[str, str, str]]:
        return [(person.id_number, person.name, person.relation_code) for person in self.household.members]


def household_with_rows(dataset: Dataset) -> Household:
    """Return the first household about which every department has rows."""
    for household in dataset.households:
        numbers = [person.id_number for person in household.members]
        systems = [json.dumps(dataset.tables[system], ensure_ascii=False) for system in ("rs", "ga", "bdc")]
        if all(any(number in text for number in numbers) for text in systems):
            return household
    raise AssertionError("no household has rows in every department")


async def start_departments(tmp_path, adapter_options=HTTP_ADAPTER) -> tuple[Departments, contextlib.AsyncExitStack]:
    dataset = make_dataset(11, 6)
    write_bdc_database(dataset, tmp_path / "bdc.sqlite")
    stack = contextlib.AsyncExitStack()
    rs_service = contextlib.AsyncExitStack()
    rs = await rs_service.enter_async_context(serve(dataset))
    stack.push_async_callback(rs_service.aclose)
    ga = await stack.enter_async_context(serve(dataset))
    adapters = {
        RS: {"kind": "rs_http", "base_url": rs.url, **adapter_options},
        GA: {"kind": "ga_http", "base_url": ga.url, **adapter_options},
        BDC: {"kind": "bdc_sql", "database": str(tmp_path / "bdc.sqlite")},
    }
    fed = await start_federation(tmp_path / "federation", adapters=adapters)
    stack.push_async_callback(fed.close)
    return Departments(fed, rs, ga, household_with_rows(dataset), rs_service), stack


@pytest.fixture
async def departments(tmp_path):
    running, stack = await start_departments(tmp_path)
    async with stack:
        yield running


@pytest.fixture
async def quick_timeout(tmp_path):
    """Departments whose HTTP adapters give up after half a second, without retrying."""
    options = {**HTTP_ADAPTER, "timeout_seconds": 0.5, "retries": 0}
    running, stack = await start_departments(tmp_path, options)
    async with stack:
        yield running


def routed_to_rs(departments: Departments):
    """Return a request from the case system as the province forwards it to 140000/RS."""
    fed = departments.fed
    body = query_body(fed.authorization(departments.members()), [m[0] for m in departments.members()], RS_CATEGORIES)
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), body)
    return forwarded(fed, request, [(CITY, PROVINCE), (PROVINCE, RS)])


async def verify_through_city(departments: Departments, timeout: float) -> tuple[VerificationReport, float]:
    """Run a full verification from the case system and return the report and the seconds it took."""
    fed = departments.fed
    members = departments.members()
    started = time.monotonic()
    async with fed.client() as client:
        report = await client.verify(fed.authorization(members), [m[0] for m in members], ALL_CATEGORIES,
                                     C.PURPOSE_INITIAL_ELIGIBILITY, timeout=timeout)
    return report, time.monotonic() - started


def assert_others_answered(report: VerificationReport) -> None:
    assert report.source(GA).status == "ANSWERED"
    assert report.source(BDC).status == "ANSWERED"
    assert report.source(GA).signature_verified
    assert report.source(BDC).signature_verified


# 人社 system stopped.

async def test_stopped_direct(departments):
    await departments.stop_rs()
    error = await rejection_of(departments.fed.fed.addresses[RS], routed_to_rs(departments))
    assert_status(error, grpc.StatusCode.UNAVAILABLE, "DEPARTMENT_UNAVAILABLE")
    await assert_audited_once(departments.fed.nodes[RS], "DEPARTMENT_UNAVAILABLE")


async def test_stopped_direct_english(departments, monkeypatch):
    monkeypatch.setenv("HEDUI_LANG", "en")
    await departments.stop_rs()
    error = await rejection_of(departments.fed.fed.addresses[RS], routed_to_rs(departments))
    assert_status(error, grpc.StatusCode.UNAVAILABLE, "DEPARTMENT_UNAVAILABLE", lang="en")


async def test_stopped_in_report(departments):
    await departments.stop_rs()
    report, elapsed = await verify_through_city(departments, timeout=5)
    assert report.source(RS).status == "UNAVAILABLE"
    assert report.source(RS).reason == "DEPARTMENT_UNAVAILABLE"
    assert report.source(RS).records == ()
    assert_others_answered(report)
    assert elapsed < 5


# 人社 system returning HTTP 503.

async def test_service_503_direct(departments):
    departments.rs.faults.failure_rate = 1.0
    error = await rejection_of(departments.fed.fed.addresses[RS], routed_to_rs(departments))
    assert_status(error, grpc.StatusCode.UNAVAILABLE, "DEPARTMENT_UNAVAILABLE")
    await assert_audited_once(departments.fed.nodes[RS], "DEPARTMENT_UNAVAILABLE")


async def test_service_503_in_report(departments):
    departments.rs.faults.failure_rate = 1.0
    report, elapsed = await verify_through_city(departments, timeout=5)
    assert report.source(RS).status == "UNAVAILABLE"
    assert report.source(RS).reason == "DEPARTMENT_UNAVAILABLE"
    assert_others_answered(report)
    assert elapsed < 5


async def test_single_503_retried(departments):
    departments.rs.faults.fail_next = 1
    report, _ = await verify_through_city(departments, timeout=5)
    assert report.source(RS).status == "ANSWERED"
    assert_others_answered(report)


# 人社 system slower than the caller's deadline or the adapter's timeout.

async def test_slow_past_deadline_direct(departments):
    departments.rs.faults.delay_seconds = 1.5
    started = time.monotonic()
    error = await rejection_of(departments.fed.fed.addresses[RS], routed_to_rs(departments), timeout=1.0)
    assert time.monotonic() - started < 1.2
    assert_status(error, grpc.StatusCode.DEADLINE_EXCEEDED, "DEPARTMENT_TIMEOUT")
    await assert_audited_once(departments.fed.nodes[RS], "DEPARTMENT_TIMEOUT")


async def test_slow_past_adapter_timeout_direct(quick_timeout):
    quick_timeout.rs.faults.delay_seconds = 1.5
    error = await rejection_of(quick_timeout.fed.fed.addresses[RS], routed_to_rs(quick_timeout), timeout=5.0)
    assert_status(error, grpc.StatusCode.DEADLINE_EXCEEDED, "DEPARTMENT_TIMEOUT")
    await assert_audited_once(quick_timeout.fed.nodes[RS], "DEPARTMENT_TIMEOUT")


async def test_slow_past_deadline_in_report(departments):
    departments.rs.faults.delay_seconds = 2.5
    report, elapsed = await verify_through_city(departments, timeout=1.5)
    assert report.source(RS).status == "TIMED_OUT"
    assert report.source(RS).reason == "DEPARTMENT_TIMEOUT"
    assert_others_answered(report)
    assert elapsed < 1.5


async def test_slow_past_adapter_timeout_in_report(quick_timeout):
    quick_timeout.rs.faults.delay_seconds = 1.5
    report, elapsed = await verify_through_city(quick_timeout, timeout=5)
    assert report.source(RS).status == "TIMED_OUT"
    assert report.source(RS).reason == "DEPARTMENT_TIMEOUT"
    assert_others_answered(report)
    assert elapsed < 1.5


def test_adapter_failure_keeps_english_text():
    from hedui.adapters._xlsx_errors import XlsxDataError
    from hedui.gateway.node import _adapter_failure

    error = XlsxDataError("EXPORT_CELL_INVALID", "工作表 Sheet1 第 3 行 C 列无效。", "Sheet1 row 3 column C is invalid.")

    assert _adapter_failure(error) == ("工作表 Sheet1 第 3 行 C 列无效", "Sheet1 row 3 column C is invalid")


def test_adapter_failure_names_kind_without_english():
    from hedui.adapters.base import AdapterTimeout
    from hedui.gateway.node import _adapter_failure

    chinese, english = _adapter_failure(AdapterTimeout("部门系统超时。"))

    assert chinese == "部门系统超时"
    assert english == "the department system did not respond within the adapter's timeout"

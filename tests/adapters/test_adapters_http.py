"""HTTP/JSON adapter behaviour: retries, timeouts, circuit breaking and bad data."""

from __future__ import annotations

import socket
import time

import aiohttp
import pytest
from adapters_known_dataset import JOBLESS, RETIREE, known_dataset

from hedui.adapters import dept_ga, dept_rs
from hedui.adapters.base import (
    AdapterDataError,
    AdapterQuery,
    AdapterRejected,
    AdapterTimeout,
    AdapterUnavailable,
)
from hedui.adapters.circuit import CircuitBreaker, CircuitOpenError, CircuitState
from hedui.adapters.http_json import HttpJsonAdapter
from hedui.adapters.standin.http_service import FaultPlan, RunningStandin, serve
from hedui.v1 import common_pb2 as common

PENSION_QUERY = AdapterQuery(
    request_id="req-http",
    id_numbers=(RETIREE,),
    categories=frozenset({common.DATA_CATEGORY_PENSION}),
    purpose=common.PURPOSE_PERIODIC_REVIEW,
)


class FakeClock:
    """A monotonic clock that moves only when a test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def rs_adapter(url: str, **options: object) -> HttpJsonAdapter:
    settings: dict[str, object] = {"timeout_seconds": 2.0, "retries": 2, "backoff_seconds": 0.01}
    settings.update(options)
    return HttpJsonAdapter(dept_rs.API, url, name="rs_http", **settings)  # type: ignore[arg-type]


def closed_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_retries_503_then_succeeds(standin: RunningStandin, faults: FaultPlan) -> None:
    faults.fail_next = 2
    async with rs_adapter(standin.url, retries=2) as adapter:
        found = await adapter.fetch(PENSION_QUERY)
    assert [record.pension.monthly_amount_fen for record in found] == [325050]
    assert faults.fail_next == 0


@pytest.mark.parametrize("status", [502, 504])
async def test_retries_other_gateway_errors(standin: RunningStandin, faults: FaultPlan, status: int) -> None:
    faults.fail_next, faults.fail_status = 1, status
    async with rs_adapter(standin.url, retries=1) as adapter:
        assert len(await adapter.fetch(PENSION_QUERY)) == 1


async def test_gives_up_after_bounded_attempts(standin: RunningStandin, faults: FaultPlan) -> None:
    faults.fail_next = 10
    async with rs_adapter(standin.url, retries=2) as adapter:
        with pytest.raises(AdapterUnavailable) as caught:
            await adapter.fetch(PENSION_QUERY)
    assert isinstance(caught.value, ConnectionError)
    assert "503" in str(caught.value)
    assert faults.fail_next == 7  # one attempt plus two retries


@pytest.mark.parametrize("status", [400, 404])
async def test_no_retry_on_client_errors(standin: RunningStandin, faults: FaultPlan, status: int) -> None:
    faults.fail_next, faults.fail_status = 5, status
    async with rs_adapter(standin.url, retries=3) as adapter:
        with pytest.raises(AdapterRejected, match=str(status)):
            await adapter.fetch(PENSION_QUERY)
    assert faults.fail_next == 4


async def test_no_retry_on_500(standin: RunningStandin, faults: FaultPlan) -> None:
    faults.fail_next, faults.fail_status = 5, 500
    async with rs_adapter(standin.url, retries=3) as adapter:
        with pytest.raises(AdapterUnavailable, match="500"):
            await adapter.fetch(PENSION_QUERY)
    assert faults.fail_next == 4


async def test_slow_system_times_out(standin: RunningStandin, faults: FaultPlan) -> None:
    faults.delay_seconds = 0.5
    started = time.monotonic()
    async with rs_adapter(standin.url, timeout_seconds=0.1, retries=1) as adapter:
        with pytest.raises(AdapterTimeout) as caught:
            await adapter.fetch(PENSION_QUERY)
    assert isinstance(caught.value, TimeoutError)
    assert time.monotonic() - started < 0.45  # two 0.1 s attempts, never the full delay


async def test_unreachable_system_is_unavailable() -> None:
    async with rs_adapter(f"http://127.0.0.1:{closed_port()}", retries=1) as adapter:
        with pytest.raises(AdapterUnavailable, match="base_url"):
            await adapter.fetch(PENSION_QUERY)


async def test_circuit_opens_then_half_opens(standin: RunningStandin, faults: FaultPlan) -> None:
    clock = FakeClock()
    breaker = CircuitBreaker("rs_http", failure_threshold=3, reset_seconds=30.0, clock=clock)
    faults.fail_next = 100
    async with rs_adapter(standin.url, retries=0, breaker=breaker) as adapter:
        for _ in range(3):
            with pytest.raises(AdapterUnavailable):
                await adapter.fetch(PENSION_QUERY)
        assert breaker.state is CircuitState.OPEN
        assert faults.fail_next == 97

        with pytest.raises(CircuitOpenError):
            await adapter.fetch(PENSION_QUERY)
        assert faults.fail_next == 97  # failed fast without calling the system

        clock.now += 29.0
        with pytest.raises(CircuitOpenError):
            await adapter.fetch(PENSION_QUERY)

        clock.now += 1.0
        faults.fail_next = 0
        assert breaker.state is CircuitState.HALF_OPEN
        assert len(await adapter.fetch(PENSION_QUERY)) == 1
        assert breaker.state is CircuitState.CLOSED


async def test_open_circuit_is_not_retried(standin: RunningStandin, faults: FaultPlan) -> None:
    breaker = CircuitBreaker("rs_http", failure_threshold=1, reset_seconds=30.0, clock=FakeClock())
    faults.fail_next = 100
    async with rs_adapter(standin.url, retries=5, breaker=breaker) as adapter:
        with pytest.raises(CircuitOpenError):
            await adapter.fetch(PENSION_QUERY)
    assert faults.fail_next == 99


def test_failed_trial_reopens_circuit() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker("ga_http", failure_threshold=2, reset_seconds=10.0, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    clock.now += 10.0
    breaker.before_call()  # the one trial call
    with pytest.raises(CircuitOpenError):
        breaker.before_call()  # a second caller while the trial runs
    breaker.record_failure()
    assert breaker.state is CircuitState.OPEN
    clock.now += 9.0
    with pytest.raises(CircuitOpenError, match="ga_http"):
        breaker.before_call()


def test_success_resets_failure_count() -> None:
    breaker = CircuitBreaker("rs_http", failure_threshold=2, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is CircuitState.CLOSED


async def test_bad_amount_names_field() -> None:
    dataset = known_dataset()
    dataset.rows("rs", "ylj")[0]["yljje"] = "3250.505"
    async with serve(dataset) as running, rs_adapter(running.url) as adapter:
        with pytest.raises(AdapterDataError) as caught:
            await adapter.fetch(PENSION_QUERY)
    assert caught.value.field == "yljje"
    assert "yljje" in str(caught.value)
    assert "3250.505" in str(caught.value)


async def test_missing_field_names_field() -> None:
    dataset = known_dataset()
    del dataset.rows("rs", "ylj")[0]["ffzt"]
    async with serve(dataset) as running, rs_adapter(running.url) as adapter:
        with pytest.raises(AdapterDataError, match="ffzt") as caught:
            await adapter.fetch(PENSION_QUERY)
    assert caught.value.field == "ffzt"


async def test_unknown_code_names_field() -> None:
    dataset = known_dataset()
    dataset.rows("rs", "ylj")[0]["xzlx"] = "999"
    async with serve(dataset) as running, rs_adapter(running.url) as adapter:
        with pytest.raises(AdapterDataError, match="xzlx"):
            await adapter.fetch(PENSION_QUERY)


async def test_bad_id_number_is_masked() -> None:
    dataset = known_dataset()
    bad_id = JOBLESS[:17] + "Y"
    dataset.rows("rs", "ylj")[0]["sfzhm"] = bad_id
    dataset.rows("rs", "ylj")[0]["xm"] = "王建国"
    async with serve(dataset) as running, rs_adapter(running.url) as adapter:
        query = AdapterQuery("req-mask", (bad_id,), PENSION_QUERY.categories, PENSION_QUERY.purpose)
        with pytest.raises(AdapterDataError) as caught:
            await adapter.fetch(query)
    assert bad_id not in str(caught.value)
    assert "1402**********" in str(caught.value)


def test_business_error_is_rejected() -> None:
    with pytest.raises(AdapterRejected, match="E1001"):
        dept_rs.extract_rows({"code": "E1001", "msg": "查询权限不足"})
    with pytest.raises(AdapterRejected, match="99"):
        dept_ga.extract_rows({"zt": "99", "ztms": "系统维护"})
    with pytest.raises(AdapterDataError, match="data"):
        dept_rs.extract_rows({"code": "0", "data": "none"})


async def test_shared_session_is_left_open(standin: RunningStandin) -> None:
    async with aiohttp.ClientSession() as session:
        adapter = rs_adapter(standin.url, session=session)
        assert len(await adapter.fetch(PENSION_QUERY)) == 1
        await adapter.close()
        assert not session.closed
        with pytest.raises(RuntimeError):
            await adapter.fetch(PENSION_QUERY)

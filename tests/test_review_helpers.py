"""Shared pieces of the periodic review tests (this module has no tests): federation, cases, a slowed adapter."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import pathlib
from collections.abc import AsyncIterator

from federation_harness import ALL_CATEGORIES, BDC, GA, RS, RunningFederation, start_federation
from hedui.adapters.base import Adapter, AdapterQuery
from hedui.adapters.standin import Dataset, Household, make_dataset, write_bdc_database
from hedui.adapters.standin.http_service import serve
from hedui.sdk import ReviewCase
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2

PERIODIC = C.PURPOSE_PERIODIC_REVIEW


@dataclasses.dataclass
class ReviewFederation:
    """A running federation whose departments read stand-in systems, and the dataset behind them."""

    fed: RunningFederation
    dataset: Dataset


@contextlib.asynccontextmanager
async def review_federation(tmp_path: pathlib.Path, households: int = 16) -> AsyncIterator[ReviewFederation]:
    """Start stand-in HTTP systems, a SQLite registry and the standard federation on loopback."""
    dataset = make_dataset(seed=31, households=households)
    write_bdc_database(dataset, tmp_path / "bdc.sqlite")
    async with serve(dataset) as standin:
        adapters = {
            RS: {"kind": "rs_http", "base_url": standin.url, "timeout_seconds": 3.0, "retries": 1},
            GA: {"kind": "ga_http", "base_url": standin.url, "timeout_seconds": 3.0, "retries": 1},
            BDC: {"kind": "bdc_sql", "database": str(tmp_path / "bdc.sqlite")},
        }
        running = await start_federation(tmp_path / "fed", adapters)
        try:
            yield ReviewFederation(running, dataset)
        finally:
            await running.close()


def make_case(fed: RunningFederation, household: Household, case_id: str, **authorization: object) -> ReviewCase:
    """Return a periodic review case whose authorization the city signed for the whole household."""
    members = [(m.id_number, m.name, m.relation_code) for m in household.members]
    signed = fed.authorization(members, purpose=PERIODIC, record_id=f"REC-{case_id}", **authorization)  # type: ignore[arg-type]
    return ReviewCase(case_id, signed, tuple(m.id_number for m in household.members), ALL_CATEGORIES, PERIODIC,
                      f"REF-{case_id}")


def make_cases(review: ReviewFederation, count: int, prefix: str = "FC") -> list[ReviewCase]:
    """Return ``count`` cases over the dataset's households, repeating them when count is larger."""
    households = review.dataset.households
    return [make_case(review.fed, households[index % len(households)], f"{prefix}-{index + 1:04d}")
            for index in range(count)]


class SlowCountingAdapter(Adapter):
    """Wraps a department's real adapter: waits before each fetch and counts fetches in flight.

    ``slow_ids`` lists ID numbers whose queries wait ``slow_seconds`` instead of ``delay``.
    """

    def __init__(self, inner: Adapter, delay: float, slow_ids: frozenset[str] = frozenset(),
                 slow_seconds: float = 0.0) -> None:
        self.inner = inner
        self.categories = inner.categories
        self.delay = delay
        self.slow_ids = slow_ids
        self.slow_seconds = slow_seconds
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls = 0

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            slow = self.slow_ids.intersection(query.id_numbers)
            await asyncio.sleep(self.slow_seconds if slow else self.delay)
            return await self.inner.fetch(query)
        finally:
            self.in_flight -= 1

    async def close(self) -> None:
        await self.inner.close()


def slow_down(fed: RunningFederation, node_id: str, delay: float, **options: object) -> SlowCountingAdapter:
    """Wrap one department node's adapter in a SlowCountingAdapter and return the wrapper."""
    node = fed.nodes[node_id]
    assert node.adapter is not None
    wrapper = SlowCountingAdapter(node.adapter, delay, **options)  # type: ignore[arg-type]
    node.adapter = wrapper
    return wrapper

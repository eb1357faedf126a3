"""Fixtures for the adapter tests: stand-in servers on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from adapters_known_dataset import known_dataset

from hedui.adapters.standin.http_service import FaultPlan, RunningStandin, serve


@pytest.fixture
def faults() -> FaultPlan:
    """A fault plan the stand-in server reads on every call."""
    return FaultPlan()


@pytest.fixture
async def standin(faults: FaultPlan) -> AsyncIterator[RunningStandin]:
    """A stand-in 人社/公安 server on 127.0.0.1 serving the known dataset."""
    async with serve(known_dataset(), faults=faults) as running:
        yield running

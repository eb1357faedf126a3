"""Shared fixtures."""

from __future__ import annotations

import os
import pathlib
import sys

# Keep gRPC core's INFO lines out of test output; it reads this once at import.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test with the default language unless the test sets HEDUI_LANG itself."""
    monkeypatch.delenv("HEDUI_LANG", raising=False)


def service_url(variable: str) -> str:
    """Return a service address from the environment, or skip with the reason."""
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"{variable} is not set; .ci/run sets it to the local service")
    return value

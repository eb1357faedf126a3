"""Smoke test of bench/exchange.py: it starts, runs both paths and prints the ratio line last.

It checks the output format only, never the speed, because the machine running the tests may be busy.
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "exchange.py"
RATIO_LINE = re.compile(r"gateway/bare throughput ratio: \d+\.\d\d")


@pytest.mark.slow
def test_bench_prints_ratio_line_last() -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--requests", "40", "--concurrency", "4"],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = completed.stdout.strip().splitlines()
    assert lines, completed.stderr[-2000:]
    assert RATIO_LINE.fullmatch(lines[-1]), lines[-1]

"""Smoke test of bench/review.py: it starts a federation, runs both phases and prints the ratio line last.

It checks the output format only, never the speed, because the machine running the tests may be busy.
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "review.py"
RATIO_LINE = re.compile(r"review/single throughput ratio: \d+\.\d\d")


@pytest.mark.slow
def test_review_bench_prints_ratio_line_last() -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--households", "20", "--concurrency", "4"],
        capture_output=True, text=True, timeout=110,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    lines = completed.stdout.strip().splitlines()
    assert lines, completed.stderr[-2000:]
    assert RATIO_LINE.fullmatch(lines[-1]), lines[-1]

"""Smoke test of bench/federation_costs.py: it runs every variant and prints the ratio line last.

It checks the output format only, never the speed, because the machine running the tests may be busy.
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "federation_costs.py"
RATIO_LINE = re.compile(r"mtls/plain throughput ratio: \d+\.\d\d")


@pytest.mark.slow
@pytest.mark.timeout(160)
def test_federation_bench_prints_ratio_line_last() -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--requests", "30", "--concurrency", "4", "--rounds", "1"],
        capture_output=True, text=True, timeout=150,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = completed.stdout.strip().splitlines()
    assert lines, completed.stderr[-2000:]
    assert RATIO_LINE.fullmatch(lines[-1]), lines[-1]

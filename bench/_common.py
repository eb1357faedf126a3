"""Helpers shared by the bench scripts: server child processes, bounded load runs and CPU accounting.

``bench/exchange.py`` and ``bench/federation_costs.py`` import this module
from their own folder, which Python puts first on ``sys.path`` when it runs
a script.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import os
import pathlib
import platform
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable

from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import utcnow
from hedui.sdk import AuthorizationBuilder, sign_authorization
from hedui.v1 import authorization_pb2
from hedui.v1 import common_pb2 as C

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
REQUEST_TIMEOUT_SECONDS = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclasses.dataclass
class ServerProcess:
    """A server child process whose stdout and stderr go to files in the work directory."""

    name: str
    process: subprocess.Popen[bytes]
    stdout_path: pathlib.Path
    stderr_path: pathlib.Path

    @classmethod
    def start(cls, name: str, command: list[str], workdir: pathlib.Path) -> "ServerProcess":
        stdout_path, stderr_path = workdir / f"{name}.out", workdir / f"{name}.err"
        with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
            process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=workdir, stdin=subprocess.DEVNULL)
        return cls(name, process, stdout_path, stderr_path)

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> int:
        """Wait for the ``READY <name> <port>`` line and return the port, or raise RuntimeError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.stdout_path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("READY "):
                    return int(line.split()[-1])
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        tail = self.stderr_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"{self.name} did not print READY within {timeout:.0f} s "
                           f"(exit code {self.process.poll()}); stderr ends with:\n{tail}")

    def cpu_seconds(self) -> float:
        """Return the user plus system CPU time the process has used so far."""
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        """Send SIGTERM, wait for a clean exit, and kill the process if it does not exit in time."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cpu_seconds(pid: int | str) -> float:
    # Fields 14 and 15 of /proc/PID/stat are utime and stime in clock ticks. The command name
    # (field 2) may contain spaces, so the fields are counted from its closing parenthesis.
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclasses.dataclass
class RunResult:
    """Latencies and counts of one bounded load run."""

    path: str
    latencies: list[float]
    errors: int
    elapsed: float
    first_error: str
    cpu: dict[str, float]

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return self.completed / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, fraction: float) -> float:
        """Return the nearest-rank percentile of the latencies in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, int(round(fraction * len(ordered) + 0.4999)))
        return ordered[min(rank, len(ordered)) - 1] * 1000

    def summary(self) -> str:
        cpu = ", ".join(f"{name} {seconds * 1000 / max(self.completed, 1):.2f}" for name, seconds in self.cpu.items())
        text = (f"{self.throughput:8.1f} req/s  p50 {self.percentile_ms(0.50):7.2f} ms  "
                f"p99 {self.percentile_ms(0.99):7.2f} ms  ok {self.completed}  errors {self.errors}  "
                f"CPU ms/request: {cpu}")
        if self.first_error:
            text += f"\n    first error: {self.first_error}"
        return text


async def drive(call: Callable[[], Awaitable[None]], requests: int, concurrency: int,
                max_seconds: float) -> tuple[list[float], int, float, str]:
    """Run ``requests`` calls from ``concurrency`` tasks, stopping early after ``max_seconds``.

    Returns (latencies in seconds of the successful calls, error count,
    elapsed seconds, first error text).
    """
    latencies: list[float] = []
    errors = 0
    first_error = ""
    next_index = 0
    started = time.perf_counter()
    deadline = started + max_seconds

    async def worker() -> None:
        nonlocal next_index, errors, first_error
        while next_index < requests and time.perf_counter() < deadline:
            next_index += 1
            begun = time.perf_counter()
            try:
                await call()
            except Exception as exc:  # noqa: BLE001 - every failure is counted and the first one shown
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"[:300]
                continue
            latencies.append(time.perf_counter() - begun)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started, first_error


async def measure(path: str, call: Callable[[], Awaitable[None]], args: argparse.Namespace, requests: int,
                  processes: dict[str, ServerProcess]) -> RunResult:
    """Drive one run and record the CPU time each process spent in it."""
    def snapshot() -> dict[str, float]:
        cpu = {"client": cpu_seconds("self")}
        cpu.update({name: process.cpu_seconds() for name, process in processes.items()})
        return cpu

    before = snapshot()
    latencies, errors, elapsed, first_error = await drive(call, requests, args.concurrency, args.max_seconds)
    after = snapshot()
    cpu = {name: after[name] - before[name] for name in after}
    return RunResult(path, latencies, errors, elapsed, first_error, cpu)


def machine_description() -> str:
    """Return cores, CPU model, Python version and kernel of this machine."""
    model = "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.release()}")


def positive_int(maximum: int) -> Callable[[str], int]:
    """Return an argparse type that accepts an integer from 1 to ``maximum``."""
    def parse(text: str) -> int:
        value = int(text)
        if not 1 <= value <= maximum:
            raise argparse.ArgumentTypeError(f"must be from 1 to {maximum}, got {value}")
        return value
    return parse


def bench_authorization(issuer: str, grantee: str, issuer_key: SigningKey, categories: tuple[int, ...],
                        members: list[tuple[str, str, str]]) -> authorization_pb2.SignedAuthorization:
    """Sign a one-day authorization that covers the household, the categories and the grantee's case systems."""
    now = utcnow()
    builder = (AuthorizationBuilder().record_id("BENCH-0001").issuer(issuer).grantee(grantee)
               .categories(*categories).purpose(C.PURPOSE_INITIAL_ELIGIBILITY)
               .valid(now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))
               .paper_form(b"bench authorization letter", "基准测试"))
    for number, name, relation in members:
        builder = builder.member(number, name, relation)
    return sign_authorization(builder.build(), issuer_key)

"""Child processes of the demo: started with the same Python, ready when they print READY."""

from __future__ import annotations

import asyncio
import os
import pathlib
import signal
import sys

from hedui.gateway.errors import current_lang

START_TIMEOUT_SECONDS = 30.0


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


class Process:
    """A child process that prints one READY line when it serves."""

    def __init__(self, name: str, proc: asyncio.subprocess.Process, log_path: pathlib.Path) -> None:
        self.name = name
        self.proc = proc
        self.log_path = log_path

    @classmethod
    async def spawn(cls, name: str, args: list[str], log_path: pathlib.Path) -> "Process":
        stderr = open(log_path, "wb")  # noqa: SIM115 - closed when the process is reaped
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE, stderr=stderr, stdin=asyncio.subprocess.DEVNULL, env=env,
        )
        stderr.close()
        return cls(name, proc, log_path)

    async def ready(self, timeout: float = START_TIMEOUT_SECONDS) -> str:
        """Wait for the READY line and return the rest of it."""
        assert self.proc.stdout is not None
        try:
            while True:
                line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
                if not line:
                    raise RuntimeError(self._failure(_t("进程提前退出", "exited early")))
                text = line.decode().strip()
                if text.startswith("READY"):
                    return text.removeprefix("READY").strip()
        except asyncio.TimeoutError:
            raise RuntimeError(self._failure(_t(f"{timeout:.0f} 秒内未就绪", f"not ready within {timeout:.0f} s"))) from None

    def _failure(self, what: str) -> str:
        tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-1500:] if self.log_path.exists() else ""
        return f"{self.name}: {what}\n{tail}"

    async def stop(self) -> int:
        """Send SIGTERM, wait up to ten seconds (a loaded machine is slow to checkpoint), then kill."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except asyncio.TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode or 0

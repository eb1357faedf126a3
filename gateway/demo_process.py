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
        creating = asyncio.ensure_future(asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE, stderr=stderr, stdin=asyncio.subprocess.DEVNULL, env=env,
        ))
        try:
            proc = await asyncio.shield(creating)
        except asyncio.CancelledError:
            # Ctrl-C cancelled the demo while the child was being created. Left to itself, asyncio
            # would close the half-made transport, which reaps a child already dead of the terminal's
            # SIGINT behind its watcher's back, and the watcher logs "Unknown child process".
            # Finish creating it and stop it like every other child instead.
            await cls(name, await creating, log_path).stop()
            raise
        finally:
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
        """Send SIGTERM, wait up to ten seconds (a loaded machine is slow to checkpoint), then kill.

        Returns the exit code, negative for a signal, as subprocess reports it. A child can die of
        our SIGTERM when it is still starting and has no handler yet. That is the requested stop,
        so it counts as 0. A SIGKILL after the ten seconds is reported as -9.
        """
        if self.proc.returncode is not None:
            return self.proc.returncode
        self._signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 10)
        except asyncio.TimeoutError:
            self._signal(signal.SIGKILL)
            await self.proc.wait()
        code = self.proc.returncode or 0
        return 0 if code == -signal.SIGTERM else code

    def _signal(self, number: int) -> None:
        """Send a signal with os.kill, leaving the reaping to asyncio's child watcher.

        asyncio's send_signal and kill go through subprocess.Popen.send_signal, which polls the
        child first (Python 3.9 and later). When the child has just exited, for example of the
        terminal's SIGINT at Ctrl-C, that poll reaps it, and the watcher then logs "Unknown child
        process" and reports exit code 255. Until the watcher has reaped the child, its pid cannot
        be reused, so os.kill cannot hit another process.
        """
        try:
            os.kill(self.proc.pid, number)
        except ProcessLookupError:
            pass  # The watcher reaped it a moment ago; proc.wait() returns its code.

"""start.sh and stop.sh of a kept demo folder, run with bash against real processes on loopback.

Most tests use a Python process with "hedui" on its command line in place of a node, so they need no
whole federation. test_demo.py runs the scripts of a real kept federation.
"""

from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Iterator

import pytest

from hedui.gateway.demo import make_standin
from hedui.gateway.demo_scripts import write_control_scripts
from hedui.gateway.federation import free_port

SCRIPT_TIMEOUT_SECONDS = 60
# A process in place of a node: "hedui" is on its command line, and it prints "ready" once its handler is set.
SLEEPER = """
import signal, sys, time
if sys.argv[1] == "ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
elif sys.argv[1] == "slow-exit":
    # Like a node writing its audit checkpoint: exit a second after SIGTERM.
    signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1.0), sys.exit(0)))
print("ready", flush=True)
time.sleep(60)
"""


def fake_federation(root: pathlib.Path, names: list[str], port: int | None = None) -> types.SimpleNamespace:
    """Return what write_control_scripts reads of a federation: node configs under root and their addresses."""
    configs = {name: root / "federation" / "nodes" / name / "node.toml" for name in names}
    addresses = {name: f"127.0.0.1:{port or free_port()}" for name in names}
    return types.SimpleNamespace(configs=configs, addresses=addresses)


def run_script(root: pathlib.Path, script: str, lang: str | None = None,
               **env_values: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("HEDUI_LANG", "HEDUI_STOP_SECONDS")}
    if lang:
        env["HEDUI_LANG"] = lang
    env.update(env_values)
    return subprocess.run([str(root / script)], capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_SECONDS,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.fixture
def sleepers() -> Iterator[list[subprocess.Popen[str]]]:
    """Started sleepers; any still running at the end of the test is killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def start_sleeper(sleepers: list[subprocess.Popen[str]], behaviour: str = "default",
                  marker: str = "hedui.gateway.cli-test") -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", SLEEPER, behaviour, marker], stdout=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL)
    sleepers.append(process)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def record_pid(root: pathlib.Path, name: str, pid: int) -> None:
    (root / "run").mkdir(exist_ok=True)
    (root / "run" / f"{name}.pid").write_text(f"{pid}\n", encoding="utf-8")


def runs_hedui(pid: int) -> bool:
    """Return whether pid is a running hedui process; an exited one that is not yet reaped has an empty command line."""
    try:
        command_line = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    return b"hedui.gateway.cli" in command_line or b"hedui.adapters.standin" in command_line


def snapshot(root: pathlib.Path) -> dict[str, tuple[bytes, int]]:
    """Return every file under root with its content and modification time."""
    return {str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_start_refuses_while_recorded_process_runs(tmp_path: pathlib.Path, sleepers: list) -> None:
    write_control_scripts(tmp_path, {}, fake_federation(tmp_path, ["140000_RS", "140000_GA"]), lang="zh")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "140000_RS.log").write_text("a line the running node wrote\n", encoding="utf-8")
    record_pid(tmp_path, "140000_RS", start_sleeper(sleepers).pid)
    before = snapshot(tmp_path)

    done = run_script(tmp_path, "start.sh")

    assert done.returncode == 1
    assert "未启动" in done.stderr
    assert "140000_RS" in done.stderr
    assert "./stop.sh" in done.stderr
    assert snapshot(tmp_path) == before
    assert sleepers[0].poll() is None


def test_start_refuses_when_port_in_use(tmp_path: pathlib.Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        write_control_scripts(tmp_path, {}, fake_federation(tmp_path, ["140000_RS"], port), lang="zh")
        before = snapshot(tmp_path)

        done = run_script(tmp_path, "start.sh", lang="en")

    assert done.returncode == 1
    assert f"port(s) {port} already in use" in done.stderr
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "run").exists()


def test_scripts_speak_language_of_generation(tmp_path: pathlib.Path, sleepers: list) -> None:
    write_control_scripts(tmp_path, {}, fake_federation(tmp_path, ["140000_RS"]), lang="en")
    record_pid(tmp_path, "140000_RS", start_sleeper(sleepers).pid)

    refused = run_script(tmp_path, "start.sh")
    refused_zh = run_script(tmp_path, "start.sh", lang="zh")
    stopped = run_script(tmp_path, "stop.sh")

    assert "not started: processes of this federation are still running (140000_RS)" in refused.stderr
    assert "未启动" in refused_zh.stderr
    assert stopped.stdout.strip() == "processes stopped: 1."


def test_stop_waits_until_processes_exit(tmp_path: pathlib.Path, sleepers: list) -> None:
    write_control_scripts(tmp_path, {}, fake_federation(tmp_path, ["140000_RS", "140000_GA"]), lang="zh")
    slow = start_sleeper(sleepers, "slow-exit")
    quick = start_sleeper(sleepers)
    record_pid(tmp_path, "140000_RS", slow.pid)
    record_pid(tmp_path, "140000_GA", quick.pid)

    done = run_script(tmp_path, "stop.sh")

    assert done.returncode == 0, done.stderr
    # Both have exited by the time stop.sh returns; poll() only reaps them.
    assert slow.poll() == 0
    assert quick.poll() == -signal.SIGTERM
    assert done.stdout.strip() == "已停止 2 个进程。"
    assert done.stderr == ""
    assert not list((tmp_path / "run").glob("*.pid"))


def test_stop_kills_process_ignoring_sigterm(tmp_path: pathlib.Path, sleepers: list) -> None:
    write_control_scripts(tmp_path, {}, fake_federation(tmp_path, ["140000_RS"]), lang="zh")
    stubborn = start_sleeper(sleepers, "ignore-term")
    record_pid(tmp_path, "140000_RS", stubborn.pid)
    started = time.monotonic()

    done = run_script(tmp_path, "stop.sh", HEDUI_STOP_SECONDS="1")

    assert done.returncode == 0, done.stderr
    assert stubborn.poll() == -signal.SIGKILL
    assert "1 秒内未退出，已强制结束（SIGKILL）：140000_RS" in done.stderr
    assert time.monotonic() - started < 10


def test_stop_leaves_reused_pid_alone(tmp_path: pathlib.Path, sleepers: list) -> None:
    # A pid file left from a crash whose pid now belongs to a program that is not hedui.
    write_control_scripts(tmp_path, {}, fake_federation(tmp_path, ["140000_RS"]), lang="zh")
    other = start_sleeper(sleepers, marker="other-program")
    record_pid(tmp_path, "140000_RS", other.pid)

    done = run_script(tmp_path, "stop.sh")

    assert done.returncode == 0, done.stderr
    assert other.poll() is None
    assert done.stdout.strip() == "没有正在运行的进程。"
    assert not (tmp_path / "run" / "140000_RS.pid").exists()


def test_restart_after_crash_appends_to_log(tmp_path: pathlib.Path) -> None:
    # A real stand-in service, and a pid file left by a process that has exited without stop.sh.
    port = free_port()
    make_standin(tmp_path, "standin", seed=7)
    write_control_scripts(tmp_path, {"standin": f"http://127.0.0.1:{port}"},
                          types.SimpleNamespace(configs={}, addresses={}), lang="zh")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "standin.log").write_text("an earlier run\n", encoding="utf-8")
    exited = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                            timeout=30)
    record_pid(tmp_path, "standin", int(exited.stdout))

    started = run_script(tmp_path, "start.sh")
    try:
        pid = int((tmp_path / "run" / "standin.pid").read_text())
        assert started.returncode == 0, started.stderr
        assert started.stdout.strip() == "已启动 1 个进程；用 ./stop.sh 停止。"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        stopped = run_script(tmp_path, "stop.sh")

    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.strip() == "已停止 1 个进程。"
    assert not runs_hedui(pid)
    log = (tmp_path / "logs" / "standin.log").read_text(encoding="utf-8")
    assert log.startswith("an earlier run\n== start.sh ")


def test_start_reports_process_that_exits(tmp_path: pathlib.Path) -> None:
    # No stand-in data in the folder, so the stand-in service exits at once.
    write_control_scripts(tmp_path, {"standin": f"http://127.0.0.1:{free_port()}"},
                          types.SimpleNamespace(configs={}, addresses={}), lang="zh")
    started = time.monotonic()

    done = run_script(tmp_path, "start.sh")
    stopped = run_script(tmp_path, "stop.sh")

    assert done.returncode == 1
    assert "未就绪：standin（原因见 logs/standin.log）" in done.stderr
    # It stopped waiting when the process exited, well before the 30 s limit.
    assert time.monotonic() - started < 20
    assert (tmp_path / "logs" / "standin.log").read_text(encoding="utf-8").startswith("== start.sh ")
    assert stopped.stdout.strip() == "没有正在运行的进程。"

"""The `hedui demo` command, run as a user runs it: a separate process per node."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from hedui.gateway.cli import build_parser

DEMO_TIMEOUT_SECONDS = 90
# The province demo runs every department of the stand-in systems, one node each.
DEPARTMENTS = ["140000/RS", "140000/BDC", "140000/GA", "140000/MZ/HYBZ", "140000/MZ/DB", "140000/YB", "140000/GJJ",
               "140000/SW", "140000/SCJG", "140000/CL", "140000/WJ", "140000/JR", "140000/XCZX"]


def run_demo(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("HEDUI_LANG", None)
    if lang:
        env["HEDUI_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "hedui.gateway.cli", "demo", *args], capture_output=True, text=True,
                          timeout=DEMO_TIMEOUT_SECONDS, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_demo_json_lists_sources() -> None:
    done = run_demo("--json")

    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    nodes = sorted(source["node"] for source in report["sources"])
    assert nodes == sorted(DEPARTMENTS)
    for source in report["sources"]:
        assert source["status"] in ("ANSWERED", "NO_RECORD")
        assert isinstance(source["records"], list)
        assert source["signature_verified"] is True
    assert sum(len(source["records"]) for source in report["sources"]) > 0
    assert sorted(report["audit"]) == sorted(["140000/MZ", "140100/MZ", *DEPARTMENTS])
    answers = {answer["question_id"]: answer for answer in report["answers"]}
    assert sorted(answers) == ["business_capital", "financial_assets", "income_below", "second_home", "vehicle_value"]
    assert {answer["result"] for answer in answers.values()} <= {"YES", "NO"}
    assert answers["income_below"]["sources"] == ["140000/RS", "140000/SW"]


@pytest.mark.slow
def test_demo_prints_chinese_table() -> None:
    done = run_demo()

    assert done.returncode == 0, done.stderr[-2000:]
    assert "家庭经济状况核对报告" in done.stdout
    assert "审计链验证" in done.stdout
    assert done.stdout.count("完整，") == 2 + len(DEPARTMENTS)
    # ID numbers appear masked only.
    assert "**********" in done.stdout


@pytest.mark.slow
def test_demo_keep_saves_files(tmp_path: pathlib.Path) -> None:
    keep = tmp_path / "federation-files"
    done = run_demo("--keep", str(keep), lang="en")

    assert done.returncode == 0, done.stderr[-2000:]
    assert "Household economic status verification report" in done.stdout
    assert (keep / "federation" / "directory.json").exists()
    assert (keep / "federation" / "nodes" / "140000_MZ" / "node.toml").exists()
    assert (keep / "federation" / "nodes" / "140000_MZ" / "data" / "audit.sqlite").exists()
    assert (keep / "standin" / "bdc.sqlite").exists()


def test_demo_keep_rejects_nonempty_folder(tmp_path: pathlib.Path) -> None:
    (tmp_path / "something").write_text("x")
    done = run_demo("--keep", str(tmp_path))

    assert done.returncode == 2
    assert "INVALID_OPTION" in done.stderr


def test_demo_lang_after_subcommand(tmp_path: pathlib.Path) -> None:
    (tmp_path / "something").write_text("x")
    done = run_demo("--keep", str(tmp_path), "--lang", "en")

    assert done.returncode == 2
    assert "unrecognized arguments" not in done.stderr
    assert "error [INVALID_OPTION]" in done.stderr
    assert "the folder must be empty or absent" in done.stderr


def test_demo_parses_readme_options() -> None:
    # Every option of the README's demo paragraph, in the position the README shows it: after `demo`.
    args = build_parser().parse_args(["demo", "--federation", "full", "--json", "--keep", "DIR", "--html", "PATH",
                                      "--lang", "en"])

    assert args.federation == "full"
    assert args.json is True
    assert args.keep == pathlib.Path("DIR")
    assert args.html == pathlib.Path("PATH")
    assert args.lang == "en"


def test_demo_lang_before_subcommand() -> None:
    assert build_parser().parse_args(["--lang", "en", "demo"]).lang == "en"


def runs_hedui(pid: int) -> bool:
    """Return whether pid is a running hedui process; an exited one that is not yet reaped has an empty command line."""
    try:
        return b"hedui" in pathlib.Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


def interrupt_demo(keep: pathlib.Path, *args: str) -> tuple[int, str, str]:
    """Start the demo, press Ctrl-C once its nodes are starting, and return (exit code, stdout, stderr).

    Ctrl-C in a terminal sends SIGINT to the whole foreground process group, the demo's children
    included, so the demo runs in a group of its own and the test signals that group.
    """
    env = {key: value for key, value in os.environ.items() if key != "HEDUI_LANG"}
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen([sys.executable, "-m", "hedui.gateway.cli", "demo", "--keep", str(keep), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                               env=env, start_new_session=True,
                               # A shell that started the tests in the background may have left SIGINT ignored.
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + DEMO_TIMEOUT_SECONDS
        # The province's log appears when the demo spawns the first node.
        while not (keep / "logs" / "140000_MZ.log").exists():
            assert process.poll() is None, process.communicate()[1][-2000:]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=DEMO_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # No process of the demo's group is left: the demo has stopped and reaped every child.
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    return process.returncode, stdout, stderr


@pytest.mark.slow
def test_demo_interrupt_stops_everything(tmp_path: pathlib.Path) -> None:
    code, _, stderr = interrupt_demo(tmp_path / "fed")

    assert code == 130
    assert f"演示已中断，所有进程均已停止。已生成的文件保留在 {tmp_path / 'fed'}。" in stderr
    assert "WARNING" not in stderr
    assert "-15" not in stderr
    assert "Traceback" not in stderr


@pytest.mark.slow
def test_demo_interrupt_in_english(tmp_path: pathlib.Path) -> None:
    code, _, stderr = interrupt_demo(tmp_path / "fed", "--lang", "en")

    assert code == 130
    assert "demo interrupted; every process was stopped." in stderr
    assert "WARNING" not in stderr
    assert "演示" not in stderr


@pytest.mark.slow
def test_kept_federation_restarts(tmp_path: pathlib.Path) -> None:
    keep = tmp_path / "fed"
    assert run_demo("--keep", str(keep)).returncode == 0

    started = subprocess.run([str(keep / "start.sh")], capture_output=True, text=True, timeout=90)
    try:
        assert started.returncode == 0, started.stderr
        pids = {path.name: path.read_text() for path in (keep / "run").glob("*.pid")}
        logs = {path.name: path.read_bytes() for path in (keep / "logs").iterdir()}
        # A second start while the first one serves changes nothing.
        again = subprocess.run([str(keep / "start.sh")], capture_output=True, text=True, timeout=90)
        pids_after = {path.name: path.read_text() for path in (keep / "run").glob("*.pid")}
        example = pathlib.Path(__file__).resolve().parent.parent / "examples" / "verify_household.py"
        done = subprocess.run([sys.executable, str(example), str(keep)], capture_output=True, text=True, timeout=60)
    finally:
        stopped = subprocess.run([str(keep / "stop.sh")], capture_output=True, text=True, timeout=60)

    assert started.stdout.strip() == f"已启动 {len(DEPARTMENTS) + 3} 个进程；用 ./stop.sh 停止。"
    assert again.returncode == 1
    assert "未启动：该联邦的进程仍在运行" in again.stderr
    assert pids_after == pids
    assert done.returncode == 0, done.stderr[-2000:]
    assert "家庭经济状况核对报告" in done.stdout
    assert "已验证" in done.stdout
    assert "不可用" not in done.stdout
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.strip() == f"已停止 {len(pids)} 个进程。"
    assert not list((keep / "run").glob("*.pid"))
    # stop.sh returned only after the processes that the first start.sh started had exited.
    assert [name for name, pid in pids.items() if runs_hedui(int(pid))] == []
    # The second start.sh truncated no log: each still begins with what it held before.
    for name, content in logs.items():
        assert (keep / "logs" / name).read_bytes().startswith(content), name


@pytest.mark.slow
def test_full_federation_demo_crosses_provinces() -> None:
    done = run_demo("--federation", "full", "--json")

    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["responder"] == "140000/MZ"
    assert report["cross_province"]["responder"] == "410000/MZ"
    nodes = sorted(source["node"] for source in report["cross_province"]["sources"])
    assert nodes == ["410000/BDC", "410000/GA", "410000/RS"]
    assert all(source["signature_verified"] for source in report["cross_province"]["sources"])
    assert "000000/MZ" in report["audit"]
    assert report["audit"]["000000/MZ"]["entries"] == 1

"""The `hedui demo` command, run as a user runs it: a separate process per node."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

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


@pytest.mark.slow
def test_kept_federation_restarts(tmp_path: pathlib.Path) -> None:
    keep = tmp_path / "fed"
    assert run_demo("--keep", str(keep)).returncode == 0

    started = subprocess.run([str(keep / "start.sh")], capture_output=True, text=True, timeout=90)
    try:
        assert started.returncode == 0, started.stderr
        example = pathlib.Path(__file__).resolve().parent.parent / "examples" / "verify_household.py"
        done = subprocess.run([sys.executable, str(example), str(keep)], capture_output=True, text=True, timeout=60)
    finally:
        stopped = subprocess.run([str(keep / "stop.sh")], capture_output=True, text=True, timeout=30)

    assert done.returncode == 0, done.stderr[-2000:]
    assert "家庭经济状况核对报告" in done.stdout
    assert "已验证" in done.stdout
    assert "不可用" not in done.stdout
    assert stopped.returncode == 0
    assert not list((keep / "run").glob("*.pid"))


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

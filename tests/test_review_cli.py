"""`hedui review run` and `hedui review sample` as a user runs them: a separate process against a loopback federation."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import pathlib
import shlex
import signal
import sys
import time
from collections.abc import AsyncIterator

import pytest

from federation_harness import RS
from hedui.gateway.timeutil import utcnow
from hedui.sdk import case_to_json
from test_review_helpers import ReviewFederation, make_case, make_cases, review_federation, slow_down

COMMAND_TIMEOUT_SECONDS = 60
HEDUI = [sys.executable, "-m", "hedui.gateway.cli"]


@pytest.fixture
async def federation(tmp_path: pathlib.Path) -> AsyncIterator[ReviewFederation]:
    async with review_federation(tmp_path) as running:
        yield running


def client_options(federation: ReviewFederation) -> list[str]:
    root = federation.fed.fed.root
    return [
        "--key", str(root / "keys" / "140100_MZ_HDXT.key"), "--caller", "140100/MZ/HDXT",
        "--directory", str(root / "directory.json"), "--anchor", str(root / "keys" / "anchor.pub"),
        "--server-node", "140100/MZ", "--target", "140000/MZ",
        "--tls-ca", str(root / "tls" / "ca.crt"), "--tls-cert", str(root / "tls" / "140100_MZ_HDXT.crt"),
        "--tls-key", str(root / "tls" / "140100_MZ_HDXT.tls.key"),
    ]


def review_command(federation: ReviewFederation, input_file: pathlib.Path, output: pathlib.Path,
                   *extra: str) -> list[str]:
    return [*HEDUI, "review", "run", "--input", str(input_file), "--output", str(output), *client_options(federation),
            *extra]


async def run(command: list[str]) -> tuple[int, str, str]:
    """Run a command while this event loop keeps serving the federation; return (code, stdout, stderr)."""
    env = {key: value for key, value in os.environ.items() if key != "HEDUI_LANG"}
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL,
                                                   env=env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT_SECONDS)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def case_ids(path: pathlib.Path) -> list[str]:
    return [json.loads(line)["case_id"] for line in path.read_text(encoding="utf-8").splitlines()]


async def test_run_resumes_after_ctrl_c(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    slow_down(federation.fed, RS, 0.1)
    now = utcnow()
    cases = make_cases(federation, 24)
    expired = (now - datetime.timedelta(days=60), now - datetime.timedelta(days=30))
    cases[10] = make_case(federation.fed, federation.dataset.households[0], "BAD-EXPIRED", window=expired)
    input_file = tmp_path / "cases.jsonl"
    input_file.write_text("".join(case_to_json(case) + "\n" for case in cases), encoding="utf-8")
    output = tmp_path / "results.jsonl"
    command = review_command(federation, input_file, output, "--concurrency", "2")

    # 1. Start, and press Ctrl-C once a few households are written.
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL)
    deadline = time.monotonic() + COMMAND_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.returncode is None:
        if output.exists() and len(output.read_bytes().splitlines()) >= 4:
            break
        await asyncio.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT_SECONDS)

    assert process.returncode == 130, stderr.decode()[-2000:]
    assert "已中断" in stderr.decode()
    first = case_ids(output)
    assert 4 <= len(first) < 24

    # 2. The same command again finishes the rest; the expired household fails, so the code is 1.
    code, stdout, stderr_text = await run(command)

    assert code == 1, stderr_text[-2000:]
    assert f"此前已完成 {len(first)} 户" in stderr_text
    assert "已完成 24/24 户，失败 1 户" in stderr_text
    assert "--retry-failed" in stdout
    second = case_ids(output)
    assert sorted(second) == sorted(case.case_id for case in cases)
    assert second[:len(first)] == first

    # 3. --retry-failed verifies only the failed household again, which still fails.
    code, stdout, stderr_text = await run([*command, "--retry-failed", "--lang", "en"])

    assert code == 1
    assert "Removed 1 results to verify again" in stderr_text
    assert "done 24/24 households, 1 failed" in stderr_text
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["case_id"] for line in lines) == sorted(case.case_id for case in cases)
    failed = [line for line in lines if line["status"] == "failed"]
    assert [(line["case_id"], line["reason"]) for line in failed] == [("BAD-EXPIRED", "AUTHORIZATION_EXPIRED")]
    assert failed[0]["message"]
    assert failed[0]["report"] is None


async def test_bad_input_stops_before_any_household(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    cases = make_cases(federation, 3)
    lines = [case_to_json(case) for case in cases]
    lines.insert(1, '{"case_id": "FC-X", "authorization": "AAAA"}')
    input_file = tmp_path / "cases.jsonl"
    input_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "results.jsonl"

    code, _, stderr = await run(review_command(federation, input_file, output))

    assert code == 2
    assert "第 2 行" in stderr
    assert "缺少字段 members, categories" in stderr
    assert "未核对任何家庭" in stderr
    assert not output.exists()


async def test_same_input_and_output_rejected(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    input_file = tmp_path / "cases.jsonl"
    content = case_to_json(make_cases(federation, 1)[0]) + "\n"
    input_file.write_text(content, encoding="utf-8")

    code, _, stderr = await run(review_command(federation, input_file, input_file))

    assert code == 2
    assert "REVIEW_SAME_FILE" in stderr
    assert input_file.read_text(encoding="utf-8") == content


async def test_sample_writes_runnable_input(federation: ReviewFederation, tmp_path: pathlib.Path) -> None:
    # The layout `hedui demo --keep` leaves: federation/ with keys and directory, standin/ with the dataset.
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "federation").symlink_to(federation.fed.fed.root)
    federation.dataset.save(demo / "standin")
    cases = tmp_path / "cases.jsonl"

    code, stdout, stderr = await run([*HEDUI, "review", "sample", "--demo", str(demo), "--output", str(cases),
                                      "--households", "5"])

    assert code == 0, stderr[-2000:]
    assert "已写入 5 户的复核输入" in stdout
    printed = shlex.split(stdout.strip().splitlines()[-1])
    assert printed[:3] == ["hedui", "review", "run"]

    code, _, stderr = await run([*HEDUI, *printed[1:], "--lang", "en"])

    assert code == 0, stderr[-2000:]
    assert "done 5/5 households, 0 failed" in stderr
    results = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["status"] for line in results] == ["ok"] * 5

    code, _, stderr = await run([*HEDUI, "review", "sample", "--demo", str(demo), "--output", str(cases)])

    assert code == 2
    assert "FILE_EXISTS" in stderr


@pytest.mark.parametrize(("layout", "lang", "expected"), [
    ("absent", "zh", "不是 hedui demo --keep 保存的联邦目录（该目录不存在）。请先运行 hedui demo --keep DIR"),
    ("empty", "zh", "不是 hedui demo --keep 保存的联邦目录（缺少 standin/households.json）"),
    ("standin only", "en", "not a federation folder kept by hedui demo --keep (federation/keys/140100_MZ.key is missing)"),
])
async def test_sample_rejects_folder_not_kept(tmp_path: pathlib.Path, layout: str, lang: str, expected: str) -> None:
    demo = tmp_path / "demo"
    if layout != "absent":
        demo.mkdir()
    if layout == "standin only":
        (demo / "standin").mkdir()
        (demo / "standin" / "households.json").write_text("[]", encoding="utf-8")
    cases = tmp_path / "cases.jsonl"

    code, _, stderr = await run([*HEDUI, "review", "sample", "--demo", str(demo), "--output", str(cases),
                                 "--lang", lang])

    assert code == 2
    assert ("错误" if lang == "zh" else "error") + f" [INVALID_OPTION]: " in stderr
    assert expected in stderr
    assert "No such file" not in stderr
    assert not cases.exists()

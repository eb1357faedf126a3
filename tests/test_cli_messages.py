"""Messages the command line prints for wrong options, in Chinese and English."""

from __future__ import annotations

import pytest

from hedui.gateway import cli


def run(capsys, monkeypatch, argv: list[str], lang: str = "zh") -> tuple[int, str, str]:
    monkeypatch.setenv("HEDUI_LANG", lang)
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    out, err = capsys.readouterr()
    return stopped.value.code, out, err


def test_invalid_choice_in_chinese(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, ["demo", "--federation", "ful"])

    assert code == 2
    assert "错误 [INVALID_OPTION]：参数 --federation：无效的取值 'ful'（可选：'province', 'full'）" in err
    assert "运行 `hedui demo --help` 查看用法" in err
    assert err.startswith("用法：hedui demo")


def test_unknown_option_in_chinese(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, ["audit", "verify", "--db", "x.sqlite", "--colour"])

    assert code == 2
    assert "无法识别的参数：--colour" in err


def test_missing_argument_in_english(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, ["directory", "show", "directory.json"], lang="en")

    assert code == 2
    assert "error [INVALID_OPTION]: the following arguments are required: --anchor" in err
    assert "Run `hedui directory show --help` to see the options." in err


def test_help_headings_in_chinese(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, ["directory", "show", "--help"])

    assert code == 0
    assert out.startswith("用法：")
    assert "选项" in out
    assert "显示本帮助并退出" in out
    assert "show this help message" not in out

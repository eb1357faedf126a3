"""Chinese text for the messages argparse prints itself, and the command line's error format.

argparse words its headings ("usage:", "options") and its errors
("unrecognized arguments") through gettext, and Python ships no Chinese
catalog for it. The command line therefore swaps argparse's lookup for one
that reads the table below whenever the output language is Chinese.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from hedui.gateway.errors import current_lang

# argparse's message ids (Python 3.11) and their Chinese text. An id missing
# here prints in English, which is how a newer argparse's new message shows up.
CHINESE: dict[str, str] = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
}


def _translate(message: str) -> str:
    if current_lang() == "en":
        return message
    return CHINESE.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


def install() -> None:
    """Route argparse's own messages through the table above; the language is read at each lookup."""
    # NOTE: argparse looks up its module-level names `_` and `ngettext` at call
    # time (checked on CPython 3.11), so replacing them is enough. If
    # a later argparse binds them differently, its messages fall back to English.
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _translate_plural  # type: ignore[attr-defined]


class HeduiArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors carry a reason code and name the help command."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        if current_lang() == "en":
            text = f"error [INVALID_OPTION]: {message}. Run `{self.prog} --help` to see the options.\n"
        else:
            text = f"错误 [INVALID_OPTION]：{message}。运行 `{self.prog} --help` 查看用法。\n"
        self.exit(2, text)

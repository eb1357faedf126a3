"""Errors about the files of a periodic review: a bad input line or a results file that cannot be resumed.

They carry a stable reason code and a Chinese and English message, like
HeduiError, but their codes live here because they concern local files, not
the federation's protocol.
"""

from __future__ import annotations

from hedui.gateway.errors import current_lang

# Reason code -> (Chinese template, English template). Each says what to do next.
_MESSAGES: dict[str, tuple[str, str]] = {
    "REVIEW_INPUT_INVALID": (
        "输入文件 {path} 第 {line} 行无效：{detail}。请修正该行后重新运行；已写入结果文件的家庭不会重复核对。",
        "Line {line} of input file {path} is invalid: {detail}. Fix the line and run again; households already in "
        "the results file are not verified again.",
    ),
    "REVIEW_RESULTS_INVALID": (
        "结果文件 {path} 第 {line} 行无效：{detail}。该文件可能不是 hedui review 写的结果文件；请换一个输出文件，"
        "或删除该行后重新运行。",
        "Line {line} of results file {path} is invalid: {detail}. It may not be a results file written by hedui "
        "review; choose another output file, or delete the line and run again.",
    ),
    "REVIEW_RESULTS_LOCKED": (
        "结果文件 {path} 正被另一个复核进程写入。请等待该进程结束，或换一个输出文件。",
        "Results file {path} is being written by another review process. Wait for it to finish, or choose another "
        "output file.",
    ),
    "REVIEW_SAME_FILE": (
        "输入文件与结果文件是同一个文件：{path}。请为 --output 另选一个文件。",
        "The input file and the results file are the same file: {path}. Choose another file for --output.",
    ),
}


class ReviewFileError(ValueError):
    """A review input or results file that cannot be used, with the file and line at fault.

    ``line`` is 1-based and 0 when the problem is the file as a whole.
    ``detail`` is a (Chinese, English) pair and never contains a raw ID number.
    """

    def __init__(self, reason: str, path: str, line: int = 0, detail: tuple[str, str] = ("", "")) -> None:
        if reason not in _MESSAGES:
            raise ValueError(f"unknown review reason code {reason}")
        self.reason = reason
        self.path = path
        self.line = line
        self.detail = detail
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """Return the message in the requested language (default: HEDUI_LANG)."""
        english = (lang or current_lang()) == "en"
        zh, en = _MESSAGES[self.reason]
        template, detail = (en, self.detail[1]) if english else (zh, self.detail[0])
        # The templates put their own full stop after the detail. A detail taken from another message,
        # such as an invalid ID number's, ends with one too, so strip it to avoid a doubled stop.
        return template.format(path=self.path, line=self.line, detail=detail.rstrip("。. "))

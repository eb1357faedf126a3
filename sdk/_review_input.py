"""The input line format of a periodic review: one JSON object per household, in a JSON Lines file.

    {"case_id": "TY-FC-2026-000001",
     "authorization": "<base64 of the SignedAuthorization protobuf bytes>",
     "members": ["140105198003120017", "140105198205160024"],
     "categories": ["HOUSEHOLD_REGISTRATION", "PENSION", "REAL_ESTATE"],
     "purpose": "PERIODIC_REVIEW",
     "case_reference": "TY-2026-DB-0001"}

``case_id``, ``authorization``, ``members`` and ``categories`` are required;
``purpose`` defaults to PERIODIC_REVIEW and ``case_reference`` to empty.
Category and purpose names may carry their ``DATA_CATEGORY_`` or
``PURPOSE_`` prefix. Any other key rejects the line, so a misspelt field is
never silently ignored. Blank lines are skipped.
"""

from __future__ import annotations

import base64
import binascii
import json
import pathlib
import re
from collections.abc import Iterator
from typing import Any

from google.protobuf.message import DecodeError

from hedui.gateway.errors import HeduiError
from hedui.gateway.identifiers import normalize_id_number
from hedui.sdk._review_errors import ReviewFileError
from hedui.sdk.review import ReviewCase
from hedui.v1 import authorization_pb2
from hedui.v1 import common_pb2 as C

REQUIRED_FIELDS = ("case_id", "authorization", "members", "categories")
OPTIONAL_FIELDS = ("purpose", "case_reference")
MAX_CASE_ID_LENGTH = 128
# Printable characters without spaces, so a case id is safe in logs and in file names.
_CASE_ID = re.compile(r"[\w.:/#@+-]+")


class _LineError(Exception):
    """A problem with one line; the reader adds the file and line number."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.detail = (zh, en)


def case_to_json(case: ReviewCase) -> str:
    """Return the input line for a case, without the newline."""
    document = {
        "case_id": case.case_id,
        "authorization": base64.b64encode(case.authorization.SerializeToString(deterministic=True)).decode("ascii"),
        "members": list(case.members),
        "categories": [C.DataCategory.Name(category).removeprefix("DATA_CATEGORY_") for category in case.categories],
        "purpose": C.Purpose.Name(case.purpose).removeprefix("PURPOSE_"),
        "case_reference": case.case_reference,
    }
    return json.dumps(document, ensure_ascii=False)


class CaseLineError(ValueError):
    """An input line that is not a valid review case; ``detail`` is the (Chinese, English) pair."""

    def __init__(self, detail: tuple[str, str]) -> None:
        super().__init__(detail[1])
        self.detail = detail

    def message(self, lang: str = "zh") -> str:
        """Return the message in Chinese or, with lang="en", in English."""
        return self.detail[1] if lang == "en" else self.detail[0]


def parse_case(text: str) -> ReviewCase:
    """Parse one input line; raise CaseLineError, a ValueError, naming the field at fault."""
    try:
        return _parse(text)
    except _LineError as exc:
        raise CaseLineError(exc.detail) from exc


def read_cases(path: str | pathlib.Path) -> Iterator[ReviewCase]:
    """Yield the cases of an input file one line at a time.

    Raises ReviewFileError (REVIEW_INPUT_INVALID) with the line number at the
    first line that is not valid, including a case id seen on an earlier line.
    """
    seen: set[str] = set()
    for number, case in _numbered_cases(pathlib.Path(path)):
        if case.case_id in seen:
            raise ReviewFileError("REVIEW_INPUT_INVALID", str(path), number,
                                  (f"案件编号 {case.case_id} 在前面的行中已出现", f"case id {case.case_id} is on an earlier line too"))
        seen.add(case.case_id)
        yield case


def check_cases(path: str | pathlib.Path, max_errors: int = 20) -> tuple[set[str], list[ReviewFileError]]:
    """Read the whole input file once and return (the case ids, up to ``max_errors`` errors).

    Used before a run starts, so that a bad line is reported before any
    household is verified, and the run's total is known.
    """
    seen: set[str] = set()
    errors: list[ReviewFileError] = []
    for number, case in _numbered_cases(pathlib.Path(path), errors, max_errors):
        if case.case_id in seen:
            errors.append(ReviewFileError(
                "REVIEW_INPUT_INVALID", str(path), number,
                (f"案件编号 {case.case_id} 在前面的行中已出现", f"case id {case.case_id} is on an earlier line too")))
            if len(errors) >= max_errors:
                break
        seen.add(case.case_id)
    return seen, errors


def _numbered_cases(path: pathlib.Path, errors: list[ReviewFileError] | None = None,
                    max_errors: int = 0) -> Iterator[tuple[int, ReviewCase]]:
    """Yield (line number, case) for each non-blank line.

    With an ``errors`` list, bad lines are collected there until it holds
    ``max_errors``; without one, the first bad line raises.
    """
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                error = ReviewFileError("REVIEW_INPUT_INVALID", str(path), number,
                                        ("该行不是 UTF-8 编码", "the line is not UTF-8 text"))
            else:
                if not text.strip():
                    continue
                try:
                    yield number, _parse(text)
                    continue
                except _LineError as exc:
                    error = ReviewFileError("REVIEW_INPUT_INVALID", str(path), number, exc.detail)
            if errors is None:
                raise error
            errors.append(error)
            if len(errors) >= max_errors:
                return


def _parse(text: str) -> ReviewCase:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _LineError(f"不是有效的 JSON（第 {exc.colno} 列：{_json_problem_zh(exc.msg)}）",
                         f"not valid JSON (column {exc.colno}: {exc.msg})") from exc
    if not isinstance(document, dict):
        raise _LineError("应为一个 JSON 对象", "expected one JSON object")
    unknown = sorted(set(document) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise _LineError(f"未知字段 {', '.join(unknown)}", f"unknown field {', '.join(unknown)}")
    missing = [name for name in REQUIRED_FIELDS if name not in document]
    if missing:
        raise _LineError(f"缺少字段 {', '.join(missing)}", f"missing field {', '.join(missing)}")

    return ReviewCase(
        case_id=_case_id(document["case_id"]),
        authorization=_authorization(document["authorization"]),
        members=_members(document["members"]),
        categories=_categories(document["categories"]),
        purpose=_purpose(document.get("purpose", "PERIODIC_REVIEW")),
        case_reference=_text(document.get("case_reference", ""), "case_reference"),
    )


# The messages of CPython's json module, matched by their start, in Chinese.
_JSON_PROBLEMS_ZH = (
    ("Expecting value", "此处应为一个值"),
    ("Expecting property name enclosed in double quotes", "此处应为用双引号括起的字段名"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Extra data", "一个完整的 JSON 值后面还有多余内容"),
    ("Unterminated string", "字符串缺少结束的双引号"),
    ("Invalid control character", "字符串中有控制字符"),
    ("Invalid \\escape", "字符串中有无效的转义序列"),
    ("Invalid \\uXXXX escape", "字符串中有无效的 \\u 转义序列"),
    ("Illegal trailing comma", "最后一项后面多了逗号"),
)


def _json_problem_zh(message: str) -> str:
    """Return the Chinese for a json.JSONDecodeError message, or a general phrase for one not listed."""
    for start, chinese in _JSON_PROBLEMS_ZH:
        if message.startswith(start):
            return chinese
    return "格式错误"


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise _LineError(f"字段 {field} 应为字符串", f"field {field} must be a string")
    return value


def _case_id(value: Any) -> str:
    case_id = _text(value, "case_id")
    if not case_id or len(case_id) > MAX_CASE_ID_LENGTH or not _CASE_ID.fullmatch(case_id):
        raise _LineError(f"字段 case_id 应为 1 至 {MAX_CASE_ID_LENGTH} 个字符，只含字母、数字和 ._:/#@+-",
                         f"field case_id must be 1 to {MAX_CASE_ID_LENGTH} letters, digits or ._:/#@+-")
    if len(case_id) in (15, 18):
        # Case ids appear in logs and progress output, where a raw ID number must never be.
        try:
            normalize_id_number(case_id)
        except HeduiError:
            pass
        else:
            raise _LineError("字段 case_id 不能是公民身份号码，请改用案件编号",
                             "field case_id must not be a resident ID number; use the case number")
    return case_id


def _authorization(value: Any) -> authorization_pb2.SignedAuthorization:
    encoded = _text(value, "authorization")
    try:
        data = base64.b64decode(encoded, validate=True)
        signed = authorization_pb2.SignedAuthorization.FromString(data)
        authorization_pb2.AuthorizationRecord.FromString(signed.record)
    except (binascii.Error, ValueError, DecodeError) as exc:
        raise _LineError("字段 authorization 应为 SignedAuthorization 序列化字节的 base64 编码",
                         "field authorization must be the base64 of serialized SignedAuthorization bytes") from exc
    if not signed.record or not signed.HasField("signature"):
        raise _LineError("字段 authorization 缺少授权记录或签名", "field authorization has no record or no signature")
    return signed


def _members(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _LineError("字段 members 应为非空的身份号码列表", "field members must be a non-empty list of ID numbers")
    members = []
    for index, number in enumerate(value, start=1):
        if not isinstance(number, str):
            raise _LineError(f"字段 members 的第 {index} 项应为字符串", f"item {index} of field members must be a string")
        try:
            members.append(normalize_id_number(number))
        except HeduiError as exc:
            # The HeduiError's message shows the number masked.
            raise _LineError(f"字段 members 的第 {index} 项：{exc.message('zh')}",
                             f"item {index} of field members: {exc.message('en')}") from exc
    return tuple(members)


def _categories(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise _LineError("字段 categories 应为非空的数据类别名称列表", "field categories must be a non-empty list of category names")
    return tuple(_enum_value(C.DataCategory, "DATA_CATEGORY_", name, "categories") for name in value)


def _purpose(value: Any) -> int:
    return _enum_value(C.Purpose, "PURPOSE_", value, "purpose")


def _enum_value(enum: Any, prefix: str, name: Any, field: str) -> int:
    if not isinstance(name, str):
        raise _LineError(f"字段 {field} 应为名称字符串，例如 {_example(enum, prefix)}",
                         f"field {field} must hold names, for example {_example(enum, prefix)}")
    full = name if name.startswith(prefix) else prefix + name
    if full not in enum.keys() or full == prefix + "UNSPECIFIED":
        raise _LineError(f"字段 {field} 中的 {name} 不是有效名称，例如 {_example(enum, prefix)}",
                         f"{name} in field {field} is not a valid name; for example {_example(enum, prefix)}")
    return int(enum.Value(full))


def _example(enum: Any, prefix: str) -> str:
    return enum.Name(1).removeprefix(prefix)

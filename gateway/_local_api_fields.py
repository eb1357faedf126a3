"""Checks of JSON request values; each failure is an ApiError naming the field by its JSON path.

Field paths read like ``members[1].id_number``, so a caller in any language
can find the value it sent. Messages never repeat a raw ID number.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from typing import Any, Iterable

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from hedui.gateway import identifiers
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway.errors import HeduiError

_HEX_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateKey(key)
        document[key] = value
    return document


def _reject_constant(name: str) -> Any:
    raise _NotJson(name)


class _NotJson(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Parse a request body that must be one JSON object with no repeated key and no NaN or Infinity."""
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_reject_duplicate_keys,
                              parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ApiError.of("API_INVALID_JSON", detail=("不是 UTF-8 编码", "it is not UTF-8")) from None
    except _DuplicateKey as exc:
        key = exc.key[:40]
        raise ApiError.of("API_INVALID_JSON", detail=(f"键 {key!r} 出现了两次", f"duplicate key {key!r}")) from None
    except _NotJson as exc:
        raise ApiError.of("API_INVALID_JSON", detail=(f"{exc.token} 不是 JSON 数值", f"{exc.token} is not a JSON number")) from None
    except json.JSONDecodeError as exc:
        # The position, not the text around it, so no value from the body is echoed.
        raise ApiError.of("API_INVALID_JSON", detail=(
            f"第 {exc.lineno} 行第 {exc.colno} 列有语法错误（{exc.msg}）",
            f"{exc.msg} at line {exc.lineno} column {exc.colno}")) from None
    if not isinstance(document, dict):
        raise ApiError.of("API_INVALID_JSON", detail=("顶层须为对象 {...}", "the top level must be an object {...}"))
    return document


def path(parent: str, key: str | int) -> str:
    """Return the JSON path of a member of ``parent``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def check_keys(obj: dict[str, Any], parent: str, allowed: Iterable[str], required: Iterable[str]) -> None:
    """Raise for the first unknown key, then for the first missing required key."""
    known = list(allowed)
    for key in obj:
        if key not in known:
            raise ApiError.of("API_UNKNOWN_FIELD", path(parent, key)[:120], ", ".join(known), path(parent, key)[:120])
    for key in required:
        if key not in obj:
            raise ApiError.of("API_MISSING_FIELD", path(parent, key), field=path(parent, key))


def invalid(field: str, zh: str, en: str) -> ApiError:
    """Return an API_INVALID_FIELD error for ``field``."""
    return ApiError.of("API_INVALID_FIELD", field, (zh, en), field)


def object_value(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(field, "须为 JSON 对象", "must be a JSON object")
    return value


def string(value: Any, field: str, *, min_len: int = 0, max_len: int = 64, pattern: re.Pattern[str] | None = None,
           hint: tuple[str, str] = ("", "")) -> str:
    """Return a string of ``min_len`` to ``max_len`` characters that matches ``pattern`` if given."""
    if not isinstance(value, str):
        raise invalid(field, "须为字符串", "must be a string")
    if not min_len <= len(value) <= max_len:
        raise invalid(field, f"长度须为 {min_len} 到 {max_len} 个字符", f"must be {min_len} to {max_len} characters long")
    if pattern is not None and not pattern.match(value):
        raise invalid(field, hint[0] or f"须符合 {pattern.pattern}", hint[1] or f"must match {pattern.pattern}")
    return value


def integer(value: Any, field: str, *, minimum: int, maximum: int) -> int:
    """Return a JSON integer from ``minimum`` to ``maximum``; true, false and 1.0 are not integers."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, "须为整数", "must be an integer")
    if not minimum <= value <= maximum:
        raise invalid(field, f"须在 {minimum} 到 {maximum} 之间", f"must be from {minimum} to {maximum}")
    return value


def boolean(value: Any, field: str) -> bool:
    """Return a JSON true or false."""
    if not isinstance(value, bool):
        raise invalid(field, "须为 true 或 false", "must be true or false")
    return value


def number(value: Any, field: str, *, minimum: float, maximum: float) -> float:
    """Return a JSON number from ``minimum`` to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid(field, "须为数字", "must be a number")
    if not minimum <= value <= maximum:
        raise invalid(field, f"须在 {minimum:g} 到 {maximum:g} 之间", f"must be from {minimum:g} to {maximum:g}")
    return float(value)


def array(value: Any, field: str, *, min_items: int, max_items: int) -> list[Any]:
    """Return a JSON array of ``min_items`` to ``max_items`` items."""
    if not isinstance(value, list):
        raise invalid(field, "须为数组", "must be an array")
    if not min_items <= len(value) <= max_items:
        raise invalid(field, f"须有 {min_items} 到 {max_items} 项", f"must have {min_items} to {max_items} items")
    return value


def enum_names(enum: EnumTypeWrapper, prefix: str) -> list[str]:
    """Return the names callers may use for an enum: each defined value without its prefix."""
    return [name.removeprefix(prefix) for name in enum.keys() if not name.endswith("_UNSPECIFIED")]


def enum_value(value: Any, field: str, enum: EnumTypeWrapper, prefix: str) -> int:
    """Return the enum number for a name given with or without ``prefix``, such as VEHICLE or DATA_CATEGORY_VEHICLE."""
    if not isinstance(value, str):
        raise invalid(field, "须为名称字符串", "must be a name string")
    name = value if value.startswith(prefix) else prefix + value
    if name.endswith("_UNSPECIFIED") or name not in enum.keys():
        names = ", ".join(enum_names(enum, prefix))
        shown = value[:40]
        raise ApiError.of("API_UNKNOWN_NAME", field, (f"{shown!r} 不是可用的名称；可用：{names}",
                                                      f"{shown!r} is not a known name; known: {names}"), field)
    return int(enum.Value(name))


def enum_list(value: Any, field: str, enum: EnumTypeWrapper, prefix: str) -> tuple[int, ...]:
    """Return the enum numbers of a non-empty array of names, each named once."""
    items = array(value, field, min_items=1, max_items=len(enum.keys()))
    numbers: list[int] = []
    for index, item in enumerate(items):
        number = enum_value(item, path(field, index), enum, prefix)
        if number in numbers:
            raise invalid(path(field, index), "与前面的项重复", "repeats an earlier item")
        numbers.append(number)
    return tuple(numbers)


def id_number(value: Any, field: str) -> str:
    """Return the canonical form of a resident ID number, or raise INVALID_ID_NUMBER naming the field."""
    if not isinstance(value, str):
        raise invalid(field, "须为字符串", "must be a string")
    try:
        return identifiers.normalize_id_number(value)
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field=field) from exc


def division_code(value: Any, field: str) -> str:
    """Return a six-digit GB/T 2260 division code, or raise INVALID_DIVISION_CODE naming the field."""
    try:
        return identifiers.check_division_code(string(value, field, max_len=6))
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field=field) from exc


def node_id(value: Any, field: str) -> str:
    """Return a node id, or raise INVALID_NODE_ID naming the field."""
    try:
        return identifiers.check_node_id(string(value, field, max_len=80))
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field=field) from exc


def timestamp(value: Any, field: str) -> datetime.datetime:
    """Return an aware datetime from an RFC 3339 string with a UTC offset, such as 2026-03-01T00:00:00+08:00."""
    text = string(value, field, max_len=40)
    if not _RFC3339.match(text):
        raise invalid(field, "须为带时区的 RFC 3339 时间，例如 2026-03-01T00:00:00+08:00",
                      "must be an RFC 3339 time with an offset, for example 2026-03-01T00:00:00+08:00")
    try:
        # fromisoformat (Python 3.11) takes Z and up to six fractional digits.
        fraction = re.search(r"\.(\d+)", text)
        if fraction is not None and len(fraction.group(1)) > 6:
            text = text.replace(fraction.group(0), "." + fraction.group(1)[:6])
        return datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise invalid(field, "日期或时间不存在", "is not a real date or time") from None


def sha256_hex(value: Any, field: str) -> bytes:
    """Return the 32 bytes of a SHA-256 digest given as 64 hexadecimal digits."""
    text = string(value, field, min_len=64, max_len=64, pattern=_HEX_SHA256,
                  hint=("须为 64 位十六进制 SHA-256 摘要", "must be a SHA-256 digest in 64 hexadecimal digits"))
    return bytes.fromhex(text)


def base64_bytes(value: Any, field: str, *, max_bytes: int) -> bytes:
    """Return the bytes of a standard base64 string (RFC 4648, with padding) of at most ``max_bytes``."""
    text = string(value, field, min_len=1, max_len=4 * ((max_bytes + 2) // 3))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(field, "不是有效的 base64（RFC 4648 标准字母表，含填充）",
                      "is not valid base64 (RFC 4648 standard alphabet with padding)") from None

"""Reason codes and Chinese and English messages for repeated fields in a field mapping.

Each error is also an ``AdapterConfigError`` or ``AdapterDataError``, so
callers that handle those need no change. ``str(error)`` is the Chinese
message, ``error.message("en")`` the English one and ``error.reason`` the
stable reason code.
"""

from __future__ import annotations

from hedui.adapters.base import AdapterConfigError, AdapterDataError

# Reason code -> (Chinese template, English template). Each message ends with
# what the reader should do next.
CATALOG: dict[str, tuple[str, str]] = {
    "FIELD_SEPARATOR_NOT_REPEATED": (
        "类别 {category} 的字段 {field} 不是重复字段，不能给出 separator；"
        "请删除 separator，或把它写在重复字段的映射中。",
        "field {field} of category {category} is not a repeated field, so it takes no separator."
        " Remove separator, or move it to the mapping of a repeated field.",
    ),
    "FIELD_SEPARATOR_MISSING": (
        "类别 {category} 的字段 {field} 是重复字段（{type}），需要 separator 指明部门字段中各项之间的分隔符，"
        '例如 separator = ","。',
        "field {field} of category {category} is a repeated field ({type}) and needs a separator"
        ' that splits the department field into items, for example separator = ",".',
    ),
    "FIELD_SEPARATOR_INVALID": (
        "值 {value} 无效，应为非空字符串，例如 \",\"、\"|\" 或 \"、\"。",
        'the value {value} is invalid. It must be a non-empty string such as ",", "|" or "、".',
    ),
    "FIELD_REPEATED_DEFAULT": (
        "类别 {category} 的重复字段 {field} 不支持 default；缺省时为空列表，请删除 default。",
        "the repeated field {field} of category {category} takes no default, because a missing value"
        " gives an empty list. Remove default.",
    ),
    "FIELD_REPEATED_MESSAGE": (
        "类别 {category} 的字段 {field} 是消息类型（{type}）的重复字段，声明式映射不支持；请删除这一映射。",
        "field {field} of category {category} is a repeated field of messages ({type}),"
        " which a declarative mapping cannot fill. Remove this mapping.",
    ),
    "FIELD_ITEMS_INVALID": (
        "字段 {source} 应为{expected}，实际为 {type} 类型的值 {value}；请核对部门接口文档与字段映射。",
        "field {source} must hold {expected_en}, but it holds the {type} value {value}."
        " Check the department's interface documentation and the field mapping.",
    ),
    "FIELD_ITEM_DUPLICATE": (
        "字段 {source} 的第 {position} 项 {item} 与第 {earlier} 项 {first} 换算后相同，"
        "而记录字段 {target} 的各项不能重复；请联系数据提供部门更正。",
        "item {position} ({item}) of field {source} gives the same value as item {earlier} ({first}),"
        " but the items of record field {target} must be unique. Ask the department to correct the data.",
    ),
}


def render(reason: str, values: dict[str, str]) -> tuple[str, str]:
    """Return the (Chinese, English) message of ``reason`` filled with ``values``."""
    zh, en = CATALOG[reason]
    return zh.format(**values), en.format(**values)


class FieldConfigError(AdapterConfigError):
    """A field mapping that cannot fill its record field, with a reason code and an English message."""

    def __init__(self, reason: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.reason = reason
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang`` ("zh" or "en")."""
        return self.message_en if lang == "en" else str(self)


class FieldDataError(AdapterDataError):
    """A department value that does not fill a repeated record field."""

    def __init__(self, reason: str, *, field: str, **values: str) -> None:
        message_zh, message_en = render(reason, values)
        super().__init__(message_zh, field=field)
        self.reason = reason
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang`` ("zh" or "en")."""
        return self.message_en if lang == "en" else str(self)

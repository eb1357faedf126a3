"""Declarative field mappings from a department's rows to standard records."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from hedui.adapters import convert
from hedui.adapters._declarative_errors import FieldDataError
from hedui.adapters.base import AdapterDataError, mask_id_number
from hedui.v1 import common_pb2, records_pb2

logger = logging.getLogger(__name__)

Converter = Callable[[object, str], Any]

_MISSING = object()
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_DIVISION_CODE = re.compile(r"[0-9]{6}")


@dataclass(frozen=True)
class ItemRule:
    """The rule that splits one department value into the items of a repeated record field.

    A JSON array gives its elements as the items. Text is split at
    ``separator``, and with no separator only a JSON array is accepted.
    Empty items and the whitespace around items are dropped, and each
    remaining item goes through the field's converter on its own.
    """

    separator: str | None
    unique: bool  # the schema requires distinct items (buf.validate repeated.unique)


@dataclass(frozen=True)
class FieldMap:
    """One department field and the record field it fills."""

    target: str  # field name in the record body message
    source: str  # field or column name in the department system
    convert: Converter
    required: bool = True
    default: Any = None  # value used when an optional field is absent, null or empty
    items: ItemRule | None = None  # set when the target is a repeated field


@dataclass(frozen=True)
class RecordMapping:
    """Mapping of one department table or endpoint to records of one category."""

    category: int  # hedui.v1.common_pb2.DataCategory value
    body: str  # name of the Record oneof field, for example "pension"
    id_field: str  # department field holding the person's ID number
    as_of_field: str  # department field holding the time the row is current as of
    fields: tuple[FieldMap, ...]
    source_label: str  # department system named in error messages, for example 人社系统

    def to_record(self, row: Mapping[str, object]) -> records_pb2.Record:
        """Build one Record from one department row, raising AdapterDataError on a bad value."""
        record = records_pb2.Record(
            id_number=self.id_number_of(row),
            category=self.category,  # type: ignore[arg-type]
        )
        as_of = convert.timestamp(self._value(row, self.as_of_field, required=True), self.as_of_field)
        record.as_of.FromDatetime(as_of)
        body = getattr(record, self.body)
        for field_map in self.fields:
            raw = self._value(row, field_map.source, required=field_map.required)
            if field_map.items is not None:
                items = [] if raw is _MISSING else convert_items(field_map, field_map.items, raw)
                if not items and field_map.required:
                    raise self._missing(field_map.source)  # an empty JSON array or a value of only separators
                getattr(body, field_map.target).extend(items)
                continue
            value = field_map.default if raw is _MISSING else field_map.convert(raw, field_map.source)
            _assign(body, field_map.target, value)
        body.SetInParent()  # selects the oneof even when every field has its default value
        return record

    def id_number_of(self, row: Mapping[str, object]) -> str:
        """Return the row's ID number, normalised to upper-case X."""
        raw = self._value(row, self.id_field, required=True)
        id_number = convert.require_text(raw, self.id_field).upper()
        if not _ID_NUMBER.fullmatch(id_number):
            raise AdapterDataError(
                f"{self.source_label}返回的字段 {self.id_field} 不是 18 位公民身份号码"
                f"（{mask_id_number(id_number)}）；请联系数据提供部门核实。",
                field=self.id_field,
            )
        return id_number

    def _value(self, row: Mapping[str, object], source: str, *, required: bool) -> object:
        """Return the raw value of a field, or _MISSING for an absent optional field."""
        value = row.get(source)
        if value is None or value == "":
            if required:
                raise self._missing(source)
            return _MISSING
        return value

    def _missing(self, source: str) -> AdapterDataError:
        return AdapterDataError(
            f"{self.source_label}返回的数据缺少字段 {source}；请检查部门接口是否变更，并更新字段映射。",
            field=source,
        )


def map_rows(
    mapping: RecordMapping, rows: Iterable[Mapping[str, object]], requested_ids: frozenset[str]
) -> list[records_pb2.Record]:
    """Map rows to records, keeping only the persons that were asked about."""
    records: list[records_pb2.Record] = []
    unexpected = 0
    for row in rows:
        if mapping.id_number_of(row) not in requested_ids:
            unexpected += 1
            continue
        records.append(mapping.to_record(row))
    if unexpected:
        # Rows about persons outside the request must not travel further. The
        # count helps the department's operators find the fault.
        logger.warning(
            "dropped rows about persons not in the request: source=%s category=%s rows=%s",
            mapping.source_label,
            mapping.category,
            unexpected,
        )
    return records


def convert_items(field_map: FieldMap, rule: ItemRule, raw: object) -> list[Any]:
    """Convert each item of a repeated field's raw value, dropping empty items.

    Raises AdapterDataError naming the department field when an item does not
    convert, or when two items give the same value and ``rule.unique`` is set.
    """
    values: list[Any] = []
    first_position: dict[Any, tuple[int, object]] = {}
    for position, item in enumerate(_split_items(raw, rule.separator, field_map.source), 1):
        if item is None or (isinstance(item, str) and not item.strip()):
            continue
        value = field_map.convert(item.strip() if isinstance(item, str) else item, field_map.source)
        if rule.unique and value in first_position:
            earlier, first = first_position[value]
            raise FieldDataError(
                "FIELD_ITEM_DUPLICATE",
                field=field_map.source,
                source=field_map.source,
                target=field_map.target,
                position=str(position),
                item=convert.shown(item),
                earlier=str(earlier),
                first=convert.shown(first),
            )
        first_position.setdefault(value, (position, item))
        values.append(value)
    return values


def _split_items(raw: object, separator: str | None, source: str) -> list[object]:
    """Return the items of a repeated field's raw value: a JSON array's elements, or text split at ``separator``."""
    if isinstance(raw, list):
        return raw
    if isinstance(raw, str) and separator is not None:
        return list(raw.split(separator))
    if separator is None:
        expected = ("一个 JSON 数组", "a JSON array")
    else:
        expected = (f"以 {separator!r} 分隔的文本或 JSON 数组", f"text separated by {separator!r} or a JSON array")
    raise FieldDataError(
        "FIELD_ITEMS_INVALID",
        field=source,
        source=source,
        expected=expected[0],
        expected_en=expected[1],
        type=type(raw).__name__,
        value=convert.shown(raw),
    )


def code_table(table: Mapping[str, Any], code_name: str) -> Converter:
    """Return a converter that looks a department code up in ``table``."""

    def convert_code(value: object, field: str) -> Any:
        code = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if code is None or code not in table:
            allowed = "、".join(sorted(table))
            raise AdapterDataError(
                f"字段 {field} 的{code_name}代码 {convert.shown(value)} 不在映射表中（可选：{allowed}）；"
                "请更新字段映射或联系数据提供部门。",
                field=field,
            )
        return table[code]

    return convert_code


def division_code(value: object, field: str) -> common_pb2.DivisionCode:
    """Convert a six-digit GB/T 2260 division code to a DivisionCode message."""
    text = convert.require_text(value, field)
    if not _DIVISION_CODE.fullmatch(text):
        raise AdapterDataError(
            f"字段 {field} 的行政区划代码 {convert.shown(value)} 无效：应为 6 位数字；请联系数据提供部门更正。",
            field=field,
        )
    return common_pb2.DivisionCode(code=text)


def flag(value: object, field: str) -> bool:
    """Convert a department yes/no flag ("1"/"0", 1/0, "是"/"否") to a bool."""
    return bool(_FLAG(value, field))


_FLAG = code_table({"1": True, "0": False, "是": True, "否": False}, "是否标志")


def _assign(body: Message, target: str, value: Any) -> None:
    """Set a scalar field, or copy a message into a message field."""
    if isinstance(value, Message):
        getattr(body, target).CopyFrom(value)
    else:
        setattr(body, target, value)

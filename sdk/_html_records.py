"""Record fields as (label, value) text pairs in readable units, for the printable report.

Every field of a record body is listed, zero and empty values included,
because on a filed report an absent line reads as "not checked". Money is
shown in yuan with two decimals, areas in square metres, shares in per
cent; dates stay as the departments give them (YYYY-MM-DD). The values
are plain text: the caller escapes them for HTML.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor

from hedui.sdk._html_labels import ENUM_LABELS, FIELD_LABELS, MARITAL_STATUS, RELATIONS, pick
from hedui.sdk.render import yuan
from hedui.v1 import records_pb2

EMPTY = "—"


def money(fen: int, lang: str) -> str:
    """Format integer fen as yuan with the unit, for example 3,250.50 元."""
    return f"{yuan(fen)} yuan" if lang == "en" else f"{yuan(fen)} 元"


def area(cm2: int, lang: str) -> str:
    """Format square centimetres as square metres with two decimals."""
    return f"{cm2 / 10000:,.2f} m²" if lang == "en" else f"{cm2 / 10000:,.2f} 平方米"


def percent(basis_points: int) -> str:
    """Format basis points as a percentage without trailing zeros: 5000 is 50%, 3333 is 33.33%."""
    text = f"{basis_points / 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def withheld_text(lang: str) -> str:
    """Return the text shown in place of a field the department withheld."""
    return "(withheld for this purpose)" if lang == "en" else "（按用途未提供）"


def record_fields(record: records_pb2.Record, lang: str, withheld: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Return (label, value) for every field of the record's body, in schema order.

    ``withheld`` holds field paths such as ``vehicle.value_fen``; those
    fields show the withheld text instead of their zero value.
    """
    kind = record.WhichOneof("body")
    if kind is None:
        return []
    body = getattr(record, kind)
    fields = []
    for field in body.DESCRIPTOR.fields:
        path = f"{kind}.{field.name}"
        label = pick(FIELD_LABELS.get(path, (field.name, field.name)), lang)
        if path in withheld:
            fields.append((label, withheld_text(lang)))
            continue
        fields.append((label, _value(field, getattr(body, field.name), lang)))
    return fields


def _value(field: descriptor.FieldDescriptor, value: Any, lang: str) -> str:
    if field.is_repeated:
        items = [_single(field, item, lang) for item in value]
        if not items:
            return "none" if lang == "en" else "无"
        return (", " if lang == "en" else "、").join(items)
    return _single(field, value, lang)


def _single(field: descriptor.FieldDescriptor, value: Any, lang: str) -> str:
    name = field.name
    if field.type == descriptor.FieldDescriptor.TYPE_MESSAGE:
        # DivisionCode is the only message a record body holds.
        return getattr(value, "code", "") or EMPTY
    if field.type == descriptor.FieldDescriptor.TYPE_ENUM:
        return _enum(field.enum_type, value, lang)
    if field.type == descriptor.FieldDescriptor.TYPE_BOOL:
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if name.endswith("_fen"):
        return money(value, lang)
    if name.endswith("_cm2"):
        return area(value, lang)
    if name.endswith("_basis_points"):
        return percent(value)
    if name == "marital_status_code":
        return _coded(MARITAL_STATUS, value, lang)
    if name == "relation_code":
        return _coded(RELATIONS, value, lang)
    if isinstance(value, str):
        return value or EMPTY
    return str(value)


def _enum(enum_type: descriptor.EnumDescriptor, number: int, lang: str) -> str:
    if number == 0:
        return EMPTY
    value = enum_type.values_by_number.get(number)
    if value is None:
        return str(number)
    return pick(ENUM_LABELS.get(value.name, (value.name, value.name)), lang)


def _coded(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """Return a code with its meaning, for example 20 已婚; an unknown code is shown alone."""
    if not code:
        return EMPTY
    meaning = table.get(code)
    return f"{code} {pick(meaning, lang)}" if meaning else code

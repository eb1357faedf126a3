"""Translate the field tables of a department file into RecordMapping objects."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from buf.validate import validate_pb2
from google.protobuf import descriptor_pb2, message_factory
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

from hedui.adapters import convert
from hedui.adapters._config_table import ConfigTable
from hedui.adapters._declarative_errors import FieldConfigError, render
from hedui.adapters.base import AdapterDataError
from hedui.adapters.dept_ga import relation_code
from hedui.adapters.mapping import Converter, FieldMap, ItemRule, RecordMapping, code_table, division_code, flag
from hedui.v1 import common_pb2, records_pb2

# Row key that carries the fetch time when a category names no as_of_field.
# The leading NUL keeps it apart from the field names department systems use.
FETCH_TIME_FIELD = "\x00fetch_time"

_INTEGER_TEXT = re.compile(r"[0-9]+")
_INT_TYPES = frozenset(
    {
        FieldDescriptor.CPPTYPE_INT32,
        FieldDescriptor.CPPTYPE_INT64,
        FieldDescriptor.CPPTYPE_UINT32,
        FieldDescriptor.CPPTYPE_UINT64,
    }
)


def _whole_number(value: object, field: str) -> int:
    """Convert a non-negative whole number given as an integer or digit text."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    raise AdapterDataError(
        f"字段 {field} 的值 {convert.shown(value)} 不是非负整数；请联系数据提供部门更正。", field=field
    )


# Converter name -> (function, kind of value it returns). The kind is "int",
# "str", "bool" or the full name of the message type it builds.
CONVERTERS: dict[str, tuple[Converter, str]] = {
    "yuan_to_fen": (convert.yuan_to_fen, "int"),
    "wan_yuan_to_fen": (convert.wan_yuan_to_fen, "int"),
    "area_m2_to_cm2": (convert.square_metres_to_cm2, "int"),
    "percent_to_bp": (convert.percent_to_basis_points, "int"),
    "int": (_whole_number, "int"),
    "iso_date": (convert.iso_date, "str"),
    "year_month": (convert.year_month, "str"),
    "text": (convert.require_text, "str"),
    "relation_code": (relation_code, "str"),
    "bool": (flag, "bool"),
    "division_code": (division_code, common_pb2.DivisionCode.DESCRIPTOR.full_name),
}

# Zero value of each scalar kind a code table or a default may hold.
_ZEROS: dict[str, Any] = {"int": 0, "str": "", "bool": False}


@dataclasses.dataclass(frozen=True)
class FetchTimeMapping(RecordMapping):
    """A mapping whose records are current as of the moment they are fetched and mapped."""

    clock: Callable[[], dt.datetime] = dataclasses.field(
        default=lambda: dt.datetime.now(dt.timezone.utc), compare=False
    )

    def to_record(self, row: Mapping[str, object]) -> records_pb2.Record:
        return super().to_record({**row, FETCH_TIME_FIELD: self.clock().isoformat()})


def record_bodies() -> dict[str, Descriptor]:
    """Return the Record oneof field names and the message each one holds."""
    oneof = records_pb2.Record.DESCRIPTOR.oneofs_by_name["body"]
    # cast: the upb stubs type message_type as their own Descriptor class.
    return {field.name: cast(Descriptor, field.message_type) for field in oneof.fields}


def category_value(table: ConfigTable) -> int:
    """Read ``category`` as a DataCategory name without its prefix."""
    names = {
        value.name.removeprefix("DATA_CATEGORY_"): value.number
        for value in common_pb2.DataCategory.DESCRIPTOR.values
        if value.number != 0
    }
    return names[table.choice("category", frozenset(names))]


def build_mapping(table: ConfigTable, label: str, *, json_arrays: bool = False) -> RecordMapping:
    """Build the RecordMapping of one [[categories]] table (the source keys are read elsewhere).

    ``json_arrays`` is true for a source whose rows may hold JSON arrays, where
    a repeated field needs no ``separator``.
    """
    category = category_value(table)
    bodies = record_bodies()
    body = table.choice("record", frozenset(bodies))
    expected = common_pb2.DataCategory.Name(category).removeprefix("DATA_CATEGORY_").lower()  # type: ignore[arg-type]
    if expected in bodies and body != expected:
        # A category with a record type of its own must use it; the gateway would otherwise pass a mismatch on.
        raise table.error("record", f"类别 {table.values['category']} 的记录应为 {expected!r}，而不是 {body!r}。")
    message = bodies[body]
    id_field = table.string("id_field")
    fields_table = table.table_of("fields", required=True)
    fields = tuple(
        _field_map(fields_table, message, target, str(table.values["category"]), json_arrays)
        for target in fields_table.values
    )
    if not fields:
        raise table.error("fields", "至少要映射一个字段。")
    if table.has("as_of_field"):
        return RecordMapping(category, body, id_field, table.string("as_of_field"), fields, label)
    return FetchTimeMapping(category, body, id_field, FETCH_TIME_FIELD, fields, label)


def build_mappings(tables: list[ConfigTable], label: str, *, json_arrays: bool = False) -> list[RecordMapping]:
    """Build each category's mapping, rejecting a category declared twice."""
    mappings: list[RecordMapping] = []
    for table in tables:
        mapping = build_mapping(table, label, json_arrays=json_arrays)
        if any(seen.category == mapping.category for seen in mappings):
            raise table.error("category", f"类别 {table.values['category']} 重复声明。")
        mappings.append(mapping)
    return mappings


def _field_map(
    fields_table: ConfigTable, message: Descriptor, target: str, category: str, json_arrays: bool
) -> FieldMap:
    """Build one FieldMap, checking the converter against the record field's type."""
    field = message.fields_by_name.get(target)
    if field is None:
        available = "、".join(sorted(message.fields_by_name))
        raise fields_table.error(target, f"{message.name} 没有这个字段；可用：{available}。")
    spec = fields_table.table_of(target)
    names = {"category": category, "field": target}
    if field.is_repeated and field.message_type is not None:
        raise _field_error(fields_table, target, "FIELD_REPEATED_MESSAGE", type=field.message_type.name, **names)
    items = _item_rule(spec, field, names, json_arrays)
    kind = _kind_of(field)
    source = spec.string("from")
    if spec.has("codes") == spec.has("convert"):
        raise spec.error("convert", "convert 与 codes 必须且只能给出一个。")
    if spec.has("codes"):
        converter = code_table(_codes(spec, field, kind), f"{target} ")
    else:
        converter, produces = CONVERTERS[spec.choice("convert", CONVERTERS)]
        if produces != kind:
            raise spec.error("convert", f"转换 {spec.values['convert']!r} 得到的值不能写入 {kind} 类型的字段 {target}。")
    required = spec.boolean("required", True)
    if required and spec.has("default"):
        raise spec.error("default", "只有 required = false 的字段才能给出 default。")
    if items is not None and spec.has("default"):
        raise _field_error(spec, "default", "FIELD_REPEATED_DEFAULT", **names)
    default = None if required or items is not None else _default(spec, field, kind)
    spec.reject_unknown()
    return FieldMap(target, source, converter, required=required, default=default, items=items)


def _item_rule(spec: ConfigTable, field: FieldDescriptor, names: dict[str, str], json_arrays: bool) -> ItemRule | None:
    """Return the ItemRule of a repeated field, or None for a single field.

    A repeated field needs ``separator`` unless its rows may hold JSON arrays.
    """
    if not field.is_repeated:
        if spec.has("separator"):
            raise _field_error(spec, "separator", "FIELD_SEPARATOR_NOT_REPEATED", **names)
        return None
    unique = field.GetOptions().Extensions[validate_pb2.field].repeated.unique
    if not spec.has("separator"):
        if not json_arrays:
            type_name = f"repeated {_type_name(field)}"
            raise _field_error(spec, "separator", "FIELD_SEPARATOR_MISSING", type=type_name, **names)
        return ItemRule(None, unique)
    separator = spec.values["separator"]
    # The value is not stripped, because a space or a tab is a valid separator.
    if not isinstance(separator, str) or not separator:
        raise _field_error(spec, "separator", "FIELD_SEPARATOR_INVALID", value=convert.shown(separator))
    return ItemRule(separator, unique)


def _type_name(field: FieldDescriptor) -> str:
    """Return the field's type as the .proto file writes it, such as int64 or AssistanceProgramme."""
    if field.enum_type is not None:
        return field.enum_type.name
    return descriptor_pb2.FieldDescriptorProto.Type.Name(field.type).removeprefix("TYPE_").lower()


def _field_error(table: ConfigTable, key: str, reason: str, **values: str) -> FieldConfigError:
    """Return a FieldConfigError whose messages start with where ``key`` is written."""
    zh, en = render(reason, values)
    return FieldConfigError(reason, f"{table.location(key)}：{zh}", f"{table.location(key, 'en')}: {en}")


def _kind_of(field: FieldDescriptor) -> str:
    if field.cpp_type in _INT_TYPES:
        return "int"
    if field.cpp_type == FieldDescriptor.CPPTYPE_STRING:
        return "str"
    if field.cpp_type == FieldDescriptor.CPPTYPE_BOOL:
        return "bool"
    if field.enum_type is not None:
        return "enum"
    if field.message_type is not None:
        return field.message_type.full_name
    return "unsupported"  # float and bytes: no converter produces them


def _codes(spec: ConfigTable, field: FieldDescriptor, kind: str) -> dict[str, Any]:
    """Read a code table; enum values are written as the value name without its prefix."""
    codes = spec.table_of("codes")
    if not codes.values:
        raise spec.error("codes", "代码表不能为空。")
    enum_type = field.enum_type
    if enum_type is not None:
        return _enum_codes(codes, enum_type)
    table: dict[str, Any] = {}
    for code, value in codes.values.items():
        if kind not in _ZEROS or type(value) is not type(_ZEROS[kind]):
            raise codes.error(code, f"值 {value!r} 无效，字段 {field.name} 需要 {kind} 类型的值。")
        table[code] = value
    return table


def _enum_codes(codes: ConfigTable, enum_type: EnumDescriptor) -> dict[str, int]:
    """Read an enum code table, rejecting the enum's UNSPECIFIED (0) value as a target."""
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", enum_type.name).upper() + "_"
    names = {value.name.removeprefix(prefix): value.number for value in enum_type.values}
    specific = frozenset(name for name, number in names.items() if number != 0)
    table: dict[str, int] = {}
    for code, value in codes.values.items():
        if isinstance(value, str) and value.strip() in names and names[value.strip()] == 0:
            # UNSPECIFIED means "no value": mapping a real department code to it would
            # hide that code from the verifier instead of failing the query.
            raise codes.error(
                code,
                f"代码 {code!r} 不能映射到 {value.strip()}（{enum_type.name} 的未指定值 0）；"
                f"请改为具体的值（可选：{'、'.join(sorted(specific))}），"
                "或从代码表中删除该代码，让含该代码的数据在查询时报错。",
            )
        table[code] = names[codes.choice(code, specific)]
    return table


def _default(spec: ConfigTable, field: FieldDescriptor, kind: str) -> Any:
    """Return the value an absent optional field takes: ``default`` or the field type's zero value."""
    if not spec.has("default"):
        if field.message_type is not None:
            return message_factory.GetMessageClass(field.message_type)()
        return _ZEROS.get(kind, 0)
    value = spec.values["default"]
    if kind not in _ZEROS:
        raise spec.error("default", f"{kind} 类型的字段 {field.name} 不支持 default，缺省时取零值。")
    if type(value) is not type(_ZEROS[kind]):
        raise spec.error("default", f"值 {value!r} 无效，字段 {field.name} 需要 {kind} 类型的值。")
    return value

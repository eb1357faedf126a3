"""Repeated record fields in department files: separators, JSON arrays and their errors."""

from __future__ import annotations

import json
import pathlib
import sqlite3
from collections.abc import AsyncIterator, Mapping

import pytest
from adapters_known_dataset import JOBLESS, RETIREE, WORKER
from aiohttp import web
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import Descriptor

from hedui.adapters._config_table import ConfigTable
from hedui.adapters._declarative_errors import FieldConfigError, FieldDataError
from hedui.adapters._declarative_fields import _field_map
from hedui.adapters.base import AdapterConfigError, AdapterDataError, AdapterQuery
from hedui.adapters.factory import build_adapter
from hedui.adapters.mapping import FieldMap, convert_items
from hedui.adapters.standin.http_service import bind_loopback
from hedui.gateway.messages import check_rules
from hedui.v1 import common_pb2 as common
from hedui.v1 import records_pb2 as R

CODES = '{ "11" = "MEDICAL", "12" = "EDUCATION", "21" = "DISABILITY_SUBSIDIES", "91" = "MEDICAL" }'
PROGRAMMES = f'programmes = {{ from = "zxjzxm", separator = "|", codes = {CODES} }}'
MEDICAL, EDUCATION, DISABILITY = (
    R.ASSISTANCE_PROGRAMME_MEDICAL,
    R.ASSISTANCE_PROGRAMME_EDUCATION,
    R.ASSISTANCE_PROGRAMME_DISABILITY_SUBSIDIES,
)
QUERY = AdapterQuery("req-repeated", (RETIREE, WORKER, JOBLESS), frozenset({common.DATA_CATEGORY_LOW_INCOME_REGISTRY}),
                     common.PURPOSE_INITIAL_ELIGIBILITY)


def department(source: str, programmes: str = PROGRAMMES, category_keys: str = "") -> str:
    """Return a low-income registry department file with the given [source] keys and programmes mapping."""
    return f"""\
[department]
name = "测试民政"

[source]
{source}

[[categories]]
category = "LOW_INCOME_REGISTRY"
record = "low_income_registry"
id_field = "sfzh"
{category_keys}

[categories.fields]
status = {{ from = "cyzt", convert = "text" }}
{programmes}
"""


def write_csv(folder: pathlib.Path, rows: list[tuple[str, str, str]], programmes: str = PROGRAMMES) -> None:
    lines = ["sfzh,cyzt,zxjzxm", *(",".join(f'"{cell}"' for cell in row) for row in rows)]
    (folder / "db.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    (folder / "db.toml").write_text(department('kind = "csv"\nfile = "db.csv"', programmes), encoding="utf-8")


async def fetch(config: dict[str, object], folder: pathlib.Path) -> dict[str, list[int]]:
    """Fetch every person of QUERY and return each record's programmes, checking the schema's rules."""
    async with build_adapter(config, folder) as adapter:
        records = await adapter.fetch(QUERY)
    for record in records:
        check_rules(record, "Record")
    return {record.id_number: list(record.low_income_registry.programmes) for record in records}


def config_error(folder: pathlib.Path, text: str) -> AdapterConfigError:
    (folder / "db.csv").write_text("sfzh,cyzt,zxjzxm\r\n", encoding="utf-8")
    (folder / "db.toml").write_text(text, encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "db.toml"}, folder)
    return caught.value


# ---------------------------------------------------------------------------
# CSV: text split at the separator.


async def test_csv_splits_items(tmp_path: pathlib.Path) -> None:
    write_csv(tmp_path, [(RETIREE, "在保", "11|21"), (WORKER, "在保", " 12 || 11 |"), (JOBLESS, "在保", "21")])
    found = await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert found == {RETIREE: [MEDICAL, DISABILITY], WORKER: [EDUCATION, MEDICAL], JOBLESS: [DISABILITY]}


async def test_csv_optional_empty_gives_no_items(tmp_path: pathlib.Path) -> None:
    optional = PROGRAMMES.replace('separator = "|"', 'separator = "|", required = false')
    write_csv(tmp_path, [(RETIREE, "在保", ""), (WORKER, "在保", " | ")], optional)
    found = await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert found == {RETIREE: [], WORKER: []}


@pytest.mark.parametrize("value", ["", " | |"])
async def test_csv_required_needs_an_item(tmp_path: pathlib.Path, value: str) -> None:
    write_csv(tmp_path, [(RETIREE, "在保", value)])
    with pytest.raises(AdapterDataError) as caught:
        await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert caught.value.field == "zxjzxm"
    assert "缺少字段 zxjzxm" in str(caught.value)


async def test_csv_duplicate_item_names_column(tmp_path: pathlib.Path) -> None:
    write_csv(tmp_path, [(RETIREE, "在保", "11|21|11")])
    with pytest.raises(FieldDataError) as caught:
        await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    error = caught.value
    assert isinstance(error, AdapterDataError)
    assert error.reason == "FIELD_ITEM_DUPLICATE"
    assert error.field == "zxjzxm"
    assert "字段 zxjzxm 的第 3 项 '11' 与第 1 项 '11'" in str(error)
    assert "记录字段 programmes" in str(error)
    assert "item 3 ('11') of field zxjzxm" in error.message("en")
    assert "programmes" in error.message("en")


async def test_csv_codes_to_same_value_are_duplicates(tmp_path: pathlib.Path) -> None:
    write_csv(tmp_path, [(RETIREE, "在保", "11|91")])
    with pytest.raises(FieldDataError) as caught:
        await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert "第 2 项 '91' 与第 1 项 '11' 换算后相同" in str(caught.value)


async def test_csv_unknown_item_code_names_column(tmp_path: pathlib.Path) -> None:
    write_csv(tmp_path, [(RETIREE, "在保", "11|99")])
    with pytest.raises(AdapterDataError) as caught:
        await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert caught.value.field == "zxjzxm"
    assert "'99'" in str(caught.value)


async def test_csv_multi_character_separator(tmp_path: pathlib.Path) -> None:
    write_csv(tmp_path, [(RETIREE, "在保", "11、 12")], PROGRAMMES.replace('"|"', '"、"'))
    found = await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert found == {RETIREE: [MEDICAL, EDUCATION]}


# ---------------------------------------------------------------------------
# SQLite: a GROUP_CONCAT column, NULL when a member has no programme.


def write_registry_database(path: pathlib.Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "CREATE TABLE jzcy (sfzh TEXT, cyzt TEXT);"
            "CREATE TABLE zxjz (sfzh TEXT, xmdm TEXT);"
        )
        connection.executemany("INSERT INTO jzcy VALUES (?, '在保')", [(RETIREE,), (WORKER,), (JOBLESS,)])
        connection.executemany(
            "INSERT INTO zxjz VALUES (?, ?)", [(RETIREE, "11"), (RETIREE, "21"), (RETIREE, "12"), (WORKER, "12")]
        )
    connection.close()


SQL_SOURCE = 'kind = "sql"\ndatabase = "db.sqlite"'
SQL_QUERY = """query = '''
SELECT c.sfzh, c.cyzt, (SELECT GROUP_CONCAT(z.xmdm, ',') FROM zxjz AS z WHERE z.sfzh = c.sfzh) AS zxjzxm
  FROM jzcy AS c WHERE c.sfzh IN ({id_numbers})
'''"""


async def test_sqlite_group_concat_maps(tmp_path: pathlib.Path) -> None:
    write_registry_database(tmp_path / "db.sqlite")
    programmes = PROGRAMMES.replace('separator = "|"', 'separator = ",", required = false')
    (tmp_path / "db.toml").write_text(department(SQL_SOURCE, programmes, SQL_QUERY), encoding="utf-8")
    found = await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert sorted(found[RETIREE]) == sorted([MEDICAL, DISABILITY, EDUCATION])
    assert found[WORKER] == [EDUCATION]
    assert found[JOBLESS] == []


async def test_sqlite_null_fails_required_field(tmp_path: pathlib.Path) -> None:
    write_registry_database(tmp_path / "db.sqlite")
    programmes = PROGRAMMES.replace('"|"', '","')
    (tmp_path / "db.toml").write_text(department(SQL_SOURCE, programmes, SQL_QUERY), encoding="utf-8")
    with pytest.raises(AdapterDataError) as caught:
        await fetch({"kind": "declarative", "file": "db.toml"}, tmp_path)
    assert caught.value.field == "zxjzxm"


# ---------------------------------------------------------------------------
# HTTP/JSON: arrays need no separator; text needs one.


@pytest.fixture
async def registry_service() -> AsyncIterator[tuple[str, dict[str, object]]]:
    """An HTTP service on 127.0.0.1 whose rows contain the ``zxjzxm`` values the test sets."""
    values: dict[str, object] = {}

    async def query(request: web.Request) -> web.Response:
        ids = (await request.json())["ids"]
        rows = [{"sfzh": id_number, "cyzt": "在保", "zxjzxm": values[id_number]} for id_number in ids
                if id_number in values]
        return web.json_response({"rows": rows}, dumps=lambda data: json.dumps(data, ensure_ascii=False))

    app = web.Application()
    app.router.add_post("/db", query)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = bind_loopback("127.0.0.1", 0)
    try:
        await web.SockSite(runner, sock).start()
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", values
    finally:
        await runner.cleanup()


def write_http_department(folder: pathlib.Path, url: str, programmes: str) -> dict[str, object]:
    source = f'kind = "http"\nbase_url = "{url}"\nretries = 0'
    (folder / "db.toml").write_text(department(source, programmes, 'path = "/db"'), encoding="utf-8")
    return {"kind": "declarative", "file": "db.toml"}


async def test_http_array_without_separator(tmp_path: pathlib.Path, registry_service) -> None:
    url, values = registry_service
    values.update({RETIREE: ["11", " 21 ", ""], WORKER: [12, None], JOBLESS: []})
    no_separator = PROGRAMMES.replace('separator = "|", ', 'required = false, ')
    found = await fetch(write_http_department(tmp_path, url, no_separator), tmp_path)
    assert found == {RETIREE: [MEDICAL, DISABILITY], WORKER: [EDUCATION], JOBLESS: []}


async def test_http_text_without_separator_fails(tmp_path: pathlib.Path, registry_service) -> None:
    url, values = registry_service
    values[RETIREE] = "11,21"
    config = write_http_department(tmp_path, url, PROGRAMMES.replace('separator = "|", ', ""))
    with pytest.raises(FieldDataError) as caught:
        await fetch(config, tmp_path)
    assert caught.value.reason == "FIELD_ITEMS_INVALID"
    assert caught.value.field == "zxjzxm"
    assert "字段 zxjzxm 应为一个 JSON 数组，实际为 str 类型的值" in str(caught.value)
    assert "must hold a JSON array" in caught.value.message("en")


async def test_http_separator_takes_text_and_arrays(tmp_path: pathlib.Path, registry_service) -> None:
    url, values = registry_service
    values.update({RETIREE: "11|21", WORKER: ["12"]})
    found = await fetch(write_http_department(tmp_path, url, PROGRAMMES), tmp_path)
    assert found == {RETIREE: [MEDICAL, DISABILITY], WORKER: [EDUCATION]}


@pytest.mark.parametrize("value", [11, {"xmdm": "11"}, True])
async def test_http_other_json_value_fails(tmp_path: pathlib.Path, registry_service, value: object) -> None:
    url, values = registry_service
    values[RETIREE] = value
    with pytest.raises(FieldDataError) as caught:
        await fetch(write_http_department(tmp_path, url, PROGRAMMES), tmp_path)
    assert caught.value.reason == "FIELD_ITEMS_INVALID"
    assert "字段 zxjzxm 应为以 '|' 分隔的文本或 JSON 数组" in str(caught.value)


async def test_http_array_duplicate_fails(tmp_path: pathlib.Path, registry_service) -> None:
    url, values = registry_service
    values[RETIREE] = ["21", "11", "21"]
    with pytest.raises(FieldDataError) as caught:
        await fetch(write_http_department(tmp_path, url, PROGRAMMES), tmp_path)
    assert caught.value.reason == "FIELD_ITEM_DUPLICATE"


# ---------------------------------------------------------------------------
# Configuration errors name the file, the category and the field, in both languages.


def test_separator_on_single_field_rejected(tmp_path: pathlib.Path) -> None:
    text = department('kind = "csv"\nfile = "db.csv"').replace(
        'status = { from = "cyzt", convert = "text" }', 'status = { from = "cyzt", convert = "text", separator = "," }'
    )
    error = config_error(tmp_path, text)
    assert isinstance(error, FieldConfigError)
    assert error.reason == "FIELD_SEPARATOR_NOT_REPEATED"
    message = str(error)
    assert "db.toml 的 [categories #1.fields.status] 中 separator：" in message
    assert "类别 LOW_INCOME_REGISTRY 的字段 status 不是重复字段" in message
    english = error.message("en")
    assert "db.toml [categories #1.fields.status] separator: " in english
    assert "field status of category LOW_INCOME_REGISTRY is not a repeated field" in english


@pytest.mark.parametrize("kind", ["csv", "sql"])
def test_repeated_without_separator_rejected(tmp_path: pathlib.Path, kind: str) -> None:
    (tmp_path / "db.sqlite").touch()
    source = 'kind = "csv"\nfile = "db.csv"' if kind == "csv" else SQL_SOURCE
    keys = SQL_QUERY if kind == "sql" else ""
    error = config_error(tmp_path, department(source, PROGRAMMES.replace('separator = "|", ', ""), keys))
    assert isinstance(error, FieldConfigError)
    assert error.reason == "FIELD_SEPARATOR_MISSING"
    assert "db.toml 的 [categories #1.fields.programmes] 中 separator：" in str(error)
    assert "类别 LOW_INCOME_REGISTRY 的字段 programmes 是重复字段（repeated AssistanceProgramme）" in str(error)
    english = error.message("en")
    assert "db.toml [categories #1.fields.programmes] separator: " in english
    assert "field programmes of category LOW_INCOME_REGISTRY is a repeated field" in english


@pytest.mark.parametrize("separator", ['""', "1", "[\",\"]"])
def test_invalid_separator_rejected(tmp_path: pathlib.Path, separator: str) -> None:
    programmes = PROGRAMMES.replace('separator = "|"', f"separator = {separator}")
    error = config_error(tmp_path, department('kind = "csv"\nfile = "db.csv"', programmes))
    assert isinstance(error, FieldConfigError)
    assert error.reason == "FIELD_SEPARATOR_INVALID"
    assert "[categories #1.fields.programmes] 中 separator" in str(error)


def test_default_on_repeated_rejected(tmp_path: pathlib.Path) -> None:
    programmes = PROGRAMMES.replace('separator = "|"', 'separator = "|", required = false, default = "MEDICAL"')
    error = config_error(tmp_path, department('kind = "csv"\nfile = "db.csv"', programmes))
    assert isinstance(error, FieldConfigError)
    assert error.reason == "FIELD_REPEATED_DEFAULT"
    assert "[categories #1.fields.programmes] 中 default" in str(error)
    assert "重复字段 programmes 不支持 default" in str(error)


def test_converter_type_checked_for_items(tmp_path: pathlib.Path) -> None:
    programmes = 'programmes = { from = "zxjzxm", separator = "|", convert = "int" }'
    error = config_error(tmp_path, department('kind = "csv"\nfile = "db.csv"', programmes))
    assert "[categories #1.fields.programmes] 中 convert" in str(error)


def test_item_code_unspecified_rejected(tmp_path: pathlib.Path) -> None:
    programmes = 'programmes = { from = "zxjzxm", separator = "|", codes = { "00" = "UNSPECIFIED" } }'
    error = config_error(tmp_path, department('kind = "csv"\nfile = "db.csv"', programmes))
    assert "[categories #1.fields.programmes.codes] 中 00" in str(error)


def test_separator_misspelt_rejected(tmp_path: pathlib.Path) -> None:
    programmes = PROGRAMMES.replace('separator = "|"', 'seperator = "|"')
    error = config_error(tmp_path, department('kind = "csv"\nfile = "db.csv"', programmes))
    # The separator check runs before the unknown-key check, so the error is the missing separator.
    assert isinstance(error, FieldConfigError)
    assert error.reason == "FIELD_SEPARATOR_MISSING"


# ---------------------------------------------------------------------------
# Repeated scalar fields. No record in the schema has one yet, so these use a
# message type built here.


def sample_message() -> Descriptor:
    file = descriptor_pb2.FileDescriptorProto(name="hedui_test_repeated.proto", package="hedui.test", syntax="proto3")
    message = file.message_type.add(name="Sample")
    repeated = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
    message.field.add(name="amounts_fen", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
                      label=repeated)
    message.field.add(name="names", number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=repeated)
    message.field.add(name="children", number=3, type=descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE,
                      label=repeated, type_name=".hedui.test.Sample")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return pool.FindMessageTypeByName("hedui.test.Sample")


def sample_field(target: str, spec: Mapping[str, object], *, json_arrays: bool = False) -> FieldMap:
    table = ConfigTable({target: spec}, pathlib.Path("dept.toml"), "categories #1.fields")
    return _field_map(table, sample_message(), target, "PENSION", json_arrays)


def test_repeated_scalar_items_convert() -> None:
    field_map = sample_field("amounts_fen", {"from": "je", "separator": ";", "convert": "yuan_to_fen"})
    assert field_map.items is not None
    assert convert_items(field_map, field_map.items, "1.50; 2;;0.01 ") == [150, 200, 1]
    # The schema sets no unique rule on this field, so equal items are kept.
    assert convert_items(field_map, field_map.items, "2;2.00") == [200, 200]
    assert convert_items(field_map, field_map.items, ["3", 4]) == [300, 400]


def test_repeated_scalar_item_error_names_column() -> None:
    field_map = sample_field("amounts_fen", {"from": "je", "separator": ";", "convert": "yuan_to_fen"})
    assert field_map.items is not None
    with pytest.raises(AdapterDataError) as caught:
        convert_items(field_map, field_map.items, "1.50;1.505")
    assert caught.value.field == "je"
    assert "'1.505'" in str(caught.value)


def test_repeated_scalar_needs_separator() -> None:
    with pytest.raises(FieldConfigError) as caught:
        sample_field("amounts_fen", {"from": "je", "convert": "yuan_to_fen"})
    assert caught.value.reason == "FIELD_SEPARATOR_MISSING"
    assert "类别 PENSION 的字段 amounts_fen 是重复字段（repeated int64）" in str(caught.value)


def test_repeated_text_from_json_array() -> None:
    field_map = sample_field("names", {"from": "xm", "convert": "text"}, json_arrays=True)
    assert field_map.items is not None
    assert field_map.items.separator is None
    assert convert_items(field_map, field_map.items, [" 王建国 ", "李秀英"]) == ["王建国", "李秀英"]


def test_repeated_message_field_rejected() -> None:
    with pytest.raises(FieldConfigError) as caught:
        sample_field("children", {"from": "zn", "separator": ",", "convert": "text"})
    assert caught.value.reason == "FIELD_REPEATED_MESSAGE"
    assert "dept.toml 的 [categories #1.fields] 中 children" in str(caught.value)

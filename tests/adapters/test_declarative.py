"""Declarative department adapters: same records as the Python adapters, CSV exports, config errors."""

from __future__ import annotations

import pathlib
import shutil

import pytest
from adapters_known_dataset import JOBLESS, NOBODY, RETIREE, WORKER, known_dataset

from hedui.adapters import dept_bdc, dept_ga, dept_rs
from hedui.adapters.base import Adapter, AdapterConfigError, AdapterDataError, AdapterQuery
from hedui.adapters.csv_file import CsvAdapter
from hedui.adapters.declarative import load_department
from hedui.adapters.factory import build_adapter
from hedui.adapters.http_json import HttpJsonAdapter, JsonApi
from hedui.adapters.sql import SqliteAdapter
from hedui.adapters.standin import Dataset, make_dataset, write_bdc_database
from hedui.adapters.standin.http_service import serve
from hedui.v1 import common_pb2 as common
from hedui.v1 import records_pb2

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "departments"
ALL_CATEGORIES = frozenset(value.number for value in common.DataCategory.DESCRIPTOR.values if value.number)


def query_for(id_numbers: tuple[str, ...]) -> AdapterQuery:
    return AdapterQuery(
        request_id="req-declarative",
        id_numbers=id_numbers,
        categories=ALL_CATEGORIES,
        purpose=common.PURPOSE_INITIAL_ELIGIBILITY,
    )


def id_numbers_of(dataset: Dataset) -> tuple[str, ...]:
    return tuple(person.id_number for person in dataset.people())


async def fetch_all(adapter: Adapter, query: AdapterQuery) -> list[records_pb2.Record]:
    async with adapter:
        records = await adapter.fetch(query)
    return sorted(records, key=lambda record: record.SerializeToString(deterministic=True))


@pytest.fixture(scope="module")
def generated() -> Dataset:
    return make_dataset(11, 40)


# ---------------------------------------------------------------------------
# The example files give the same records as the Python department adapters.


@pytest.mark.parametrize(("example", "api"), [("rs.toml", dept_rs.API), ("ga.toml", dept_ga.API)])
async def test_http_example_matches_python_adapter(generated: Dataset, example: str, api: JsonApi) -> None:
    query = query_for(id_numbers_of(generated))
    async with serve(generated) as running:
        declarative = build_adapter(
            {"kind": "declarative", "file": str(EXAMPLES / example), "source": {"base_url": running.url}},
            EXAMPLES,
        )
        assert isinstance(declarative, HttpJsonAdapter)
        expected = await fetch_all(HttpJsonAdapter(api, running.url, name="python"), query)
        found = await fetch_all(declarative, query)
    assert len(expected) > 0
    assert found == expected


async def test_http_example_matches_on_known_values() -> None:
    query = query_for((RETIREE, WORKER, JOBLESS, NOBODY))
    async with serve(known_dataset()) as running:
        overrides = {"base_url": running.url}
        rs = load_department(EXAMPLES / "rs.toml", overrides, overrides_dir=EXAMPLES)
        found = await fetch_all(rs, query)
        expected = await fetch_all(HttpJsonAdapter(dept_rs.API, running.url, name="python"), query)
    assert found == expected
    pensions = [record for record in found if record.WhichOneof("body") == "pension"]
    assert [record.pension.monthly_amount_fen for record in pensions] == [325050]


async def test_sql_example_matches_python_adapter(tmp_path: pathlib.Path) -> None:
    write_bdc_database(known_dataset(), tmp_path / "bdc.sqlite")
    query = query_for((RETIREE, WORKER, NOBODY))
    declarative = build_adapter(
        {"kind": "declarative", "file": str(EXAMPLES / "bdc.toml"), "source": {"database": "bdc.sqlite"}},
        tmp_path,
    )
    assert isinstance(declarative, SqliteAdapter)
    assert declarative.database == tmp_path / "bdc.sqlite"
    python = SqliteAdapter(tmp_path / "bdc.sqlite", dept_bdc.QUERIES, name="python", label=dept_bdc.LABEL)
    expected = await fetch_all(python, query)
    assert len(expected) > 0
    assert await fetch_all(declarative, query) == expected


async def test_sql_example_matches_on_generated_data(tmp_path: pathlib.Path, generated: Dataset) -> None:
    write_bdc_database(generated, tmp_path / "bdc.sqlite")
    query = query_for(id_numbers_of(generated))
    declarative = load_department(EXAMPLES / "bdc.toml", {"database": "bdc.sqlite"}, overrides_dir=tmp_path)
    python = SqliteAdapter(tmp_path / "bdc.sqlite", dept_bdc.QUERIES, name="python", label=dept_bdc.LABEL)
    expected = await fetch_all(python, query)
    assert len(expected) > 0
    assert await fetch_all(declarative, query) == expected


# ---------------------------------------------------------------------------
# CSV exports.

PENSION_HEADER = "身份证号码,险种,月发放金额（元）,首次发放日期,发放状态,导出时间"
PENSION_ROWS = (
    f"{RETIREE.lower()},企业职工养老,3250.50,2018-04-01,正常发放,2025-06-30 08:00:00",
    f"{WORKER},城乡居民养老,168.05,20220801,暂停发放,2025-06-30 08:00:00",
    f"{JOBLESS},城乡居民养老,0.01,,正常发放,2025-06-30 08:00:00",
)


def write_pension_export(folder: pathlib.Path, encoding: str, *, bom: bool = False) -> None:
    """Copy the CSV example into ``folder`` with an export written in ``encoding``."""
    text = "\r\n".join((PENSION_HEADER, *PENSION_ROWS)) + "\r\n"
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    (folder / "ylj.csv").write_bytes(data)
    department = (EXAMPLES / "ylj_csv.toml").read_text(encoding="utf-8")
    (folder / "ylj_csv.toml").write_text(
        department.replace('encoding = "gb18030"', f'encoding = "{encoding}"'), encoding="utf-8"
    )


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gb18030", False), ("gb18030", True)])
async def test_csv_maps_exact_fen(tmp_path: pathlib.Path, encoding: str, bom: bool) -> None:
    write_pension_export(tmp_path, encoding, bom=bom)
    adapter = build_adapter({"kind": "declarative", "file": "ylj_csv.toml"}, tmp_path)
    assert isinstance(adapter, CsvAdapter)
    found = await fetch_all(adapter, query_for((RETIREE, WORKER, JOBLESS)))
    amounts = {record.id_number: record.pension.monthly_amount_fen for record in found}
    assert amounts == {RETIREE: 325050, WORKER: 16805, JOBLESS: 1}
    by_id = {record.id_number: record.pension for record in found}
    assert by_id[WORKER].scheme == records_pb2.INSURANCE_SCHEME_RESIDENT_PENSION
    assert by_id[WORKER].start_date == "2022-08-01"
    assert by_id[WORKER].status == "暂停发放"
    assert by_id[JOBLESS].start_date == ""


async def test_csv_keeps_only_requested_ids(tmp_path: pathlib.Path) -> None:
    write_pension_export(tmp_path, "gb18030")
    adapter = load_department(tmp_path / "ylj_csv.toml", overrides_dir=tmp_path)
    found = await fetch_all(adapter, query_for((WORKER, NOBODY)))
    assert [record.id_number for record in found] == [WORKER]


async def test_csv_example_file_reads() -> None:
    adapter = load_department(EXAMPLES / "ylj_csv.toml", overrides_dir=EXAMPLES)
    found = await fetch_all(adapter, query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in found] == [325050]


async def test_csv_where_selects_category_rows(tmp_path: pathlib.Path) -> None:
    (tmp_path / "export.csv").write_text(
        "sjlb,sfzhm,yljje,ffzt\r\n"
        f"YLJ,{RETIREE},100.10,正常\r\n"
        f"SYJ,{RETIREE},999.99,正常\r\n",
        encoding="utf-8",
    )
    (tmp_path / "mixed.toml").write_text(
        '[department]\nname = "混合导出"\n[source]\nkind = "csv"\nfile = "export.csv"\n'
        '[[categories]]\ncategory = "PENSION"\nrecord = "pension"\nid_field = "sfzhm"\n'
        'where = { sjlb = "YLJ" }\n'
        '[categories.fields]\nmonthly_amount_fen = { from = "yljje", convert = "yuan_to_fen" }\n'
        'status = { from = "ffzt", convert = "text" }\n',
        encoding="utf-8",
    )
    adapter = build_adapter({"kind": "declarative", "file": "mixed.toml"}, tmp_path)
    found = await fetch_all(adapter, query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in found] == [10010]
    assert found[0].HasField("as_of")  # with no as_of_field, as_of is the fetch time


async def test_csv_wrong_encoding_is_data_error(tmp_path: pathlib.Path) -> None:
    write_pension_export(tmp_path, "gb18030")
    department = tmp_path / "ylj_csv.toml"
    department.write_text(department.read_text(encoding="utf-8").replace("gb18030", "utf-8"), encoding="utf-8")
    adapter = load_department(department, overrides_dir=tmp_path)
    with pytest.raises(AdapterDataError) as caught:
        await fetch_all(adapter, query_for((WORKER,)))
    assert "utf-8" in str(caught.value)


async def test_csv_short_row_is_data_error(tmp_path: pathlib.Path) -> None:
    write_pension_export(tmp_path, "utf-8")
    with (tmp_path / "ylj.csv").open("a", encoding="utf-8") as export:
        export.write(f"{NOBODY},城乡居民养老\r\n")
    adapter = load_department(tmp_path / "ylj_csv.toml", overrides_dir=tmp_path)
    with pytest.raises(AdapterDataError) as caught:
        await fetch_all(adapter, query_for((WORKER,)))
    assert "第 5 行" in str(caught.value)


async def test_csv_missing_id_column_is_data_error(tmp_path: pathlib.Path) -> None:
    write_pension_export(tmp_path, "utf-8")
    department = tmp_path / "ylj_csv.toml"
    department.write_text(
        department.read_text(encoding="utf-8").replace('id_field = "身份证号码"', 'id_field = "证件号码"'),
        encoding="utf-8",
    )
    adapter = load_department(department, overrides_dir=tmp_path)
    with pytest.raises(AdapterDataError) as caught:
        await fetch_all(adapter, query_for((WORKER,)))
    assert "证件号码" in str(caught.value)


# ---------------------------------------------------------------------------
# Configuration errors name the file, the table and the key.

MINIMAL = """\
[department]
name = "测试部门"

[source]
kind = "csv"
file = "ylj.csv"

[[categories]]
category = "PENSION"
record = "pension"
id_field = "sfzhm"

[categories.fields]
monthly_amount_fen = { from = "yljje", convert = "yuan_to_fen" }
"""


@pytest.mark.parametrize(
    ("old", "new", "named_key"),
    [
        ('name = "测试部门"', 'name = "测试部门"\nowner = "x"', "owner"),
        ('kind = "csv"', 'kind = "ftp"', "kind"),
        ('kind = "csv"', 'kind = "xlsx"', "file"),
        ('file = "ylj.csv"', 'file = "absent.csv"', "file"),
        ('file = "ylj.csv"', 'file = "ylj.xlsx"', "file"),
        ('file = "ylj.csv"', 'file = "ylj.csv"\nencoding = "latin-1"', "encoding"),
        ('category = "PENSION"', 'category = "LOTTERY"', "category"),
        ('record = "pension"', 'record = "lottery"', "record"),
        ('record = "pension"', 'record = "social_insurance"', "record"),
        ('id_field = "sfzhm"', 'id_field = "sfzhm"\npath = "/x"', "path"),
        ('id_field = "sfzhm"\n', "", "id_field"),
        ("monthly_amount_fen =", "monthly_amount =", "monthly_amount"),
        ('convert = "yuan_to_fen"', 'convert = "jiao_to_fen"', "convert"),
        ('convert = "yuan_to_fen"', 'convert = "iso_date"', "convert"),
        ('convert = "yuan_to_fen"', 'convert = "yuan_to_fen", round = true', "round"),
        ('from = "yljje", ', "", "from"),
        ('convert = "yuan_to_fen"', 'convert = "yuan_to_fen", required = false, default = "0"', "default"),
        ('convert = "yuan_to_fen"', 'convert = "yuan_to_fen", default = 0', "default"),
        ('convert = "yuan_to_fen" }', 'convert = "yuan_to_fen" }\nstatus = "ffzt"', "status"),
    ],
)
def test_config_error_names_key(tmp_path: pathlib.Path, old: str, new: str, named_key: str) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje\r\n", encoding="utf-8")
    assert old in MINIMAL
    (tmp_path / "dept.toml").write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    message = str(caught.value)
    assert named_key in message
    assert "dept.toml" in message


def test_minimal_config_builds(tmp_path: pathlib.Path) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje\r\n", encoding="utf-8")
    (tmp_path / "dept.toml").write_text(MINIMAL, encoding="utf-8")
    adapter = build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    assert adapter.categories == {common.DATA_CATEGORY_PENSION}


def test_code_table_error_names_code(tmp_path: pathlib.Path) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje,xzlx\r\n", encoding="utf-8")
    department = MINIMAL + 'scheme = { from = "xzlx", codes = { "110" = "EMPLOYEE_PENSON" } }\n'
    (tmp_path / "dept.toml").write_text(department, encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    assert "110" in str(caught.value)
    assert "categories #1.fields.scheme.codes" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "named_key"),
    [
        ({"base_url": "127.0.0.1:8080"}, "base_url"),
        ({"retries": -1}, "retries"),
        ({"timeout_seconds": 0}, "timeout_seconds"),
        ({"base_url": "http://127.0.0.1:8080", "proxy": "x"}, "proxy"),
        ({"kind": "sql"}, "kind"),
    ],
)
def test_http_override_error_names_key(source: dict[str, object], named_key: str) -> None:
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": str(EXAMPLES / "rs.toml"), "source": source}, EXAMPLES)
    assert named_key in str(caught.value)


def test_missing_department_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "absent.toml"}, tmp_path)
    assert "absent.toml" in str(caught.value)


def test_missing_database_names_key(tmp_path: pathlib.Path) -> None:
    shutil.copy(EXAMPLES / "bdc.toml", tmp_path / "bdc.toml")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "bdc.toml"}, tmp_path)
    assert "database" in str(caught.value)
    assert "bdc.sqlite" in str(caught.value)


def test_invalid_toml_names_file(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dept.toml").write_text("[department\n", encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    assert "dept.toml" in str(caught.value)


# ---------------------------------------------------------------------------
# Mistakes named where they are: the node's override, the top level, code tables.


@pytest.mark.parametrize(
    ("source", "named_key"),
    [
        ({"base_ur": "http://127.0.0.1:8080"}, "base_ur"),
        ({"retries": -1}, "retries"),
        ({"base_url": "127.0.0.1:8080"}, "base_url"),
    ],
)
def test_override_error_names_node_config(source: dict[str, object], named_key: str) -> None:
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": str(EXAMPLES / "rs.toml"), "source": source}, EXAMPLES)
    assert str(caught.value).startswith(f"节点配置 [adapter.source] 中 {named_key}：")


def test_override_typo_lists_overridable_keys() -> None:
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter(
            {"kind": "declarative", "file": str(EXAMPLES / "rs.toml"), "source": {"base_ur": "http://127.0.0.1:8080"}},
            EXAMPLES,
        )
    allowed = str(caught.value).split("可覆盖的键：", 1)[1]
    assert "base_url" in allowed
    assert "kind" not in allowed
    assert "request" not in allowed


def test_department_typo_still_names_department_file(tmp_path: pathlib.Path) -> None:
    department = (EXAMPLES / "rs.toml").read_text(encoding="utf-8").replace("[source]\n", "[source]\nproxy = \"x\"\n", 1)
    (tmp_path / "rs.toml").write_text(department, encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "rs.toml", "source": {"retries": 1}}, tmp_path)
    assert "rs.toml 的 [source] 中 proxy" in str(caught.value)


def test_missing_categories_names_array_of_tables(tmp_path: pathlib.Path) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje\r\n", encoding="utf-8")
    (tmp_path / "dept.toml").write_text(MINIMAL.split("[[categories]]", 1)[0], encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    message = str(caught.value)
    assert "[]" not in message
    assert "缺少 [[categories]] 表数组" in message
    assert "category、record、id_field" in message


def test_single_categories_table_is_named(tmp_path: pathlib.Path) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje\r\n", encoding="utf-8")
    department = MINIMAL.replace("[[categories]]", "[categories]")
    (tmp_path / "dept.toml").write_text(department, encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    message = str(caught.value)
    assert "[]" not in message
    assert "[[categories]]" in message


def test_code_table_rejects_unspecified(tmp_path: pathlib.Path) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje,xzlx\r\n", encoding="utf-8")
    codes = '{ "110" = "EMPLOYEE_PENSION", "999" = "UNSPECIFIED" }'
    department = MINIMAL + f'scheme = {{ from = "xzlx", codes = {codes} }}\n'
    (tmp_path / "dept.toml").write_text(department, encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    message = str(caught.value)
    assert "[categories #1.fields.scheme.codes] 中 999" in message
    assert "UNSPECIFIED" in message


def test_code_table_lists_names_without_unspecified(tmp_path: pathlib.Path) -> None:
    (tmp_path / "ylj.csv").write_text("sfzhm,yljje,xzlx\r\n", encoding="utf-8")
    department = MINIMAL + 'scheme = { from = "xzlx", codes = { "110" = "EMPLOYEE" } }\n'
    (tmp_path / "dept.toml").write_text(department, encoding="utf-8")
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "declarative", "file": "dept.toml"}, tmp_path)
    allowed = str(caught.value).split("可选：", 1)[1]
    assert "EMPLOYEE_PENSION" in allowed
    assert "UNSPECIFIED" not in allowed

"""Declarative Excel (.xlsx) sources: same records as the equivalent CSV, and clear errors."""

from __future__ import annotations

import datetime as dt
import pathlib
import random
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from adapters_known_dataset import JOBLESS, NOBODY, RETIREE, WORKER

from hedui.adapters._xlsx_errors import XlsxConfigError, XlsxDataError, XlsxUnavailable
from hedui.adapters.base import Adapter, AdapterConfigError, AdapterQuery
from hedui.adapters.convert import BEIJING_TIME
from hedui.adapters.factory import build_adapter
from hedui.adapters.standin.people import make_id_number
from hedui.adapters.xlsx_file import XlsxAdapter, cell_text
from hedui.v1 import common_pb2 as common
from hedui.v1 import records_pb2

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "departments"
ALL_CATEGORIES = frozenset(value.number for value in common.DataCategory.DESCRIPTOR.values if value.number)

# The categories of the example CSV department file, for either source.
PENSION_CATEGORIES = (EXAMPLES / "ylj_csv.toml").read_text(encoding="utf-8").split("[[categories]]", 1)[1]
HEADER = ["身份证号码", "姓名", "险种", "月发放金额（元）", "首次发放日期", "发放状态", "导出时间"]


def query_for(id_numbers: tuple[str, ...]) -> AdapterQuery:
    return AdapterQuery(
        request_id="req-xlsx",
        id_numbers=id_numbers,
        categories=ALL_CATEGORIES,
        purpose=common.PURPOSE_INITIAL_ELIGIBILITY,
    )


async def fetch_all(adapter: Adapter, query: AdapterQuery) -> list[records_pb2.Record]:
    async with adapter:
        records = await adapter.fetch(query)
    return sorted(records, key=lambda record: record.SerializeToString(deterministic=True))


def write_workbook(path: pathlib.Path, sheets: dict[str, list[list[Any]]]) -> None:
    """Write a real .xlsx file with one worksheet per entry, in order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def write_department(folder: pathlib.Path, source: str, categories: str = PENSION_CATEGORIES) -> None:
    """Write dept.toml with the given [source] body and [[categories]] tables."""
    (folder / "dept.toml").write_text(
        f'[department]\nname = "养老金发放导出"\n\n[source]\n{source}\n\n[[categories]]{categories}',
        encoding="utf-8",
    )


def load(folder: pathlib.Path, **source: object) -> Adapter:
    config: dict[str, object] = {"kind": "declarative", "file": "dept.toml"}
    if source:
        config["source"] = source
    return build_adapter(config, folder)


def typed_row(row: list[str]) -> list[Any]:
    """Return the cells of a sheet holding the row; the ID number in the first column stays text."""
    return [row[0], *(typed(text) for text in row[1:])]


def typed(text: str) -> Any:
    """Return the cell value a department's Excel sheet would hold for a CSV field."""
    if not text:
        return None
    if text.isdigit() and len(text) < 15:
        return int(text)
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, form)
        except ValueError:
            continue
    try:
        return float(Decimal(text))
    except ArithmeticError:
        return text


# ---------------------------------------------------------------------------
# The same export as CSV and as Excel gives the same records.

PENSION_ROWS = (
    [RETIREE.lower(), "王建国", "企业职工养老", "3250.50", "2018-04-01", "正常发放", "2025-06-30 08:00:00"],
    [WORKER, "李秀英", "城乡居民养老", "168.05", "20220801", "暂停发放", "2025-06-30 08:00:00"],
    [JOBLESS, "王磊", "城乡居民养老", "0.01", "", "正常发放", "2025-06-30 08:15:30"],
)


def write_both(folder: pathlib.Path, rows: list[list[str]]) -> tuple[pathlib.Path, pathlib.Path]:
    """Write the rows as a CSV export and as an Excel export with typed cells, each with its department file."""
    csv_dir, xlsx_dir = folder / "csv", folder / "xlsx"
    csv_dir.mkdir()
    xlsx_dir.mkdir()
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    (csv_dir / "ylj.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    write_department(csv_dir, 'kind = "csv"')
    write_workbook(xlsx_dir / "ylj.xlsx", {"养老金": [HEADER, *(typed_row(row) for row in rows)]})
    write_department(xlsx_dir, 'kind = "xlsx"', PENSION_CATEGORIES.replace("ylj.csv", "ylj.xlsx"))
    return csv_dir, xlsx_dir


async def test_xlsx_matches_csv_on_known_rows(tmp_path: pathlib.Path) -> None:
    csv_dir, xlsx_dir = write_both(tmp_path, [list(row) for row in PENSION_ROWS])
    sheet = openpyxl.load_workbook(xlsx_dir / "ylj.xlsx")["养老金"]
    cell_types = [type(cell.value) for cell in sheet[2]]
    assert cell_types == [str, str, str, float, dt.datetime, str, dt.datetime]
    assert type(sheet["E3"].value) is int  # 20220801 as a number
    query = query_for((RETIREE, WORKER, JOBLESS, NOBODY))
    excel = load(xlsx_dir)
    assert isinstance(excel, XlsxAdapter)
    expected = await fetch_all(load(csv_dir), query)
    found = await fetch_all(excel, query)
    assert len(expected) == 3
    assert found == expected
    by_id = {record.id_number: record.pension for record in found}
    assert by_id[RETIREE].monthly_amount_fen == 325050
    assert by_id[WORKER].monthly_amount_fen == 16805
    assert by_id[WORKER].start_date == "2022-08-01"
    assert by_id[JOBLESS].start_date == ""


async def test_xlsx_matches_csv_on_generated_rows(tmp_path: pathlib.Path) -> None:
    rng = random.Random(20250630)
    schemes = ("企业职工养老", "机关事业养老", "城乡居民养老")
    rows = []
    for sequence in range(300):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(25_000))
        amount = Decimal(rng.randrange(1, 10_000_000)) / 100  # 0.01 to 99999.99 yuan
        started = birth + dt.timedelta(days=rng.randrange(20_000, 25_000))
        start_text = rng.choice((started.isoformat(), f"{started:%Y%m%d}", ""))
        exported = dt.datetime(2025, 6, 30, 8, 0, 0) + dt.timedelta(seconds=rng.randrange(86_400))
        rows.append([
            make_id_number("140105", birth, sequence), "某人", rng.choice(schemes), str(amount), start_text,
            rng.choice(("正常发放", "暂停发放")), f"{exported:%Y-%m-%d %H:%M:%S}",
        ])
    csv_dir, xlsx_dir = write_both(tmp_path, rows)
    query = query_for(tuple(row[0] for row in rows))
    expected = await fetch_all(load(csv_dir), query)
    assert len(expected) == 300
    assert await fetch_all(load(xlsx_dir), query) == expected


async def test_xlsx_matches_example_csv(tmp_path: pathlib.Path) -> None:
    lines = (EXAMPLES / "ylj.csv").read_text(encoding="gb18030").splitlines()
    header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    write_workbook(tmp_path / "ylj.xlsx", {"Sheet1": [header, *(typed_row(row) for row in rows)]})
    write_department(tmp_path, 'kind = "xlsx"', PENSION_CATEGORIES.replace("ylj.csv", "ylj.xlsx"))
    csv = build_adapter({"kind": "declarative", "file": "ylj_csv.toml"}, EXAMPLES)
    query = query_for(tuple(row[0] for row in rows))
    expected = await fetch_all(csv, query)
    assert len(expected) == len(rows)
    assert await fetch_all(load(tmp_path), query) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  文本 ", "  文本 "),
        (True, "1"),
        (False, "0"),
        (20220801, "20220801"),
        (3250.0, "3250"),
        (3250.5, "3250.5"),
        (168.05, "168.05"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-05, "0.00001"),
        (dt.datetime(2018, 4, 1), "2018-04-01"),
        (dt.datetime(2025, 6, 30, 8, 0, 0), "2025-06-30 08:00:00"),
        (dt.date(2018, 4, 1), "2018-04-01"),
        (dt.time(8, 30), "08:30:00"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


# ---------------------------------------------------------------------------
# Sheets, header rows, filters, codes and freshness.

SIMPLE_CATEGORIES = """
category = "PENSION"
record = "pension"
id_field = "sfzhm"
as_of_field = "gxsj"

[categories.fields]
scheme = { from = "xzlx", codes = { "110" = "EMPLOYEE_PENSION", "120" = "RESIDENT_PENSION" } }
monthly_amount_fen = { from = "yljje", convert = "yuan_to_fen" }
status = { from = "ffzt", convert = "text", required = false }
"""
SIMPLE_HEADER = ["sfzhm", "xzlx", "yljje", "ffzt", "gxsj"]
UPDATED = dt.datetime(2025, 6, 30, 8, 0, 0)


def simple_rows(amount: object = 3250.5) -> list[list[Any]]:
    return [SIMPLE_HEADER, [RETIREE, 110, amount, "正常", UPDATED], [WORKER, "120", 168, None, UPDATED]]


async def test_xlsx_reads_named_sheet_below_title(tmp_path: pathlib.Path) -> None:
    header, retiree, worker = simple_rows()
    write_workbook(
        tmp_path / "export.xlsx",
        {
            "说明": [["本文件由社保经办机构导出"]],
            # An empty row and a note in a column without a header are skipped.
            "养老金": [["2025 年 6 月养老金发放明细"], [], header, retiree, [], [*worker, "备注"]],
        },
    )
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"\nsheet = "养老金"\nheader_row = 3', SIMPLE_CATEGORIES)
    found = await fetch_all(load(tmp_path), query_for((RETIREE, WORKER)))
    by_id = {record.id_number: record for record in found}
    assert by_id[RETIREE].pension.monthly_amount_fen == 325050
    assert by_id[RETIREE].pension.scheme == records_pb2.INSURANCE_SCHEME_EMPLOYEE_PENSION
    assert by_id[WORKER].pension.monthly_amount_fen == 16800
    assert by_id[WORKER].pension.scheme == records_pb2.INSURANCE_SCHEME_RESIDENT_PENSION
    assert by_id[WORKER].pension.status == ""
    assert by_id[RETIREE].as_of.ToDatetime(tzinfo=BEIJING_TIME) == UPDATED.replace(tzinfo=BEIJING_TIME)


async def test_xlsx_defaults_to_first_sheet(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows(), "旧数据": simple_rows(1)})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    found = await fetch_all(load(tmp_path), query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in found] == [325050]


async def test_xlsx_category_sheet_overrides_source(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows(), "旧数据": simple_rows(1)})
    categories = SIMPLE_CATEGORIES.replace('as_of_field = "gxsj"', 'as_of_field = "gxsj"\nsheet = "旧数据"')
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"\nsheet = "明细"', categories)
    found = await fetch_all(load(tmp_path), query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in found] == [100]


async def test_xlsx_where_selects_rows(tmp_path: pathlib.Path) -> None:
    rows = [["sjlb", *SIMPLE_HEADER], [1, RETIREE, 110, 100.1, "正常", UPDATED], [2, RETIREE, 110, 999.99, "正常", UPDATED]]
    write_workbook(tmp_path / "export.xlsx", {"Sheet1": rows})
    categories = SIMPLE_CATEGORIES.replace('as_of_field = "gxsj"', 'as_of_field = "gxsj"\nwhere = { sjlb = "1" }')
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', categories)
    found = await fetch_all(load(tmp_path), query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in found] == [10010]


async def test_xlsx_bool_cells_fill_bool_fields(tmp_path: pathlib.Path) -> None:
    rows = [["sfzhm", "sfdj", "gxsj"], [RETIREE, True, UPDATED], [WORKER, False, UPDATED]]
    write_workbook(tmp_path / "syj.xlsx", {"Sheet1": rows})
    categories = """
category = "UNEMPLOYMENT"
record = "unemployment"
id_field = "sfzhm"
as_of_field = "gxsj"

[categories.fields]
registered_unemployed = { from = "sfdj", convert = "bool" }
"""
    write_department(tmp_path, 'kind = "xlsx"\nfile = "syj.xlsx"', categories)
    found = await fetch_all(load(tmp_path), query_for((RETIREE, WORKER)))
    flags = {record.id_number: record.unemployment.registered_unemployed for record in found}
    assert flags == {RETIREE: True, WORKER: False}


async def test_xlsx_rereads_file_on_each_fetch(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"Sheet1": simple_rows(3250.5)})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    adapter = load(tmp_path)
    async with adapter:
        first = await adapter.fetch(query_for((RETIREE,)))
        write_workbook(tmp_path / "export.xlsx", {"Sheet1": simple_rows(3300)})
        second = await adapter.fetch(query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in first] == [325050]
    assert [record.pension.monthly_amount_fen for record in second] == [330000]


async def test_xlsx_without_as_of_field_uses_fetch_time(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"Sheet1": simple_rows()})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES.replace('as_of_field = "gxsj"\n', ""))
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    found = await fetch_all(load(tmp_path), query_for((RETIREE,)))
    after = dt.datetime.now(dt.timezone.utc)
    assert len(found) == 1
    assert before <= found[0].as_of.ToDatetime(tzinfo=dt.timezone.utc) <= after


async def test_node_override_picks_file_and_sheet(tmp_path: pathlib.Path) -> None:
    department_dir = tmp_path / "department"
    department_dir.mkdir()
    write_workbook(department_dir / "export.xlsx", {"Sheet1": simple_rows(1)})
    write_workbook(tmp_path / "test.xlsx", {"测试": simple_rows(2)})
    write_department(department_dir, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    adapter = build_adapter(
        {"kind": "declarative", "file": "department/dept.toml", "source": {"file": "test.xlsx", "sheet": "测试"}},
        tmp_path,
    )
    found = await fetch_all(adapter, query_for((RETIREE,)))
    assert [record.pension.monthly_amount_fen for record in found] == [200]


# ---------------------------------------------------------------------------
# Errors when the node starts: reason code, Chinese and English, file, table and key.


def load_error(folder: pathlib.Path, **source: object) -> AdapterConfigError:
    with pytest.raises(AdapterConfigError) as caught:
        load(folder, **source)
    return caught.value


def test_missing_file_at_start(tmp_path: pathlib.Path) -> None:
    write_department(tmp_path, 'kind = "xlsx"\nfile = "absent.xlsx"', SIMPLE_CATEGORIES)
    error = load_error(tmp_path)
    assert isinstance(error, XlsxConfigError)
    assert error.reason == "EXPORT_FILE_MISSING"
    assert "dept.toml 的 [source] 中 file：Excel 文件不存在" in str(error)
    assert "absent.xlsx" in str(error)
    assert "dept.toml [source] file: Excel file not found" in error.message("en")


def test_missing_file_in_category_names_category(tmp_path: pathlib.Path) -> None:
    categories = SIMPLE_CATEGORIES.replace('as_of_field = "gxsj"', 'as_of_field = "gxsj"\nfile = "absent.xlsx"')
    write_department(tmp_path, 'kind = "xlsx"', categories)
    error = load_error(tmp_path)
    assert isinstance(error, XlsxConfigError)
    assert "[categories #1] 中 file" in str(error)


def test_missing_sheet_at_start(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows(), "说明": []})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"\nsheet = "养老"', SIMPLE_CATEGORIES)
    error = load_error(tmp_path)
    assert isinstance(error, XlsxConfigError)
    assert error.reason == "EXPORT_SHEET_MISSING"
    assert "[source] 中 sheet" in str(error)
    assert "没有工作表 养老（现有：明细、说明）" in str(error)
    assert "has no sheet 养老 (it has: 明细、说明)" in error.message("en")


def test_override_sheet_error_names_node_config(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = load_error(tmp_path, sheet="养老")
    assert str(error).startswith("节点配置 [adapter.source] 中 sheet：")
    assert error.message("en").startswith("node configuration [adapter.source] sheet: ")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"sfzhm,yljje\r\n", "不是 .xlsx 格式"),
        (b"", "不是 .xlsx 格式"),
        (b"PK\x05\x06" + bytes(18), "KeyError"),
    ],
)
def test_not_a_workbook_at_start(tmp_path: pathlib.Path, content: bytes, problem: str) -> None:
    (tmp_path / "export.xlsx").write_bytes(content)
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = load_error(tmp_path)
    assert isinstance(error, XlsxConfigError)
    assert error.reason == "EXPORT_FILE_INVALID"
    assert problem in str(error)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('file = "export.xlsx"', 'file = "export.xls"', "只支持 .xlsx 和 .xlsm"),
        ('file = "export.xlsx"', 'file = "export.csv"', 'kind = "csv"'),
        ('file = "export.xlsx"', 'file = "export.txt"', ".xlsx 或 .xlsm"),
        ('file = "export.xlsx"', 'file = "export.xlsx"\nheader_row = 0', "header_row"),
        ('file = "export.xlsx"', 'file = "export.xlsx"\nheader_row = "2"', "header_row"),
        ('file = "export.xlsx"', 'file = "export.xlsx"\nsheet = ""', "sheet"),
        ('file = "export.xlsx"', 'file = "export.xlsx"\nencoding = "utf-8"', "encoding"),
        ('file = "export.xlsx"', 'file = "export.xlsx"\nsheets = "明细"', "sheets"),
        ('file = "export.xlsx"', "", "缺少必填键"),
    ],
)
def test_config_error_names_key(tmp_path: pathlib.Path, old: str, new: str, expected: str) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    source = 'kind = "xlsx"\nfile = "export.xlsx"'
    assert old in source
    write_department(tmp_path, source.replace(old, new), SIMPLE_CATEGORIES)
    message = str(load_error(tmp_path))
    assert expected in message
    assert "dept.toml" in message


def test_csv_source_points_excel_to_xlsx(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    write_department(tmp_path, 'kind = "csv"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    message = str(load_error(tmp_path))
    assert "[source] 中 file" in message
    assert 'kind = "xlsx"' in message


# ---------------------------------------------------------------------------
# Errors when a query runs: the sheet, row and column of the fault.


async def fetch_error(folder: pathlib.Path, error_type: type[Exception] = XlsxDataError) -> Any:
    adapter = load(folder)
    with pytest.raises(error_type) as caught:
        await fetch_all(adapter, query_for((RETIREE, WORKER)))
    return caught.value


async def test_file_removed_after_start(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    adapter = load(tmp_path)
    (tmp_path / "export.xlsx").unlink()
    with pytest.raises(XlsxUnavailable) as caught:
        await fetch_all(adapter, query_for((RETIREE,)))
    assert caught.value.reason == "EXPORT_FILE_MISSING"
    assert "export.xlsx" in caught.value.message("en")


async def test_sheet_removed_after_start(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"\nsheet = "明细"', SIMPLE_CATEGORIES)
    adapter = load(tmp_path)
    write_workbook(tmp_path / "export.xlsx", {"Sheet1": simple_rows()})
    with pytest.raises(XlsxDataError) as caught:
        await fetch_all(adapter, query_for((RETIREE,)))
    assert caught.value.reason == "EXPORT_SHEET_MISSING"
    assert "明细" in str(caught.value)


async def test_file_replaced_by_non_workbook(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    adapter = load(tmp_path)
    (tmp_path / "export.xlsx").write_text("sfzhm\r\n", encoding="utf-8")
    with pytest.raises(XlsxDataError) as caught:
        await fetch_all(adapter, query_for((RETIREE,)))
    assert caught.value.reason == "EXPORT_FILE_INVALID"


@pytest.mark.parametrize("column", ["sfzhm", "yljje", "gxsj", "xzlx"])
async def test_missing_header_column(tmp_path: pathlib.Path, column: str) -> None:
    rows = simple_rows()
    rows[0] = [name if name != column else f"{name}_old" for name in rows[0]]
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert error.reason == "EXPORT_COLUMN_MISSING"
    assert error.field == column
    assert f"工作表 明细 第 1 行的表头缺少列 {column}" in str(error)
    assert f"lacks the columns {column}." in error.message("en")


async def test_missing_optional_column_is_allowed(tmp_path: pathlib.Path) -> None:
    rows = [[name for name in row if name != "ffzt"] if index == 0 else row[:3] + row[4:]
            for index, row in enumerate(simple_rows())]
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    found = await fetch_all(load(tmp_path), query_for((RETIREE,)))
    assert [record.pension.status for record in found] == [""]


async def test_header_row_past_end(tmp_path: pathlib.Path) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": simple_rows()})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"\nheader_row = 10', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert error.reason == "EXPORT_COLUMN_MISSING"
    assert "第 10 行" in str(error)


async def test_duplicate_header_column(tmp_path: pathlib.Path) -> None:
    rows = simple_rows()
    rows[0] = [*rows[0], "yljje"]
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert error.reason == "EXPORT_COLUMN_DUPLICATE"
    assert "yljje" in str(error)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (3250.505, "不能精确换算为整数分"),
        ("三千", "不是有效的非负十进制数"),
        (-5, "不是有效的非负十进制数"),
        ("#N/A", "不是有效的非负十进制数"),
    ],
)
async def test_cell_that_does_not_convert(tmp_path: pathlib.Path, amount: object, expected: str) -> None:
    write_workbook(tmp_path / "export.xlsx", {"明细": [["标题"], *simple_rows(amount)]})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"\nheader_row = 2', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert error.reason == "EXPORT_CELL_INVALID"
    assert error.field == "yljje"
    message = str(error)
    assert "工作表 明细 第 3 行 C 列（yljje）" in message
    assert expected in message
    assert "sheet 明细, row 3, column C (yljje)" in error.message("en")


async def test_code_cell_not_in_table(tmp_path: pathlib.Path) -> None:
    rows = simple_rows()
    rows[2][1] = 999
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert error.reason == "EXPORT_CELL_INVALID"
    assert "第 3 行 B 列（xzlx）" in str(error)
    assert "'999'" in str(error)


async def test_empty_required_cell(tmp_path: pathlib.Path) -> None:
    rows = simple_rows()
    rows[1][2] = None
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert "第 2 行 C 列（yljje）" in str(error)
    assert "单元格为空" in str(error)
    assert "the cell is empty" in error.message("en")


async def test_text_date_that_does_not_exist(tmp_path: pathlib.Path) -> None:
    rows = simple_rows()
    rows[2][4] = "2025-02-30 08:00:00"
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert "第 3 行 E 列（gxsj）" in str(error)


async def test_numeric_id_cell_is_rejected_without_showing_it(tmp_path: pathlib.Path) -> None:
    numeric_id = 140105196207190000
    rows = simple_rows()
    rows[2][0] = numeric_id
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    error = await fetch_error(tmp_path)
    assert error.reason == "EXPORT_CELL_INVALID"
    assert "第 3 行 A 列（sfzhm）" in str(error)
    assert "文本格式" in str(error)
    assert str(numeric_id) not in str(error)
    assert str(numeric_id) not in error.message("en")


async def test_rows_of_other_persons_are_not_converted(tmp_path: pathlib.Path) -> None:
    rows = simple_rows()
    rows[2][2] = "不是金额"  # WORKER's row
    write_workbook(tmp_path / "export.xlsx", {"明细": rows})
    write_department(tmp_path, 'kind = "xlsx"\nfile = "export.xlsx"', SIMPLE_CATEGORIES)
    found = await fetch_all(load(tmp_path), query_for((RETIREE,)))
    assert [record.id_number for record in found] == [RETIREE]

"""Adapter for department exports delivered as Excel (.xlsx) workbooks.

Each cell is turned into the text a CSV export of it holds, so the
converters and code tables of a mapping work on both. Numbers become decimal
text without float noise (``3250.5`` becomes ``"3250.5"``). Date cells become
``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS``, read as Beijing time like any
timestamp without a zone. TRUE and FALSE become ``"1"`` and ``"0"``, and an
empty cell is a missing value.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import pathlib
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from hedui.adapters import convert
from hedui.adapters._declarative_fields import FETCH_TIME_FIELD
from hedui.adapters._xlsx_errors import Text, XlsxDataError, data_error, unavailable
from hedui.adapters.base import Adapter, AdapterDataError, AdapterQuery, mask_id_number
from hedui.adapters.mapping import RecordMapping
from hedui.v1 import records_pb2

logger = logging.getLogger(__name__)

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
MAX_ROW = 1_048_576  # the last row of an Excel worksheet

# Exceptions openpyxl raises for a file that is not a readable workbook: a
# file that is no zip archive, a zip without the workbook parts, broken XML.
_BROKEN_WORKBOOK = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError)

Cell = Any  # a cell value as openpyxl returns it
NumberedRow = tuple[int, dict[str, str]]  # Excel row number, column name -> cell text


@dataclass(frozen=True)
class XlsxTable:
    """One worksheet, the rows of it that hold one category, and their mapping."""

    path: pathlib.Path
    mapping: RecordMapping
    sheet: str | None = None  # None: the first worksheet
    header_row: int = 1  # 1-based; rows above it are ignored
    where: Mapping[str, str] = field(default_factory=dict)  # column -> value a row must hold


class XlsxAdapter(Adapter):
    """Fetch records from Excel exports, reading the workbook again on every query.

    The workbook is opened in openpyxl's read-only mode, which streams a
    sheet row by row, in a worker thread. Only rows about the requested
    persons are kept, so an export may be replaced while the node runs.

    NOTE: parsing is slow next to CSV. One fetch from a 20,000-row sheet of
    five columns took 0.8 to 1.1 s on a 2-core machine (openpyxl 3.1.5
    without lxml), against 0.04 s for the same rows as CSV, so a sheet of
    well over 100,000 rows may not finish within a request's deadline.
    """

    def __init__(self, tables: tuple[XlsxTable, ...], *, name: str, label: str) -> None:
        self.name = name
        self.categories = frozenset(table.mapping.category for table in tables)
        self._tables = {table.mapping.category: table for table in tables}
        self._label = label
        self._closed = False

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        """Scan the sheet of each requested category this adapter serves."""
        if self._closed:
            raise RuntimeError("fetch() called after close()")
        categories = sorted(query.categories & self.categories)
        if not categories or not query.id_numbers:
            return []
        requested_ids = frozenset(query.id_numbers)
        records: list[records_pb2.Record] = []
        for category in categories:
            table = self._tables[category]
            sheet_title, columns, rows = await asyncio.to_thread(read_matching_rows, table, requested_ids)
            for row_number, row in rows:
                records.append(_to_record(table, sheet_title, columns, row_number, row))
        logger.debug(
            "fetched records: adapter=%s request_id=%s categories=%s records=%s",
            self.name,
            query.request_id,
            categories,
            len(records),
        )
        return records

    async def close(self) -> None:
        """Mark the adapter closed; no workbook stays open between queries."""
        self._closed = True


def worksheet_titles(path: pathlib.Path) -> list[str]:
    """Return the names of the workbook's worksheets, in workbook order."""
    with _open_workbook(path) as workbook:
        return [sheet.title for sheet in workbook.worksheets]


def read_matching_rows(
    table: XlsxTable, requested_ids: frozenset[str]
) -> tuple[str, dict[str, int], list[NumberedRow]]:
    """Return the sheet's title, its column indexes and the rows about the requested persons.

    Steps:
      1. open the workbook and find the sheet;
      2. read the header row and check that every column the mapping
         needs is there exactly once;
      3. keep the rows whose ID cell is requested and that match ``where``.
    """
    # 1. Open the workbook and find the sheet.
    with _open_workbook(table.path) as workbook:
        sheet = _find_sheet(workbook, table)
        title = str(sheet.title)
        # Some writers store a wrong used range, which would cut rows off in read-only mode.
        sheet.reset_dimensions()
        rows = _numbered_rows(sheet.iter_rows(min_row=table.header_row, values_only=True), table)

        # 2. Read the header row; a sheet that ends above it has no columns.
        header: Sequence[Cell] = ()
        for _, cells in rows:
            header = cells
            break
        columns = _columns(header, table, title)

        # 3. Keep the rows about the requested persons. An empty row has no ID
        # number, so it is dropped with the rows about other persons.
        id_index = columns[table.mapping.id_field]
        matching: list[NumberedRow] = []
        for row_number, cells in rows:
            if not all(cell_text(_cell(cells, columns[name])) == value for name, value in table.where.items()):
                continue
            id_cell = _cell(cells, id_index)
            _check_id_cell(id_cell, table, title, row_number, id_index)
            if cell_text(id_cell).strip().upper() not in requested_ids:
                continue
            matching.append((row_number, {name: cell_text(_cell(cells, index)) for name, index in columns.items()}))
        return title, columns, matching


def cell_text(value: Cell) -> str:
    """Return a cell value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # repr returns the shortest text that reads back as the same float. For a
        # number of up to 15 significant digits, as Excel keeps them, that is the
        # number itself ("168.05", not 168.0499999...).
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.microsecond == 0 else "microseconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


@contextmanager
def _open_workbook(path: pathlib.Path) -> Iterator[Any]:
    """Open a workbook read-only with the values Excel last computed, and close it afterwards."""
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise unavailable("EXPORT_FILE_MISSING", file=str(path)) from None
    except OSError as exc:
        raise unavailable("EXPORT_FILE_UNREADABLE", file=str(path), problem=type(exc).__name__) from exc
    with stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
        except _BROKEN_WORKBOOK as exc:
            raise _invalid_workbook(path, exc) from exc
        try:
            yield workbook
        finally:
            workbook.close()


def _invalid_workbook(path: pathlib.Path, exc: Exception) -> XlsxDataError:
    problem: Text = type(exc).__name__
    if isinstance(exc, zipfile.BadZipFile):
        problem = ("不是 .xlsx 格式，可能是 .xls 或 CSV 文件改了扩展名", "not in .xlsx format; it may be an .xls or CSV file renamed")
    return data_error("EXPORT_FILE_INVALID", file=str(path), problem=problem)


def _find_sheet(workbook: Any, table: XlsxTable) -> Any:
    sheets = workbook.worksheets
    if table.sheet is None and sheets:
        return sheets[0]
    for sheet in sheets:
        if sheet.title == table.sheet:
            return sheet
    raise sheet_missing(table.path, table.sheet, [sheet.title for sheet in sheets])


def sheet_missing(path: pathlib.Path, sheet: str | None, titles: Sequence[str]) -> XlsxDataError:
    """Return the error for a workbook without the named sheet (or without any worksheet)."""
    requested: Text = sheet if sheet is not None else ("（第一个工作表）", "(the first worksheet)")
    existing: Text = "、".join(titles) if titles else ("无", "none")
    return data_error("EXPORT_SHEET_MISSING", file=str(path), sheet=requested, sheets=existing)


def _numbered_rows(cells: Iterator[Sequence[Cell]], table: XlsxTable) -> Iterator[tuple[int, Sequence[Cell]]]:
    """Yield each row with its Excel row number, turning a broken sheet into XlsxDataError."""
    row_number = table.header_row
    while True:
        try:
            row = next(cells)
        except StopIteration:
            return
        except _BROKEN_WORKBOOK as exc:
            raise _invalid_workbook(table.path, exc) from exc
        yield row_number, row
        row_number += 1


def _columns(header: Sequence[Cell], table: XlsxTable, sheet_title: str) -> dict[str, int]:
    """Return column name -> index, checking the columns the mapping needs."""
    indexes: dict[str, int] = {}
    repeated: set[str] = set()
    for index, cell in enumerate(header):
        name = cell_text(cell).strip()
        if not name:
            continue
        if name in indexes:
            repeated.add(name)
        else:
            indexes[name] = index
    mapping = table.mapping
    needed = [mapping.id_field, *table.where]
    if mapping.as_of_field != FETCH_TIME_FIELD:
        needed.append(mapping.as_of_field)
    needed.extend(field_map.source for field_map in mapping.fields if field_map.required)
    used = {*needed, *(field_map.source for field_map in mapping.fields)}

    missing = [name for name in dict.fromkeys(needed) if name not in indexes]
    location = {"file": str(table.path), "sheet": sheet_title, "row": str(table.header_row)}
    if missing:
        # Without this check a renamed ID or filter column would silently match no row.
        raise data_error("EXPORT_COLUMN_MISSING", field=missing[0], columns=_names(missing), **location)
    ambiguous = sorted(repeated & used)
    if ambiguous:
        raise data_error("EXPORT_COLUMN_DUPLICATE", field=ambiguous[0], columns=_names(ambiguous), **location)
    return indexes


def _names(columns: list[str]) -> Text:
    return "、".join(columns), ", ".join(columns)


def _cell(cells: Sequence[Cell], index: int) -> Cell:
    # Read-only rows end at their last filled cell, so a short row has empty cells after it.
    return cells[index] if index < len(cells) else None


def _check_id_cell(value: Cell, table: XlsxTable, sheet_title: str, row_number: int, index: int) -> None:
    """Reject an ID number stored as a number: Excel keeps only 15 significant digits of it."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return
    masked = mask_id_number(cell_text(value))
    problem = (
        f"身份证号码单元格是数字 {masked}，Excel 数字只保留 15 位有效数字，号码已无法核对；"
        "请该部门把这一列设为文本格式后重新导出。",
        f"the ID number cell holds the number {masked}, and Excel keeps only 15 significant digits of a number,"
        " so it cannot be matched. Ask the department to format the column as text and export again.",
    )
    raise _cell_error(table, sheet_title, row_number, index, table.mapping.id_field, problem)


def _to_record(
    table: XlsxTable, sheet_title: str, columns: dict[str, int], row_number: int, row: dict[str, str]
) -> records_pb2.Record:
    """Map one row, naming the sheet, row and column of a cell that does not convert."""
    try:
        return table.mapping.to_record(row)
    except AdapterDataError as exc:
        name = exc.field or ""
        value = row.get(name, "")
        if name == table.mapping.id_field:
            value = mask_id_number(value)
        problem: Text = (
            str(exc),
            f"the value {convert.shown(value)} does not convert to the record field."
            " Ask the department to correct the cell, or update the field mapping.",
        )
        if not value.strip():
            problem = (
                "单元格为空，但该字段是必填字段；请该部门补全后重新导出，或在字段映射中设 required = false。",
                "the cell is empty, but the field is required. Ask the department to fill it and export again,"
                " or set required = false in the field mapping.",
            )
        raise _cell_error(table, sheet_title, row_number, columns.get(name), name, problem) from exc


def _cell_error(
    table: XlsxTable, sheet_title: str, row_number: int, index: int | None, name: str, problem: Text
) -> XlsxDataError:
    column: Text = get_column_letter(index + 1) if index is not None else ("？", "?")
    return data_error(
        "EXPORT_CELL_INVALID",
        field=name,
        file=str(table.path),
        sheet=sheet_title,
        row=str(row_number),
        column=column,
        column_name=name,
        problem=problem,
    )

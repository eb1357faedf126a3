"""The Excel source of a department file: the workbook, sheet and header row of each category."""

from __future__ import annotations

import pathlib

from hedui.adapters._config_table import ConfigTable
from hedui.adapters._declarative_fields import build_mappings
from hedui.adapters._xlsx_errors import XlsxConfigError, XlsxDataError, XlsxUnavailable, render
from hedui.adapters.base import Adapter
from hedui.adapters.xlsx_file import MAX_ROW, XLSX_SUFFIXES, XlsxAdapter, XlsxTable, sheet_missing, worksheet_titles


def build_xlsx(source: ConfigTable, tables: list[ConfigTable], label: str, name: str) -> Adapter:
    """Build an XlsxAdapter, checking that each workbook and sheet named can be opened.

    ``file``, ``sheet`` and ``header_row`` may be given in ``[source]`` and
    in each category, where the category's own value wins.
    """
    default_file = source.string("file", "")
    default_sheet = source.string("sheet", "") or None
    default_header_row = _header_row(source, 1)
    source.reject_unknown()

    titles: dict[pathlib.Path, list[str]] = {}
    xlsx_tables = []
    for table, mapping in zip(tables, build_mappings(tables, label), strict=True):
        file_table = table if table.has("file") else source
        if table.has("file"):
            path = source.file.parent / table.string("file")
        elif default_file:
            path = pathlib.Path(default_file)
        else:
            raise table.error("file", "缺少必填键；请在此处或 [source] 中给出 Excel 文件。")
        _check_suffix(file_table, path)
        sheet_table = table if table.has("sheet") else source
        sheet = table.string("sheet", "") or default_sheet
        header_row = _header_row(table, default_header_row)
        where = table.string_table("where")
        table.reject_unknown()

        # Open each workbook once at start, so a wrong path or sheet name stops the
        # node instead of failing every query. Queries read the file again.
        if path not in titles:
            titles[path] = _worksheet_titles(file_table, path)
        available = titles[path]
        sheet_found = sheet in available if sheet is not None else bool(available)
        if not sheet_found:
            raise _config_error(sheet_table, "sheet", sheet_missing(path, sheet, available))
        xlsx_tables.append(XlsxTable(path, mapping, sheet, header_row, where))
    return XlsxAdapter(tuple(xlsx_tables), name=name, label=label)


def _header_row(table: ConfigTable, default: int) -> int:
    header_row = table.integer("header_row", minimum=1, maximum=MAX_ROW)
    return default if header_row is None else header_row


def _check_suffix(table: ConfigTable, path: pathlib.Path) -> None:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return
    if suffix == ".csv":
        raise table.error("file", f"{path.name} 是 CSV 文件；请在 [source] 中使用 kind = \"csv\"。")
    if suffix == ".xls":
        problem = (
            "旧版 .xls 格式无法读取，只支持 .xlsx 和 .xlsm",
            "the old .xls format cannot be read, only .xlsx and .xlsm",
        )
        zh, en = render("EXPORT_FILE_INVALID", {"file": str(path), "problem": problem})
        raise XlsxConfigError(
            "EXPORT_FILE_INVALID", f"{table.location('file')}：{zh}", f"{table.location('file', 'en')}: {en}"
        )
    raise table.error("file", f"文件 {path.name} 的扩展名应为 .xlsx 或 .xlsm。")


def _worksheet_titles(table: ConfigTable, path: pathlib.Path) -> list[str]:
    try:
        return worksheet_titles(path)
    except (XlsxDataError, XlsxUnavailable) as exc:
        raise _config_error(table, "file", exc) from exc


def _config_error(table: ConfigTable, key: str, error: XlsxDataError | XlsxUnavailable) -> XlsxConfigError:
    """Return ``error`` as a configuration error that also names the department file, table and key."""
    return XlsxConfigError(
        error.reason,
        f"{table.location(key)}：{error}",
        f"{table.location(key, 'en')}: {error.message_en}",
    )

"""Reason codes and Chinese and English messages for errors about Excel exports.

Each error is also one of the adapter exceptions in ``hedui.adapters.base``,
so callers that handle those need no change. ``str(error)`` is the Chinese
message, as for every adapter error; ``error.message("en")`` is the English
one and ``error.reason`` the stable reason code.
"""

from __future__ import annotations

from hedui.adapters.base import AdapterConfigError, AdapterDataError, AdapterUnavailable

# A value for a template: one text for both languages, or a (Chinese, English) pair.
Text = str | tuple[str, str]

# Reason code -> (Chinese template, English template). Each message ends with
# what the reader should do next.
CATALOG: dict[str, tuple[str, str]] = {
    "EXPORT_FILE_MISSING": (
        "Excel 文件不存在：{file}；请检查路径，或请该部门重新导出。",
        "Excel file not found: {file}. Check the path or ask the department to export it again.",
    ),
    "EXPORT_FILE_UNREADABLE": (
        "无法读取 Excel 文件 {file}：{problem}；请检查文件是否存在且节点有权读取。",
        "Cannot read Excel file {file}: {problem}. Check that the file exists and the node may read it.",
    ),
    "EXPORT_FILE_INVALID": (
        "{file} 不是有效的 Excel 工作簿（{problem}）；请用 Excel 或 WPS 打开后另存为 .xlsx，或请该部门重新导出。",
        "{file} is not a valid Excel workbook ({problem}). Save it again as .xlsx in Excel or WPS,"
        " or ask the department to export it again.",
    ),
    "EXPORT_SHEET_MISSING": (
        "Excel 文件 {file} 中没有工作表 {sheet}（现有：{sheets}）；请更正部门配置文件中的 sheet，或请该部门重新导出。",
        "Excel file {file} has no sheet {sheet} (it has: {sheets}). Correct `sheet` in the department file,"
        " or ask the department to export it again.",
    ),
    "EXPORT_COLUMN_MISSING": (
        "Excel 文件 {file} 工作表 {sheet} 第 {row} 行的表头缺少列 {columns}；"
        "请核对部门配置文件中的 header_row、id_field、as_of_field、where 与字段映射。",
        "The header in row {row} of sheet {sheet} in Excel file {file} lacks the columns {columns}."
        " Check header_row, id_field, as_of_field, where and the field mapping in the department file.",
    ),
    "EXPORT_COLUMN_DUPLICATE": (
        "Excel 文件 {file} 工作表 {sheet} 第 {row} 行的表头中列 {columns} 出现不止一次，无法确定用哪一列；"
        "请该部门改正表头后重新导出。",
        "The header in row {row} of sheet {sheet} in Excel file {file} has the columns {columns} more than once,"
        " so the column to use is unknown. Ask the department to correct the header and export again.",
    ),
    "EXPORT_CELL_INVALID": (
        "Excel 文件 {file} 工作表 {sheet} 第 {row} 行 {column} 列（{column_name}）：{problem}",
        "Excel file {file}, sheet {sheet}, row {row}, column {column} ({column_name}): {problem}",
    ),
}


def render(reason: str, values: dict[str, Text]) -> tuple[str, str]:
    """Return the (Chinese, English) message of ``reason`` filled with ``values``."""
    zh, en = CATALOG[reason]
    chinese = {key: value[0] if isinstance(value, tuple) else value for key, value in values.items()}
    english = {key: value[1] if isinstance(value, tuple) else value for key, value in values.items()}
    return zh.format(**chinese), en.format(**english)


class _Reasoned:
    """A stable reason code and the message in both languages."""

    reason: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang`` ("zh" or "en")."""
        return self.message_en if lang == "en" else str(self)


class XlsxConfigError(_Reasoned, AdapterConfigError):
    """A department file names an Excel file or sheet that cannot be used."""

    def __init__(self, reason: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.reason = reason
        self.message_en = message_en


class XlsxDataError(_Reasoned, AdapterDataError):
    """An Excel export whose sheet, header or cells do not map to standard records."""

    def __init__(self, reason: str, message_zh: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_zh, field=field)
        self.reason = reason
        self.message_en = message_en


class XlsxUnavailable(_Reasoned, AdapterUnavailable):
    """An Excel export that is missing or cannot be read when a query runs."""

    def __init__(self, reason: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.reason = reason
        self.message_en = message_en


def data_error(reason: str, *, field: str | None = None, **values: Text) -> XlsxDataError:
    return XlsxDataError(reason, *render(reason, values), field=field)


def unavailable(reason: str, **values: Text) -> XlsxUnavailable:
    return XlsxUnavailable(reason, *render(reason, values))

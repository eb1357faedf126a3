"""Department adapters described by a TOML file instead of Python code.

A node selects one with ``[adapter] kind = "declarative"`` and ``file =
"rs.toml"``; the path is relative to the node configuration's folder. An
optional ``source`` table in ``[adapter]`` overrides keys of the department
file's ``[source]``, so one department file serves a test node and a
production node (``source = { base_url = "http://127.0.0.1:8080" }``).

The department file has three parts::

    [department]
    name = "人社系统"                 # the system named in error messages

    [source]
    kind = "http"                     # "http", "sql", "csv" or "xlsx"
    ...                               # keys of that kind, below

    [[categories]]                    # one table per category served
    category = "PENSION"              # hedui.v1.DataCategory without DATA_CATEGORY_
    record = "pension"                # the Record body (oneof) field it fills
    id_field = "sfzhm"                # department field holding the ID number
    as_of_field = "gxsj"              # optional; else the fetch time
    [categories.fields]               # record field = how to fill it
    monthly_amount_fen = { from = "yljje", convert = "yuan_to_fen" }
    scheme = { from = "xzlx", codes = { "110" = "EMPLOYEE_PENSION" } }
    start_date = { from = "kslqrq", convert = "iso_date", required = false }

A field takes ``from`` and exactly one of ``convert`` (yuan_to_fen,
wan_yuan_to_fen, area_m2_to_cm2, percent_to_bp, int, iso_date, year_month,
text, relation_code, bool, division_code) or ``codes`` (department code ->
value; for an enum field the value is the enum value's name without its
prefix). ``required = false`` lets the department leave the field out, empty
or null; the record then contains ``default`` or the field's zero value.

A repeated scalar or enum field also takes ``separator``, the text between
its items in the department value (``programmes = { from = "zxjzxm",
separator = ",", codes = { "11" = "MEDICAL" } }``). Each item goes through
the converter or code table on its own, and empty items are dropped. An
``http`` source may send a JSON array instead, and there ``separator`` is
optional. A required repeated field needs at least one item. An optional
one may be empty, and takes no ``default``.

Source kinds and their keys:

``http``
    ``base_url``, and optionally ``timeout_seconds``, ``retries``,
    ``backoff_seconds``, ``breaker_failures``, ``breaker_reset_seconds`` and
    ``max_batch``. Each category has a ``path``. The adapter POSTs a JSON
    object per batch and reads rows from the JSON object in the response. By default
    the request body is ``{"ids": [...]}`` and the response ``{"rows": [...]}``;
    ``[source.request]`` renames the keys (``ids``, ``request_id`` to also send
    the request id, ``extra`` for constant keys) and ``[source.response]``
    names ``rows``, and optionally a business ``status`` key, its ``ok``
    value and a ``message`` key. Any other status raises AdapterRejected.
``sql``
    ``database`` (a SQLite file, opened read-only) and optionally
    ``timeout_seconds``. Each category has a ``query`` that holds
    ``{id_numbers}`` once, inside ``IN (...)``.
``csv``
    Optionally ``file`` and ``encoding`` ("utf-8" or "gb18030"; a byte order
    mark is skipped). Each category may name its own ``file`` and a ``where``
    table of column values its rows must hold, so one export with a category
    column serves several categories.
``xlsx``
    Optionally ``file``, ``sheet`` (default: the first worksheet) and
    ``header_row`` (default 1); each category may name its own, and a
    ``where`` table as for ``csv``. Cells are read as the text a CSV export
    would hold (see ``hedui.adapters.xlsx_file``).

Every mistake in either file raises AdapterConfigError naming the file, the
table and the key.
"""

from __future__ import annotations

import pathlib
import tomllib
from collections.abc import Callable, Mapping
from typing import Any

from hedui.adapters._config_table import ConfigTable
from hedui.adapters._declarative_fields import build_mappings
from hedui.adapters._declarative_http import build_http
from hedui.adapters._declarative_xlsx import build_xlsx
from hedui.adapters.base import Adapter, AdapterConfigError
from hedui.adapters.csv_file import ENCODINGS, CsvAdapter, CsvTable
from hedui.adapters.sql import ID_LIST_MARKER, SqliteAdapter, SqlQuery

SOURCE_KINDS = frozenset({"http", "sql", "csv", "xlsx"})

# Keys of [source] that a node's [adapter.source] table may not override.
_FIXED_SOURCE_KEYS = frozenset({"kind"})


def load_department(
    path: pathlib.Path, source_overrides: Mapping[str, Any] | None = None, *, overrides_dir: pathlib.Path
) -> Adapter:
    """Build the adapter a department file describes.

    Relative paths in the department file resolve against its folder; those
    in ``source_overrides`` resolve against ``overrides_dir``.
    """
    document = ConfigTable(_read_toml(path), path, "")
    department = document.table_of("department", required=True)
    label = department.string("name")
    department.reject_unknown()

    source = document.table_of("source", required=True)
    source = _with_overrides(source, source_overrides or {}, path.parent, overrides_dir)
    kind = source.choice("kind", SOURCE_KINDS)

    categories = _category_tables(document)
    document.reject_unknown()
    builder = _SOURCE_BUILDERS[kind]
    return builder(source, categories, label, path.stem)


def _read_toml(path: pathlib.Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError as exc:
        raise AdapterConfigError(f"部门配置文件不存在：{path}；请检查节点配置 [adapter] 中的 file。") from exc
    except OSError as exc:
        raise AdapterConfigError(f"无法读取部门配置文件 {path}：{type(exc).__name__}。") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AdapterConfigError(f"部门配置文件 {path} 不是有效的 TOML：{exc}。") from exc


def _with_overrides(
    source: ConfigTable, overrides: Mapping[str, Any], base_dir: pathlib.Path, overrides_dir: pathlib.Path
) -> ConfigTable:
    """Merge node overrides into [source], making every file path absolute."""
    values = dict(source.values)
    for key in ("database", "file"):
        if isinstance(values.get(key), str):
            values[key] = str(base_dir / values[key])
    for key, value in overrides.items():
        if key in _FIXED_SOURCE_KEYS or isinstance(value, Mapping):
            raise AdapterConfigError(
                f"节点配置 [adapter.source] 中的键 {key} 不能覆盖；只能覆盖部门配置 [source] 中的单个值。"
            )
        values[key] = str(overrides_dir / value) if key in ("database", "file") and isinstance(value, str) else value
    return ConfigTable(values, source.file, "source", overridden=frozenset(overrides), fixed=_FIXED_SOURCE_KEYS)


_ADD_CATEGORIES = (
    "请为每个数据类别添加一个 [[categories]] 表（两层方括号），"
    "写明 category、record、id_field 和 [categories.fields]。"
)


def _category_tables(document: ConfigTable) -> list[ConfigTable]:
    if not document.has("categories"):
        raise AdapterConfigError(f"{document.file} 缺少 [[categories]] 表数组；{_ADD_CATEGORIES}")
    entries = document.values["categories"]
    if isinstance(entries, Mapping):
        raise AdapterConfigError(f"{document.file} 中 [categories] 写成了单个表，应为 [[categories]] 表数组；{_ADD_CATEGORIES}")
    if not isinstance(entries, list) or not entries or not all(isinstance(entry, Mapping) for entry in entries):
        raise AdapterConfigError(f"{document.file} 中 categories 应为 [[categories]] 表数组；{_ADD_CATEGORIES}")
    return [ConfigTable(entry, document.file, f"categories #{index}") for index, entry in enumerate(entries, 1)]


def _build_sql(source: ConfigTable, tables: list[ConfigTable], label: str, name: str) -> Adapter:
    database = pathlib.Path(source.string("database"))
    if not database.is_file():
        raise source.error("database", f"数据库文件不存在：{database}；请检查路径。")
    timeout = source.number("timeout_seconds")
    source.reject_unknown()
    queries = []
    for table, mapping in zip(tables, build_mappings(tables, label), strict=True):
        sql = table.string("query")
        if sql.count(ID_LIST_MARKER) != 1:
            raise table.error("query", f"查询语句必须恰好包含一次 {ID_LIST_MARKER}（写在 IN (...) 中）。")
        table.reject_unknown()
        queries.append(SqlQuery(sql, mapping))
    options = {"timeout_seconds": timeout} if timeout is not None else {}
    return SqliteAdapter(database, tuple(queries), name=name, label=label, **options)


def _build_csv(source: ConfigTable, tables: list[ConfigTable], label: str, name: str) -> Adapter:
    default_file = source.string("file", "")
    encoding = source.choice("encoding", ENCODINGS, "utf-8")
    source.reject_unknown()
    csv_tables = []
    for table, mapping in zip(tables, build_mappings(tables, label), strict=True):
        file_table = table if table.has("file") else source
        if table.has("file"):
            file = source.file.parent / table.string("file")
        elif default_file:
            file = pathlib.Path(default_file)
        else:
            raise table.error("file", "缺少必填键；请在此处或 [source] 中给出 CSV 文件。")
        if file.suffix.lower() in (".xlsx", ".xlsm"):
            raise file_table.error("file", f"{file.name} 是 Excel 文件；请在 [source] 中使用 kind = \"xlsx\"。")
        if file.suffix.lower() == ".xls":
            raise file_table.error("file", f"旧版 Excel 文件 {file.name} 无法读取；请另存为 .xlsx 后使用 kind = \"xlsx\"，或另存为 CSV。")
        if not file.is_file():
            raise file_table.error("file", f"CSV 文件不存在：{file}；请检查路径。")
        where = table.string_table("where")
        table.reject_unknown()
        csv_tables.append(CsvTable(file, mapping, encoding, where))
    return CsvAdapter(tuple(csv_tables), name=name, label=label)


_SOURCE_BUILDERS: dict[str, Callable[[ConfigTable, list[ConfigTable], str, str], Adapter]] = {
    "http": build_http,
    "sql": _build_sql,
    "csv": _build_csv,
    "xlsx": build_xlsx,
}

"""Adapter for department exports delivered as CSV files."""

from __future__ import annotations

import asyncio
import csv
import logging
import pathlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from hedui.adapters.base import Adapter, AdapterDataError, AdapterQuery, AdapterUnavailable
from hedui.adapters.mapping import RecordMapping, map_rows
from hedui.v1 import records_pb2

logger = logging.getLogger(__name__)

# Encodings department exports arrive in. GB18030 also reads GBK and GB2312
# files. A byte order mark is skipped in either encoding.
ENCODINGS = frozenset({"utf-8", "gb18030"})
_BOM = "\ufeff"


@dataclass(frozen=True)
class CsvTable:
    """One CSV file, the rows of it that hold one category, and their mapping."""

    path: pathlib.Path
    mapping: RecordMapping
    encoding: str = "utf-8"
    where: Mapping[str, str] = field(default_factory=dict)  # column -> value a row must hold


class CsvAdapter(Adapter):
    """Fetch records from CSV exports, reading the file again on every query.

    The file is streamed row by row in a worker thread, and only rows about the
    requested persons are kept, so an export may be replaced while the node runs.
    """

    def __init__(self, tables: tuple[CsvTable, ...], *, name: str, label: str) -> None:
        self.name = name
        self.categories = frozenset(table.mapping.category for table in tables)
        self._tables = {table.mapping.category: table for table in tables}
        self._label = label
        self._closed = False

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        """Scan the file of each requested category this adapter serves."""
        if self._closed:
            raise RuntimeError("fetch() called after close()")
        categories = sorted(query.categories & self.categories)
        if not categories or not query.id_numbers:
            return []
        requested_ids = frozenset(query.id_numbers)
        records: list[records_pb2.Record] = []
        for category in categories:
            table = self._tables[category]
            rows = await asyncio.to_thread(self._matching_rows, table, requested_ids)
            records.extend(map_rows(table.mapping, rows, requested_ids))
        logger.debug(
            "fetched records: adapter=%s request_id=%s categories=%s records=%s",
            self.name,
            query.request_id,
            categories,
            len(records),
        )
        return records

    async def close(self) -> None:
        """Mark the adapter closed; no file stays open between queries."""
        self._closed = True

    def _matching_rows(self, table: CsvTable, requested_ids: frozenset[str]) -> list[dict[str, str]]:
        """Return the rows of ``table`` about the requested persons."""
        id_field = table.mapping.id_field
        try:
            with table.path.open(encoding=table.encoding, newline="") as stream:
                required_columns = (id_field, *table.where)
                return [
                    row
                    for row in _rows(stream, table.path, required_columns)
                    if row.get(id_field, "").strip().upper() in requested_ids
                    and all(row.get(column) == value for column, value in table.where.items())
                ]
        except OSError as exc:
            raise AdapterUnavailable(
                f"无法读取{self._label}（{self.name}）的导出文件 {table.path}：{type(exc).__name__}；"
                "请检查文件是否存在且可读。"
            ) from exc
        except UnicodeDecodeError as exc:
            raise AdapterDataError(
                f"{self._label}（{self.name}）的导出文件 {table.path} 不是 {table.encoding} 编码；"
                "请在部门配置文件中更正 encoding，或请该部门重新导出。"
            ) from exc


def _rows(stream: Iterator[str], path: pathlib.Path, required_columns: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Yield each data row as a dict keyed by the header, with any byte order mark removed."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        return
    header[0] = header[0].removeprefix(_BOM)
    missing = [column for column in required_columns if column not in header]
    if missing:
        # Without this check a renamed ID or filter column would silently match no row.
        raise AdapterDataError(
            f"导出文件 {path} 的表头缺少列 {'、'.join(missing)}；请核对部门配置文件中的 id_field 与 where。",
            field=missing[0],
        )
    for row in reader:
        if not row:
            continue
        if len(row) != len(header):
            raise AdapterDataError(
                f"导出文件 {path} 第 {reader.line_num} 行有 {len(row)} 列，表头有 {len(header)} 列；"
                "请联系该部门重新导出。"
            )
        yield dict(zip(header, row, strict=True))

"""Generic adapter for department systems read through SQL (SQLite via aiosqlite)."""

from __future__ import annotations

import asyncio
import logging
import pathlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

import aiosqlite

from hedui.adapters.base import (
    Adapter,
    AdapterDataError,
    AdapterQuery,
    AdapterTimeout,
    AdapterUnavailable,
)
from hedui.adapters.mapping import RecordMapping, map_rows
from hedui.v1 import records_pb2

logger = logging.getLogger(__name__)

# Placeholder in a declared query's text that is replaced by one "?" per ID
# number. Only placeholders are inserted; the ID numbers travel as parameters.
ID_LIST_MARKER = "{id_numbers}"
# SQLite allows 32766 host parameters in one statement; batches stay far below.
MAX_BATCH = 500


@dataclass(frozen=True)
class SqlQuery:
    """A declared query for one category and the mapping of its result columns."""

    sql: str  # must contain ID_LIST_MARKER inside an IN (...) clause
    mapping: RecordMapping

    def __post_init__(self) -> None:
        if self.sql.count(ID_LIST_MARKER) != 1:
            raise ValueError(f"query for category {self.mapping.category} must contain {ID_LIST_MARKER} once")

    def statement(self, count: int) -> str:
        """Return the SQL text with ``count`` parameter placeholders in the ID list."""
        return self.sql.replace(ID_LIST_MARKER, ", ".join("?" * count))


# NOTE: only SQLite is implemented. A PostgreSQL (or KingbaseES) variant
# would open an asyncpg pool in place of _connect and map asyncpg's errors in
# _run. Its declared queries would take the ID list as "= ANY($1)", while
# RecordMapping and fetch() stay as they are.
class SqliteAdapter(Adapter):
    """Fetch records from a department's SQLite database with one declared query per category.

    The database is opened read-only, so a wrong path fails rather than
    creating an empty database, and the adapter can never write to it.
    """

    def __init__(
        self,
        database: pathlib.Path,
        queries: tuple[SqlQuery, ...],
        *,
        name: str,
        label: str,
        timeout_seconds: float = 5.0,
    ) -> None:
        self.name = name
        self.categories = frozenset(query.mapping.category for query in queries)
        self._database = database
        self._queries = {query.mapping.category: query for query in queries}
        self._label = label
        self._timeout_seconds = timeout_seconds
        self._connection: aiosqlite.Connection | None = None
        self._connect_lock = asyncio.Lock()
        self._closed = False

    @property
    def database(self) -> pathlib.Path:
        """Path of the SQLite database file."""
        return self._database

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        """Run the declared query of each requested category this adapter serves."""
        if self._closed:
            raise RuntimeError("fetch() called after close()")
        categories = sorted(query.categories & self.categories)
        if not categories or not query.id_numbers:
            return []
        requested_ids = frozenset(query.id_numbers)
        records: list[records_pb2.Record] = []
        for category in categories:
            declared = self._queries[category]
            for start in range(0, len(query.id_numbers), MAX_BATCH):
                batch = query.id_numbers[start : start + MAX_BATCH]
                rows = await self._run(declared, batch)
                records.extend(map_rows(declared.mapping, rows, requested_ids))
        logger.debug(
            "fetched records: adapter=%s request_id=%s categories=%s records=%s",
            self.name,
            query.request_id,
            categories,
            len(records),
        )
        return records

    async def close(self) -> None:
        """Close the database connection."""
        self._closed = True
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def _run(self, declared: SqlQuery, batch: tuple[str, ...]) -> list[Mapping[str, object]]:
        """Execute one declared query under the timeout and return its rows as dicts."""
        try:
            async with asyncio.timeout(self._timeout_seconds):
                connection = await self._connect()
                async with connection.execute(declared.statement(len(batch)), batch) as cursor:
                    return [dict(row) for row in await cursor.fetchall()]
        except TimeoutError as exc:
            raise AdapterTimeout(
                f"{self._label}（{self.name}）的数据库查询超过 {self._timeout_seconds} 秒未完成；"
                "请检查数据库负载，或在节点配置中调大 timeout_seconds。"
            ) from exc
        except sqlite3.OperationalError as exc:
            if str(exc).startswith("no such"):
                # A missing table or column means the schema no longer matches the mapping.
                raise AdapterDataError(
                    f"{self._label}（{self.name}）的数据库结构与字段映射不符：{exc}；请更新字段映射。"
                ) from exc
            raise AdapterUnavailable(
                f"无法查询{self._label}（{self.name}）的数据库：{exc}；请检查数据库文件 {self._database} 是否可读。"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise AdapterUnavailable(
                f"{self._label}（{self.name}）的数据库出错：{exc}；请检查数据库文件 {self._database}。"
            ) from exc

    async def _connect(self) -> aiosqlite.Connection:
        async with self._connect_lock:
            if self._connection is None:
                # Checked up front because aiosqlite 0.22 does not wait for its worker
                # thread to stop after a failed connect, and that thread then calls
                # into the event loop, which may be closed by then.
                if not self._database.is_file():
                    raise sqlite3.OperationalError(f"database file not found: {self._database}")
                uri = self._database.resolve().as_uri() + "?mode=ro"
                connection = await aiosqlite.connect(uri, uri=True)
                connection.row_factory = aiosqlite.Row
                self._connection = connection
        return self._connection

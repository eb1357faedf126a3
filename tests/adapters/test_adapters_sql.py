"""SQL adapter behaviour over real SQLite files."""

from __future__ import annotations

import pathlib
import sqlite3

import pytest
from adapters_known_dataset import RETIREE, WORKER, known_dataset

from hedui.adapters import dept_bdc
from hedui.adapters.base import AdapterDataError, AdapterQuery, AdapterUnavailable
from hedui.adapters.sql import SqliteAdapter, SqlQuery
from hedui.adapters.standin.bdc_database import write_bdc_database
from hedui.v1 import common_pb2 as common

REAL_ESTATE_QUERY = AdapterQuery(
    request_id="req-sql",
    id_numbers=(RETIREE, WORKER),
    categories=frozenset({common.DATA_CATEGORY_REAL_ESTATE}),
    purpose=common.PURPOSE_INITIAL_ELIGIBILITY,
)


def bdc_adapter(database: pathlib.Path) -> SqliteAdapter:
    return SqliteAdapter(database, dept_bdc.QUERIES, name="bdc_sql", label=dept_bdc.LABEL, timeout_seconds=2.0)


async def test_lower_case_x_in_registry_matches(tmp_path: pathlib.Path) -> None:
    database = tmp_path / "bdc.sqlite"
    write_bdc_database(known_dataset(), database)
    async with bdc_adapter(database) as adapter:
        found = await adapter.fetch(REAL_ESTATE_QUERY)
    assert RETIREE.endswith("X")
    assert [record.id_number for record in found] == [RETIREE, WORKER]


async def test_missing_database_is_unavailable(tmp_path: pathlib.Path) -> None:
    async with bdc_adapter(tmp_path / "absent.sqlite") as adapter:
        with pytest.raises(AdapterUnavailable):
            await adapter.fetch(REAL_ESTATE_QUERY)
    assert not (tmp_path / "absent.sqlite").exists()  # opened read-only, so never created


async def test_schema_mismatch_is_data_error(tmp_path: pathlib.Path) -> None:
    database = tmp_path / "bdc.sqlite"
    write_bdc_database(known_dataset(), database)
    with sqlite3.connect(database) as connection:
        connection.execute("ALTER TABLE fdcq RENAME COLUMN jzmj TO mj")
    async with bdc_adapter(database) as adapter:
        with pytest.raises(AdapterDataError, match="jzmj"):
            await adapter.fetch(REAL_ESTATE_QUERY)


async def test_bad_area_names_column(tmp_path: pathlib.Path) -> None:
    dataset = known_dataset()
    dataset.rows("bdc", "fdcq")[0]["jzmj"] = "89.5x"
    database = tmp_path / "bdc.sqlite"
    write_bdc_database(dataset, database)
    async with bdc_adapter(database) as adapter:
        with pytest.raises(AdapterDataError) as caught:
            await adapter.fetch(REAL_ESTATE_QUERY)
    assert caught.value.field == "jzmj"


async def test_joint_ownership_without_share_is_data_error(tmp_path: pathlib.Path) -> None:
    dataset = known_dataset()
    for holder in dataset.rows("bdc", "qlr")[:2]:
        holder["gyfs"], holder["qlbl"] = "1", None
    database = tmp_path / "bdc.sqlite"
    write_bdc_database(dataset, database)
    async with bdc_adapter(database) as adapter:
        with pytest.raises(AdapterDataError, match="qlbl"):
            await adapter.fetch(REAL_ESTATE_QUERY)


async def test_large_batch_is_split(tmp_path: pathlib.Path) -> None:
    database = tmp_path / "bdc.sqlite"
    write_bdc_database(known_dataset(), database)
    filler = tuple(f"140105200001{index:05d}" for index in range(1200))
    query = AdapterQuery("req-big", filler + (WORKER,), REAL_ESTATE_QUERY.categories, REAL_ESTATE_QUERY.purpose)
    async with bdc_adapter(database) as adapter:
        found = await adapter.fetch(query)
    assert [record.id_number for record in found] == [WORKER]


def test_query_must_declare_id_list() -> None:
    with pytest.raises(ValueError, match="id_numbers"):
        SqlQuery("SELECT * FROM qlr WHERE zjh = ?", dept_bdc.REAL_ESTATE)

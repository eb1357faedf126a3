"""One verification across all 19 data categories, with every department of the stand-in systems running.

The city sends the request to the province, which fans out to thirteen
department nodes: RS, BDC and GA with their built-in adapters, and ten more
with the declarative files of examples/departments reading an HTTP stand-in,
SQLite databases and CSV exports.
"""

from __future__ import annotations

import pathlib
from collections.abc import AsyncIterator

import pytest

from federation_harness import BDC, GA, PROVINCE, RS, RunningFederation, standard_specs, start_federation
from hedui.adapters.standin import Dataset, copy_department_files, make_dataset, write_department_systems
from hedui.adapters.standin.http_service import serve
from hedui.gateway.federation import ALL_DEPARTMENTS, more_department_specs
from hedui.gateway.messages import check_rules
from hedui.v1 import common_pb2 as C

EVERY_CATEGORY = tuple(value.number for value in C.DataCategory.DESCRIPTOR.values if value.number)
# For a few categories: the table behind it and the columns holding ID numbers.
SOURCE_TABLES = {
    C.DATA_CATEGORY_MARRIAGE: ("mz_hybz", "hy_djxx", ("nf_sfzh", "vf_sfzh")),
    C.DATA_CATEGORY_LOW_INCOME_REGISTRY: ("mz_db", "jzcy", ("sfzh",)),
    C.DATA_CATEGORY_MEDICAL_INSURANCE: ("yb", "cbfy", ("certno",)),
    C.DATA_CATEGORY_BANK_DEPOSIT: ("jr", "ck", ("证件号码",)),
    C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION: ("ga", "hjxx", ("gmsfhm",)),
}


def richest_taiyuan_household(dataset: Dataset):
    """Return the Taiyuan household whose members appear in the most department tables."""
    def tables_mentioning(household) -> int:
        ids = {member.id_number for member in household.members}
        return sum(
            any(value in ids for row in rows for value in row.values() if isinstance(value, str))
            for tables in dataset.tables.values() for rows in tables.values()
        )

    taiyuan = [h for h in dataset.households if h.division_code.startswith("1401")]
    assert taiyuan, "the synthetic dataset has no Taiyuan household"
    return max(taiyuan, key=tables_mentioning)


@pytest.fixture
async def federation(tmp_path: pathlib.Path) -> AsyncIterator[RunningFederation]:
    """Every department of the stand-in systems behind the province, each as its own node."""
    dataset = make_dataset(seed=2026, households=24)
    folder = tmp_path / "standin"
    write_department_systems(dataset, folder)
    assert copy_department_files(folder)
    async with serve(dataset) as standin:
        adapters = {
            RS: {"kind": "rs_http", "base_url": standin.url, "timeout_seconds": 3.0, "retries": 1},
            GA: {"kind": "ga_http", "base_url": standin.url, "timeout_seconds": 3.0, "retries": 1},
            BDC: {"kind": "bdc_sql", "database": str(folder / "bdc.sqlite")},
        }
        for spec in more_department_specs(PROVINCE, "山西省", standin.url, folder):
            adapters[spec.node_id] = spec.adapter
        running = await start_federation(tmp_path / "fed", adapters,
                                         specs=standard_specs(adapters, departments=ALL_DEPARTMENTS))
        running.dataset = dataset  # type: ignore[attr-defined]
        try:
            yield running
        finally:
            await running.close()


@pytest.mark.slow
async def test_household_across_every_category(federation: RunningFederation) -> None:
    dataset: Dataset = federation.dataset  # type: ignore[attr-defined]
    household = richest_taiyuan_household(dataset)
    members = [(m.id_number, m.name, m.relation_code) for m in household.members]
    signed = federation.authorization(members, categories=EVERY_CATEGORY)
    async with federation.client() as client:
        report = await client.verify(signed, [m.id_number for m in household.members], EVERY_CATEGORY,
                                     C.PURPOSE_INITIAL_ELIGIBILITY)

    # Every department node answered, and its signature verified.
    departments = {entry.node_id for entry in federation.directory.departments_under(PROVINCE, set(EVERY_CATEGORY))}
    assert len(departments) == 13
    assert {source.node for source in report.sources} == departments
    for source in report.sources:
        assert source.status in ("ANSWERED", "NO_RECORD"), (source.node, source.status, source.reason)
        assert source.signature_verified, source.node

    # Every category has a source, and each record is valid against the schema rules.
    served = set().union(*(set(federation.directory.node(node).categories) for node in departments))
    assert served == set(EVERY_CATEGORY)
    records = [record for source in report.sources for record in source.records]
    for record in records:
        check_rules(record, "Record")
    found = {record.category for record in records}
    assert len(found) >= 10

    # Records arrive for exactly the members the department tables name.
    ids = {m.id_number for m in household.members}
    for category, (system, table, fields) in SOURCE_TABLES.items():
        expected = {row[field].upper() for row in dataset.rows(system, table) for field in fields} & ids
        got = {record.id_number for record in records if record.category == category}
        assert got == expected, C.DataCategory.Name(category)

"""Stand-in department systems: synthetic people, the database and the service process."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import pathlib
import sys

import aiohttp
import pytest
from stdnum.cn import ric

from hedui.adapters.base import AdapterQuery
from hedui.adapters.factory import build_adapter
from hedui.adapters.standin import Dataset, make_dataset, write_bdc_database
from hedui.adapters.standin.divisions import BY_CODE
from hedui.adapters.standin.http_service import main as service_main
from hedui.adapters.standin.http_service import serve
from hedui.adapters.standin.people import make_id_number
from hedui.v1 import common_pb2 as common

SEED = 20250630
RELATION_CODES = {"02", "10", "20", "30", "51", "52"}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return make_dataset(SEED, 60)


def mod_11_2_check_character(body: str) -> str:
    """Compute the GB 11643 check character (ISO 7064 MOD 11-2) of 17 digits."""
    total = sum(int(digit) * (2 ** (17 - position) % 11) for position, digit in enumerate(body))
    return "10X98765432"[total % 11]


def test_check_character_known_answer() -> None:
    # The worked example printed in GB 11643-1999.
    assert make_id_number("110105", dt.date(1949, 12, 31), 2) == "11010519491231002X"


def test_id_numbers_valid_and_shanxi(dataset: Dataset) -> None:
    # ric.is_valid is not used: it also demands that the county code existed in
    # the birth year, and ID numbers stay valid whatever became of their code.
    people = list(dataset.people())
    assert len(people) > 100
    assert len({person.id_number for person in people}) == len(people)
    for person in people:
        assert mod_11_2_check_character(person.id_number[:17]) == person.id_number[17], person.id_number
        assert ric.calc_check_digit(person.id_number) == person.id_number[17], person.id_number
        assert person.id_number[:6] in BY_CODE
        assert person.id_number[:2] == "14"
        assert person.id_number[6:14] == person.birth_date.replace("-", "")
        assert (int(person.id_number[16]) % 2 == 1) == (person.sex == "男")
        assert person.relation_code in RELATION_CODES


def test_households_have_one_head(dataset: Dataset) -> None:
    for household in dataset.households:
        relations = [member.relation_code for member in household.members]
        assert relations.count("02") == 1
        assert household.division_code in BY_CODE
        assert household.address.startswith("山西省")


def test_same_seed_same_dataset(tmp_path: pathlib.Path) -> None:
    make_dataset(7, 15).save(tmp_path / "first")
    make_dataset(7, 15).save(tmp_path / "second")
    make_dataset(8, 15).save(tmp_path / "other")
    for name in ("households.json", "rs.json", "ga.json", "bdc.json"):
        first = (tmp_path / "first" / name).read_bytes()
        assert first == (tmp_path / "second" / name).read_bytes(), name
        assert first != (tmp_path / "other" / name).read_bytes(), name


def test_save_load_round_trip(dataset: Dataset, tmp_path: pathlib.Path) -> None:
    dataset.save(tmp_path)
    loaded = Dataset.load(tmp_path)
    assert loaded == dataset


def test_amounts_in_realistic_ranges(dataset: Dataset) -> None:
    pensions = [float(row["yljje"]) for row in dataset.rows("rs", "ylj") if row["xzlx"] != "170"]
    bases = [float(row["jfjs"]) for row in dataset.rows("rs", "cbxx")]
    benefits = [float(row["syjje"]) for row in dataset.rows("rs", "sy") if row["syjje"] is not None]
    areas = [float(row["jzmj"]) for row in dataset.rows("bdc", "fdcq") if row["ghyt"] != "车位"]
    cars = [row["gmjg"] for row in dataset.rows("ga", "jdc")]
    assert pensions and all(1500 <= amount <= 4500 for amount in pensions)
    assert bases and all(3000 <= amount <= 8000 for amount in bases)
    assert benefits and all(1500 <= amount <= 1900 for amount in benefits)
    assert areas and all(50 <= area <= 140 for area in areas)
    assert cars and all(30_000 <= price <= 200_000 for price in cars)


def test_some_people_lack_each_category(dataset: Dataset) -> None:
    everyone = {person.id_number for person in dataset.people()}
    covered = {
        "cbxx": {row["sfzhm"] for row in dataset.rows("rs", "cbxx")},
        "ylj": {row["sfzhm"] for row in dataset.rows("rs", "ylj")},
        "sy": {row["sfzhm"] for row in dataset.rows("rs", "sy")},
        "hjxx": {row["gmsfhm"] for row in dataset.rows("ga", "hjxx")},
        "jdc": {row["syrzjhm"] for row in dataset.rows("ga", "jdc")},
        "qlr": {row["zjh"].upper() for row in dataset.rows("bdc", "qlr")},
    }
    for table, ids in covered.items():
        assert ids, table
        assert everyone - ids, table


async def test_generated_data_maps_cleanly(dataset: Dataset, tmp_path: pathlib.Path) -> None:
    write_bdc_database(dataset, tmp_path / "bdc.sqlite")
    everyone = tuple(person.id_number for person in dataset.people())
    query = AdapterQuery("req-all", everyone, frozenset(range(1, 20)), common.PURPOSE_DYNAMIC_MONITORING)
    async with serve(dataset) as running:
        found = []
        for config in (
            {"kind": "rs_http", "base_url": running.url},
            {"kind": "ga_http", "base_url": running.url},
            {"kind": "bdc_sql", "database": "bdc.sqlite"},
        ):
            async with build_adapter(config, tmp_path) as adapter:
                found.extend(await adapter.fetch(query))
    categories = {record.category for record in found}
    assert categories == {1, 4, 5, 6, 8, 9}
    current_rights = [row for row in dataset.rows("bdc", "fdcq") if row["qszt"] == "1"]
    holders = [row for row in dataset.rows("bdc", "qlr") if row["ywh"] in {r["ywh"] for r in current_rights}]
    assert sum(record.category == common.DATA_CATEGORY_REAL_ESTATE for record in found) == len(holders)


async def test_admin_endpoint_sets_faults(dataset: Dataset) -> None:
    async with serve(dataset) as running, aiohttp.ClientSession() as session:
        async with session.put(f"{running.url}/_admin/faults", json={"fail_next": 1}) as response:
            assert response.status == 200
        async with session.post(f"{running.url}/rs/api/v1/ylj/query", json={"sfzhm": []}) as response:
            assert response.status == 503
        async with session.post(f"{running.url}/rs/api/v1/ylj/query", json={"sfzhm": []}) as response:
            assert response.status == 200
        async with session.put(f"{running.url}/_admin/faults", json={"fail_nxt": 1}) as response:
            assert response.status == 400


async def test_batch_endpoint_rejects_bad_body(dataset: Dataset) -> None:
    async with serve(dataset) as running, aiohttp.ClientSession() as session:
        async with session.post(f"{running.url}/ga/api/v1/hjxx/query", json={"sfzhm": []}) as response:
            assert response.status == 400
            assert (await response.json())["zt"] == "400"
        too_many = {"gmsfhm_list": ["140105199001010011"] * 101}
        async with session.post(f"{running.url}/ga/api/v1/hjxx/query", json=too_many) as response:
            assert response.status == 400


def test_service_rejects_non_loopback_host(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert service_main(["--host", "0.0.0.0", "--data", str(tmp_path)]) == 2
    assert "回环" in capsys.readouterr().err


async def test_service_process_prints_ready_and_serves(dataset: Dataset, tmp_path: pathlib.Path) -> None:
    dataset.save(tmp_path)
    person = dataset.rows("rs", "ylj")[0]["sfzhm"]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hedui.adapters.standin.http_service",
        "--host", "127.0.0.1", "--port", "0", "--data", str(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=15)).decode()
        assert line.startswith("READY http://127.0.0.1:")
        url = line.split()[1]
        assert not url.endswith(":0")
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{url}/rs/api/v1/ylj/query", json={"qqlsh": "r", "sfzhm": [person]}) as response:
                payload = json.loads(await response.text())
        assert payload["code"] == "0"
        assert [row["sfzhm"] for row in payload["data"]] == [person]
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), timeout=10) == 0


def test_reference_date_is_fixed(dataset: Dataset) -> None:
    assert dataset.reference_date == "2025-06-30"
    oldest = min(dt.date.fromisoformat(person.birth_date) for person in dataset.people())
    assert oldest.year >= 1900

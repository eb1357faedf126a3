"""Every department category mapped to standard records with exact values."""

from __future__ import annotations

import datetime as dt
import pathlib

import protovalidate
from adapters_known_dataset import JOBLESS, NOBODY, RETIREE, WORKER, known_dataset

from hedui.adapters.base import AdapterQuery
from hedui.adapters.factory import build_adapter
from hedui.adapters.standin.bdc_database import write_bdc_database
from hedui.adapters.standin.http_service import RunningStandin
from hedui.v1 import common_pb2 as common
from hedui.v1 import records_pb2 as records

EVERYONE = (RETIREE, WORKER, JOBLESS, NOBODY)
AS_OF = dt.datetime(2025, 6, 28, 18, 0, tzinfo=dt.timezone.utc)  # 2025-06-29 02:00 Beijing time


def query(*categories: int, ids: tuple[str, ...] = EVERYONE) -> AdapterQuery:
    return AdapterQuery(
        request_id="req-1",
        id_numbers=ids,
        categories=frozenset(categories),
        purpose=common.PURPOSE_INITIAL_ELIGIBILITY,
    )


def by_person(found: list[records.Record]) -> dict[str, list[records.Record]]:
    grouped: dict[str, list[records.Record]] = {}
    for record in found:
        grouped.setdefault(record.id_number, []).append(record)
    return grouped


async def fetch_http(kind: str, standin: RunningStandin, adapter_query: AdapterQuery) -> list[records.Record]:
    config = {"kind": kind, "base_url": standin.url, "timeout_seconds": 2.0, "retries": 0}
    async with build_adapter(config, pathlib.Path(".")) as adapter:
        return await adapter.fetch(adapter_query)


async def test_social_insurance_maps_exactly(standin: RunningStandin) -> None:
    found = await fetch_http("rs_http", standin, query(common.DATA_CATEGORY_SOCIAL_INSURANCE))
    assert [record.id_number for record in found] == [WORKER, WORKER]
    pension, unemployment = (record.social_insurance for record in found)
    assert found[0].category == common.DATA_CATEGORY_SOCIAL_INSURANCE
    assert found[0].as_of.ToDatetime(tzinfo=dt.timezone.utc) == AS_OF
    assert pension.scheme == records.INSURANCE_SCHEME_EMPLOYEE_PENSION
    assert pension.employer_name == "太原重型机械有限公司"
    assert pension.status == "参保缴费"
    assert pension.monthly_contribution_base_fen == 456789
    assert pension.last_paid_month == "2025-05"
    assert unemployment.scheme == records.INSURANCE_SCHEME_UNEMPLOYMENT
    assert unemployment.status == "暂停缴费"
    assert unemployment.monthly_contribution_base_fen == 400000
    assert unemployment.last_paid_month == "2024-12"


async def test_pension_maps_exactly(standin: RunningStandin) -> None:
    found = await fetch_http("rs_http", standin, query(common.DATA_CATEGORY_PENSION))
    assert len(found) == 1
    record = found[0]
    assert record.id_number == RETIREE
    assert record.category == common.DATA_CATEGORY_PENSION
    assert record.WhichOneof("body") == "pension"
    assert record.pension.scheme == records.INSURANCE_SCHEME_EMPLOYEE_PENSION
    assert record.pension.monthly_amount_fen == 325050
    assert record.pension.start_date == "2018-04-01"
    assert record.pension.status == "正常发放"
    assert record.as_of.ToDatetime(tzinfo=dt.timezone.utc) == AS_OF


async def test_unemployment_maps_exactly(standin: RunningStandin) -> None:
    found = await fetch_http("rs_http", standin, query(common.DATA_CATEGORY_UNEMPLOYMENT))
    assert len(found) == 1
    benefit = found[0].unemployment
    assert found[0].id_number == JOBLESS
    assert benefit.registered_unemployed is True
    assert benefit.registration_date == "2025-01-15"
    assert benefit.monthly_benefit_fen == 171000
    assert benefit.benefit_end_date == "2026-01-14"
    assert found[0].as_of.ToDatetime(tzinfo=dt.timezone.utc) == AS_OF


async def test_household_registration_maps_exactly(standin: RunningStandin) -> None:
    found = await fetch_http("ga_http", standin, query(common.DATA_CATEGORY_HOUSEHOLD_REGISTRATION))
    grouped = by_person(found)
    assert sorted(grouped) == sorted((RETIREE, WORKER, JOBLESS))
    head = grouped[RETIREE][0].household_registration
    assert head.name == "王建国"
    assert head.household_number == "140105001"
    assert head.division.code == "140105"
    assert head.address == "山西省太原市小店区长风街8号1栋2单元301室"
    assert head.relation_code == "02"
    assert head.status == "正常"
    assert grouped[JOBLESS][0].household_registration.relation_code == "20"


async def test_vehicle_maps_exactly(standin: RunningStandin) -> None:
    found = await fetch_http("ga_http", standin, query(common.DATA_CATEGORY_VEHICLE))
    assert len(found) == 1
    vehicle = found[0].vehicle
    assert found[0].id_number == RETIREE
    assert vehicle.plate_number == "晋A3K8M2"
    assert vehicle.vehicle_type_code == "K33"
    assert vehicle.model == "大众朗逸"
    assert vehicle.first_registration_date == "2019-07-12"
    assert vehicle.value_fen == 12580000
    assert vehicle.status == "正常"


async def test_real_estate_maps_exactly(tmp_path: pathlib.Path) -> None:
    write_bdc_database(known_dataset(), tmp_path / "bdc.sqlite")
    config = {"kind": "bdc_sql", "database": "bdc.sqlite"}
    async with build_adapter(config, tmp_path) as adapter:
        found = await adapter.fetch(query(common.DATA_CATEGORY_REAL_ESTATE))
    grouped = by_person(found)
    # The retiree's older home is a historical right and must not be returned.
    assert sorted(grouped) == sorted((RETIREE, WORKER))
    assert len(grouped[RETIREE]) == 1
    home = grouped[RETIREE][0].real_estate
    assert home.certificate_number == "晋(2018)太原市不动产权第0012345号"
    assert home.location_division.code == "140105"
    assert home.address == "山西省太原市小店区长风街8号1栋2单元301室"
    assert home.use == records.PROPERTY_USE_RESIDENTIAL
    assert home.floor_area_cm2 == 895600
    assert home.share_basis_points == 5000
    assert home.registration_date == "2018-05-20"
    assert home.encumbered is True
    assert grouped[RETIREE][0].as_of.ToDatetime(tzinfo=dt.timezone.utc) == AS_OF


async def test_person_without_records_gets_empty_list(standin: RunningStandin, tmp_path: pathlib.Path) -> None:
    rs_categories = (
        common.DATA_CATEGORY_SOCIAL_INSURANCE,
        common.DATA_CATEGORY_PENSION,
        common.DATA_CATEGORY_UNEMPLOYMENT,
    )
    ga_categories = (common.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, common.DATA_CATEGORY_VEHICLE)
    assert await fetch_http("rs_http", standin, query(*rs_categories, ids=(NOBODY,))) == []
    assert await fetch_http("ga_http", standin, query(*ga_categories, ids=(NOBODY,))) == []
    write_bdc_database(known_dataset(), tmp_path / "bdc.sqlite")
    async with build_adapter({"kind": "bdc_sql", "database": "bdc.sqlite"}, tmp_path) as adapter:
        assert await adapter.fetch(query(common.DATA_CATEGORY_REAL_ESTATE, ids=(NOBODY,))) == []


async def test_only_requested_categories_and_persons(standin: RunningStandin) -> None:
    found = await fetch_http("rs_http", standin, query(common.DATA_CATEGORY_PENSION, ids=(WORKER, JOBLESS)))
    assert found == []
    served_elsewhere = query(common.DATA_CATEGORY_REAL_ESTATE, common.DATA_CATEGORY_TAX)
    assert await fetch_http("rs_http", standin, served_elsewhere) == []
    mixed = await fetch_http(
        "rs_http", standin, query(common.DATA_CATEGORY_PENSION, common.DATA_CATEGORY_UNEMPLOYMENT)
    )
    assert sorted(record.category for record in mixed) == [
        common.DATA_CATEGORY_PENSION,
        common.DATA_CATEGORY_UNEMPLOYMENT,
    ]


async def test_records_pass_protovalidate(standin: RunningStandin) -> None:
    everything = query(*range(1, 20))
    found = await fetch_http("rs_http", standin, everything)
    found += await fetch_http("ga_http", standin, everything)
    assert len(found) == 8  # 2 enrolments, 1 pension, 1 unemployment, 3 registrations, 1 vehicle
    for record in found:
        protovalidate.validate(record)

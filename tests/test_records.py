"""Record types for every data category: body kinds, validation rules and summaries."""

from __future__ import annotations

import pathlib

import grpc
import pytest

from exchange_helpers import (HOUSEHOLD, RS_CATEGORIES, FixedAdapter, assert_status, call_verify, fixed_departments,
                              forwarded, query_body, raw_request)
from federation_harness import CASE_SYSTEM, CITY, PROVINCE, RS, start_federation
from hedui.adapters.base import AdapterQuery
from hedui.gateway.errors import HeduiError
from hedui.gateway.messages import check_rules
from hedui.gateway.records import BODY_BY_CATEGORY, check_record_kind
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.sdk.render import summarize
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2 as R

PERSON = HOUSEHOLD[0][0]


def test_every_category_has_one_body() -> None:
    categories = {value for _, value in C.DataCategory.items() if value}
    bodies = {field.name for field in R.Record.DESCRIPTOR.oneofs_by_name["body"].fields}

    assert set(BODY_BY_CATEGORY) == categories
    assert set(BODY_BY_CATEGORY.values()) == bodies


SAMPLES = [
    (C.DATA_CATEGORY_MARRIAGE, R.Record(marriage=R.MarriageRecord(marital_status_code="20", spouse_name="李秀兰"))),
    (C.DATA_CATEGORY_CREMATION, R.Record(cremation=R.CremationRecord(date_of_death="2026-01-02"))),
    (C.DATA_CATEGORY_MEDICAL_INSURANCE, R.Record(medical_insurance=R.MedicalInsuranceRecord(
        scheme=R.MEDICAL_SCHEME_RESIDENT, cost_year=2026, out_of_pocket_fen=4_523_100, total_cost_fen=9_800_000))),
    (C.DATA_CATEGORY_HOUSING_PROVIDENT_FUND, R.Record(housing_provident_fund=R.HousingProvidentFundRecord(
        monthly_deposit_fen=96_000, balance_fen=3_456_789))),
    (C.DATA_CATEGORY_TAX, R.Record(tax=R.TaxRecord(tax_year=2025, income_kind=R.INCOME_KIND_WAGES,
                                                   income_fen=7_200_000, tax_paid_fen=12_000))),
    (C.DATA_CATEGORY_BUSINESS_REGISTRATION, R.Record(business_registration=R.BusinessRegistrationRecord(
        business_name="太原市小店区某商店", role=R.BUSINESS_ROLE_INDIVIDUAL_OPERATOR, registered_capital_fen=5_000_000))),
    (C.DATA_CATEGORY_DISABILITY, R.Record(disability=R.DisabilityRecord(
        category=R.DISABILITY_CATEGORY_PHYSICAL, grade=2, certificate_number="14010519800101001142"))),
    (C.DATA_CATEGORY_HEALTH, R.Record(health=R.HealthRecord(kind=R.CONDITION_KIND_SERIOUS, condition_name="尿毒症"))),
    (C.DATA_CATEGORY_BANK_DEPOSIT, R.Record(bank_deposit=R.BankDepositRecord(institution="某银行", balance_fen=1_234_567))),
    (C.DATA_CATEGORY_SECURITIES, R.Record(securities=R.SecuritiesRecord(institution="某证券", market_value_fen=880_000))),
    (C.DATA_CATEGORY_COMMERCIAL_INSURANCE, R.Record(commercial_insurance=R.CommercialInsuranceRecord(
        insurer="某保险", cash_value_fen=2_000_000))),
    (C.DATA_CATEGORY_LOW_INCOME_REGISTRY, R.Record(low_income_registry=R.LowIncomeRegistryRecord(
        assistance_category=C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE, status="在保", monthly_benefit_fen=72_000))),
    (C.DATA_CATEGORY_RURAL_MONITORING, R.Record(rural_monitoring=R.RuralMonitoringRecord(
        category=R.MONITORING_CATEGORY_MARGINAL, risk="因病"))),
]


@pytest.mark.parametrize("category,record", SAMPLES, ids=[C.DataCategory.Name(c) for c, _ in SAMPLES])
def test_sample_record_is_valid(category: int, record: R.Record) -> None:
    record.id_number = PERSON
    record.category = category
    record.as_of.CopyFrom(to_timestamp(utcnow()))

    check_rules(record, "Record")
    check_record_kind(record, "test")
    assert summarize(record, "zh")
    assert summarize(record, "en")


def test_summary_shows_exact_yuan() -> None:
    record = dict(SAMPLES)[C.DATA_CATEGORY_MEDICAL_INSURANCE]

    assert "45,231.00" in summarize(record, "zh")
    assert "98,000.00" in summarize(record, "en")


@pytest.mark.parametrize("record", [
    R.Record(disability=R.DisabilityRecord(grade=5)),
    R.Record(disability=R.DisabilityRecord(grade=0)),
    R.Record(tax=R.TaxRecord(tax_year=2025, income_fen=-1)),
    R.Record(business_registration=R.BusinessRegistrationRecord(share_basis_points=10001)),
    R.Record(marriage=R.MarriageRecord(marital_status_code="2")),
], ids=["grade 5", "grade 0", "negative income", "share over 100%", "one-digit status"])
def test_out_of_range_value_rejected(record: R.Record) -> None:
    record.id_number = PERSON
    record.category = C.DATA_CATEGORY_DISABILITY

    with pytest.raises(HeduiError) as caught:
        check_rules(record, "Record")
    assert caught.value.reason == "MALFORMED_MESSAGE"


def test_wrong_body_for_category_rejected() -> None:
    record = R.Record(id_number=PERSON, category=C.DATA_CATEGORY_TAX, pension=R.PensionRecord())

    with pytest.raises(HeduiError) as caught:
        check_record_kind(record, "140000/RS")
    assert caught.value.reason == "DEPARTMENT_UNAVAILABLE"


class MislabelledAdapter(FixedAdapter):
    """A department whose mapping puts a pension body under the unemployment category."""

    async def fetch(self, query: AdapterQuery) -> list[R.Record]:
        return [R.Record(id_number=number, category=C.DATA_CATEGORY_UNEMPLOYMENT, as_of=to_timestamp(utcnow()),
                         pension=R.PensionRecord(monthly_amount_fen=1))
                for number in query.id_numbers]


async def test_department_refuses_mislabelled_records(tmp_path: pathlib.Path) -> None:
    adapters = fixed_departments()
    adapters[RS] = MislabelledAdapter(RS_CATEGORIES)
    fed = await start_federation(tmp_path, adapters={}, overrides=adapters)
    try:
        authorization = fed.authorization(HOUSEHOLD, categories=RS_CATEGORIES)
        body = query_body(authorization, [PERSON], (C.DATA_CATEGORY_UNEMPLOYMENT,))
        request = forwarded(fed, raw_request(fed.fed.load_key(CASE_SYSTEM), body), [(CITY, PROVINCE), (PROVINCE, RS)])
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call_verify(fed.fed.addresses[RS], request)
    finally:
        await fed.close()

    assert_status(caught.value, grpc.StatusCode.UNAVAILABLE, "DEPARTMENT_UNAVAILABLE")


def test_category_reference_page_current() -> None:
    import subprocess
    import sys

    pytest.importorskip("grpc_tools", reason="grpcio-tools builds the schema with its comments")
    root = pathlib.Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "proto/reference.py", "--check"], cwd=root, capture_output=True, text=True,
                          timeout=60)

    assert done.returncode == 0, done.stderr

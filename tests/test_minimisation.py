"""Data minimisation over real gRPC: threshold questions, answers-only mode and purpose-limited fields."""

from __future__ import annotations

import asyncio
import dataclasses
import pathlib

import grpc
import pytest

from exchange_helpers import (CHILD, EPOCH, HEAD, HOUSEHOLD, SPOUSE, assert_audited_once, assert_status, call_verify,
                              rejection_of)
from federation_harness import BDC, CITY, GA, PROVINCE, RS, standard_specs, start_federation
from hedui.adapters.base import Adapter, AdapterQuery
from hedui.gateway.errors import HeduiError
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.sdk import questions as Q
from hedui.sdk.render import render_report
from hedui.v1 import common_pb2 as C
from hedui.v1 import exchange_pb2, records_pb2

INCOME = (C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT, C.DATA_CATEGORY_TAX)
CATEGORIES = (C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT, C.DATA_CATEGORY_TAX,
              C.DATA_CATEGORY_REAL_ESTATE, C.DATA_CATEGORY_VEHICLE)


def _record(number: str, category: int, **body) -> records_pb2.Record:
    record = records_pb2.Record(id_number=number, category=category, as_of=to_timestamp(utcnow()))
    for name, fields in body.items():
        getattr(record, name).CopyFrom(type(getattr(record, name))(**fields))
    return record


# A household with two cars worth 30 000 and 55 000 yuan, a home owned
# jointly by the spouses plus a shop owned by the head, a pension of
# 1 500 yuan a month and 12 000 yuan of yearly taxable income.
KNOWN = [
    _record(HEAD, C.DATA_CATEGORY_VEHICLE, vehicle={"plate_number": "晋A12345", "value_fen": 3_000_000}),
    _record(SPOUSE, C.DATA_CATEGORY_VEHICLE, vehicle={"plate_number": "晋A54321", "value_fen": 5_500_000}),
    _record(HEAD, C.DATA_CATEGORY_REAL_ESTATE,
            real_estate={"certificate_number": "晋(2020)太原市不动产权第0001号", "floor_area_cm2": 900_000,
                         "share_basis_points": 5000, "address": "小店区坞城路1号"}),
    _record(SPOUSE, C.DATA_CATEGORY_REAL_ESTATE,
            real_estate={"certificate_number": "晋(2020)太原市不动产权第0001号", "floor_area_cm2": 900_000,
                         "share_basis_points": 5000, "address": "小店区坞城路1号"}),
    _record(HEAD, C.DATA_CATEGORY_REAL_ESTATE,
            real_estate={"certificate_number": "晋(2021)太原市不动产权第0002号", "floor_area_cm2": 400_000,
                         "share_basis_points": 10000, "address": "小店区亲贤街2号"}),
    _record(SPOUSE, C.DATA_CATEGORY_PENSION, pension={"monthly_amount_fen": 150_000}),
    # An older tax year does not count next to the latest one.
    _record(HEAD, C.DATA_CATEGORY_TAX, tax={"tax_year": 2024, "income_fen": 9_000_000}),
    _record(HEAD, C.DATA_CATEGORY_TAX, tax={"tax_year": 2025, "income_fen": 1_200_000}),
]


class KnownAdapter(Adapter):
    """An in-memory department that returns the known records of its categories, after an optional delay."""

    def __init__(self, categories: tuple[int, ...], delay: float = 0.0) -> None:
        self.categories = frozenset(categories)
        self.delay = delay

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        if self.delay:
            await asyncio.sleep(self.delay)
        return [r for r in KNOWN if r.category in query.categories and r.id_number in query.id_numbers]

    async def close(self) -> None:
        return None


def _departments(ga_delay: float = 0.0) -> dict[str, Adapter]:
    return {
        RS: KnownAdapter((C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT,
                          C.DATA_CATEGORY_TAX)),
        BDC: KnownAdapter((C.DATA_CATEGORY_REAL_ESTATE,)),
        GA: KnownAdapter((C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_VEHICLE), delay=ga_delay),
    }


async def _start(tmp_path: pathlib.Path, ga_delay: float = 0.0):
    # The standard layout has no tax department, so RS also serves tax here.
    specs = [dataclasses.replace(spec, categories=(*spec.categories, C.DATA_CATEGORY_TAX)) if spec.node_id == RS
             else spec for spec in standard_specs({})]
    return await start_federation(tmp_path, {}, overrides=_departments(ga_delay), specs=specs,
                                  node_options={"fanout_timeout_seconds": 1.0})


@pytest.fixture
async def federation(tmp_path: pathlib.Path):
    running = await _start(tmp_path)
    try:
        yield running
    finally:
        await running.close()


QUESTIONS = [
    Q.vehicle_value_above(8_000_000, "cars_over_80k"),
    Q.vehicle_value_above(9_000_000, "cars_over_90k"),
    Q.real_estate_beyond_one_home(),
    # Yearly income 1 800 000 + 1 200 000 = 3 000 000 fen for three members.
    Q.income_per_member_below(70_000, "below_700"),
    Q.income_per_member_below(90_000, "below_900"),
]


async def _verify(fed, purpose=C.PURPOSE_INITIAL_ELIGIBILITY, questions=QUESTIONS, threshold_only=False,
                  categories=CATEGORIES):
    authorization = fed.authorization(HOUSEHOLD, categories=categories, purpose=purpose)
    async with fed.client() as client:
        return await client.verify(authorization, [HEAD, SPOUSE, CHILD], categories, purpose,
                                   questions=questions, threshold_only=threshold_only)


async def test_questions_answered_with_records(federation):
    report = await _verify(federation)

    results = {a.question_id: a.result for a in report.answers}
    assert results == {"cars_over_80k": "YES", "cars_over_90k": "NO", "second_home": "YES",
                       "below_700": "NO", "below_900": "YES"}
    assert report.answer("cars_over_80k").sources == (GA,)
    assert len(report.records_for(HEAD)) == 5
    assert {s.disclosure for s in report.sources} == {"FULL_RECORDS"}
    assert all(s.signature_verified for s in report.sources)


async def test_threshold_only_returns_no_records(federation):
    report = await _verify(federation, threshold_only=True)

    assert report.threshold_only
    assert [r for s in report.sources for r in s.records] == []
    assert {s.disclosure for s in report.sources} == {"THRESHOLD_ONLY"}
    assert all(len(s.answer_sha256) == 32 for s in report.sources)
    assert report.answer("second_home").result == "YES"
    assert report.answer("below_700").result == "NO"
    as_dict = report.to_dict()
    assert as_dict["answers"][0] == {"question_id": "cars_over_80k", "kind": "VEHICLE_VALUE_ABOVE",
                                     "amount_fen": 8_000_000, "result": "YES", "sources": [GA], "reason": ""}
    assert "晋A12345" not in str(as_dict)
    text = render_report(report, lang="zh")
    assert "仅答是否：本报告不含任何记录。" in text
    assert "车辆总价值高于 80,000.00 元" in text
    assert "无记录" not in text


async def test_answer_digest_matches_owner_audit(federation):
    report = await _verify(federation, threshold_only=True)

    for node_id in (GA, BDC, RS):
        entries = await federation.nodes[node_id].audit.recent(EPOCH)
        assert [e.answer_sha256 for e in entries] == [report.source(node_id).answer_sha256]


async def test_threshold_only_hides_no_record_status(federation):
    # The child has no vehicle, so GA's own answer says "no record".
    authorization = federation.authorization(HOUSEHOLD, categories=(C.DATA_CATEGORY_VEHICLE,))
    async with federation.client() as client:
        report = await client.verify(authorization, [CHILD], [C.DATA_CATEGORY_VEHICLE], C.PURPOSE_INITIAL_ELIGIBILITY,
                                     questions=[Q.vehicle_value_above(1)], threshold_only=True)

    assert report.source(GA).status == "ANSWERED"
    assert report.answer("vehicle_value").result == "NO"


async def test_purpose_withholds_amounts(federation):
    report = await _verify(federation, purpose=C.PURPOSE_DYNAMIC_MONITORING)

    ga = report.source(GA)
    assert ga.disclosure == "PURPOSE_LIMITED"
    assert ga.withheld_fields == ("vehicle.value_fen",)
    assert {r.vehicle.plate_number for r in ga.records} == {"晋A12345", "晋A54321"}
    assert {r.vehicle.value_fen for r in ga.records} == {0}
    assert "pension.monthly_amount_fen" in report.source(RS).withheld_fields
    # The owner measured before withholding, so the question is still answered.
    assert report.answer("cars_over_80k").result == "YES"
    text = render_report(report, lang="zh")
    assert "晋A12345" in text
    assert "（按用途未提供：价值）" in text


async def test_slow_source_leaves_question_undetermined(tmp_path):
    fed = await _start(tmp_path, ga_delay=3.0)
    try:
        report = await _verify(fed, questions=[Q.vehicle_value_above(1_000_000), Q.real_estate_beyond_one_home()])
    finally:
        await fed.close()

    vehicle = report.answer("vehicle_value")
    assert vehicle.result == "UNDETERMINED"
    assert vehicle.reason == "DEPARTMENT_TIMEOUT"
    assert vehicle.sources == ()
    assert report.answer("second_home").result == "YES"


@pytest.mark.parametrize(("questions", "threshold_only", "categories"), [
    ([Q.vehicle_value_above(100)], False, (C.DATA_CATEGORY_PENSION,)),
    ([Q.vehicle_value_above(100), Q.vehicle_value_above(200)], False, CATEGORIES),
    ([], True, CATEGORIES),
    ([exchange_pb2.ThresholdQuestion(id="x", kind=exchange_pb2.QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME,
                                     amount_fen=5)], False, CATEGORIES),
    ([Q.income_per_member_below(0)], False, CATEGORIES),
], ids=["category-missing", "duplicate-id", "no-questions", "count-with-amount", "zero-standard"])
async def test_invalid_question_rejected(federation, questions, threshold_only, categories):
    authorization = federation.authorization(HOUSEHOLD, categories=CATEGORIES)
    client = federation.client()
    request = client.build_request(authorization, [HEAD], categories, C.PURPOSE_INITIAL_ELIGIBILITY,
                                   questions=questions, threshold_only=threshold_only)
    await client.close()

    error = await rejection_of(federation.fed.addresses[CITY], request)

    assert_status(error, grpc.StatusCode.INVALID_ARGUMENT, "QUESTION_INVALID")
    await assert_audited_once(federation.nodes[CITY], "QUESTION_INVALID")


async def test_direct_owner_call_answers_questions(federation):
    authorization = federation.authorization(HOUSEHOLD, categories=CATEGORIES)
    async with federation.client(target=BDC) as client:
        report = await client.verify(authorization, [HEAD, SPOUSE], [C.DATA_CATEGORY_REAL_ESTATE],
                                     C.PURPOSE_INITIAL_ELIGIBILITY, questions=[Q.real_estate_beyond_one_home()],
                                     threshold_only=True)

    assert report.answer("second_home").result == "YES"
    assert report.source(BDC).records == ()


async def test_sdk_rejects_altered_answer(federation):
    authorization = federation.authorization(HOUSEHOLD, categories=CATEGORIES)
    client = federation.client()
    request = client.build_request(authorization, [HEAD, SPOUSE, CHILD], CATEGORIES, C.PURPOSE_INITIAL_ELIGIBILITY,
                                   questions=[Q.vehicle_value_above(9_000_000)])
    response = await call_verify(federation.fed.addresses[CITY], request)

    # A dishonest aggregator flips NO to YES and signs the report again.
    report = exchange_pb2.Report.FromString(response.report)
    assert report.answers[0].result == exchange_pb2.QUESTION_RESULT_NO
    report.answers[0].result = exchange_pb2.QUESTION_RESULT_YES
    data = report.SerializeToString(deterministic=True)
    forged = exchange_pb2.VerifyResponse(report=data, signature=federation.fed.load_key(PROVINCE).sign(data))

    with pytest.raises(HeduiError) as caught:
        client.open_response(request, forged)
    await client.close()
    assert caught.value.reason == "ANSWER_INVALID"

"""Threshold question arithmetic and purpose-limited fields, without a network."""

from __future__ import annotations

import pytest

from hedui.gateway import disclosure, questions
from hedui.v1 import common_pb2 as C
from hedui.v1 import exchange_pb2 as X
from hedui.v1 import records_pb2

HEAD = "140105198001010011"


def _source(node, status, categories, measures):
    found = {qid: X.Measure(question_id=qid, value=value) for qid, value in measures.items()}
    return questions.SourceMeasures(node, status, "DEPARTMENT_TIMEOUT" if status == X.SOURCE_STATUS_TIMED_OUT else "",
                                    frozenset(categories), found)


ASSETS = X.ThresholdQuestion(id="assets", kind=X.QUESTION_KIND_FINANCIAL_ASSETS_ABOVE, amount_fen=100)
INCOME = X.ThresholdQuestion(id="income", kind=X.QUESTION_KIND_INCOME_PER_MEMBER_BELOW, amount_fen=100)


@pytest.mark.parametrize(("bank", "result"), [
    (101, X.QUESTION_RESULT_YES),         # already above, whatever the failed source held
    (100, X.QUESTION_RESULT_UNDETERMINED),
])
def test_above_question_with_failed_source(bank, result):
    sources = [
        _source("140000/JR", X.SOURCE_STATUS_ANSWERED, [C.DATA_CATEGORY_BANK_DEPOSIT], {"assets": bank}),
        _source("140000/ZQ", X.SOURCE_STATUS_TIMED_OUT, [C.DATA_CATEGORY_SECURITIES], {}),
    ]

    answer = questions.answer(ASSETS, 1, sources)

    assert answer.result == result
    assert list(answer.sources) == ["140000/JR"]


@pytest.mark.parametrize(("yearly", "result"), [
    (2400, X.QUESTION_RESULT_NO),          # 2 members × 100 × 12: already not below
    (2399, X.QUESTION_RESULT_UNDETERMINED),
])
def test_income_question_with_failed_source(yearly, result):
    sources = [
        _source("140000/RS", X.SOURCE_STATUS_ANSWERED, [C.DATA_CATEGORY_PENSION], {"income": yearly}),
        _source("140000/SW", X.SOURCE_STATUS_UNAVAILABLE, [C.DATA_CATEGORY_TAX], {}),
    ]

    answer = questions.answer(INCOME, 2, sources)

    assert answer.result == result


def test_answered_source_without_measure_counts_as_failed():
    sources = [_source("140000/JR", X.SOURCE_STATUS_ANSWERED, [C.DATA_CATEGORY_BANK_DEPOSIT], {})]

    answer = questions.answer(ASSETS, 1, sources)

    assert answer.result == X.QUESTION_RESULT_UNDETERMINED
    assert answer.reason == "DEPARTMENT_UNAVAILABLE"


def test_unrelated_source_is_ignored():
    sources = [
        _source("140000/JR", X.SOURCE_STATUS_ANSWERED, [C.DATA_CATEGORY_BANK_DEPOSIT], {"assets": 5}),
        _source("140000/GA", X.SOURCE_STATUS_TIMED_OUT, [C.DATA_CATEGORY_VEHICLE], {}),
    ]

    assert questions.answer(ASSETS, 1, sources).result == X.QUESTION_RESULT_NO


def test_business_measure_uses_subscribed_capital():
    record = records_pb2.Record(id_number=HEAD, category=C.DATA_CATEGORY_BUSINESS_REGISTRATION)
    record.business_registration.registered_capital_fen = 10_000_000
    record.business_registration.subscribed_capital_fen = 2_000_000
    question = X.ThresholdQuestion(id="b", kind=X.QUESTION_KIND_BUSINESS_CAPITAL_ABOVE, amount_fen=1)

    assert questions.measure(question, [record]).value == 2_000_000


def test_limit_fields_keeps_identity():
    record = records_pb2.Record(id_number=HEAD, category=C.DATA_CATEGORY_LOW_INCOME_REGISTRY)
    record.low_income_registry.assistance_category = C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE
    record.low_income_registry.monthly_benefit_fen = 60_000
    record.low_income_registry.programmes.append(records_pb2.ASSISTANCE_PROGRAMME_MEDICAL)

    mode, withheld = disclosure.limit_fields([record], C.PURPOSE_SPECIAL_ASSISTANCE)

    assert mode == X.DISCLOSURE_PURPOSE_LIMITED
    assert withheld == ["low_income_registry.monthly_benefit_fen"]
    assert record.id_number == HEAD
    assert record.low_income_registry.monthly_benefit_fen == 0
    assert list(record.low_income_registry.programmes) == [records_pb2.ASSISTANCE_PROGRAMME_MEDICAL]


def test_limit_fields_lists_only_fields_with_values():
    record = records_pb2.Record(id_number=HEAD, category=C.DATA_CATEGORY_VEHICLE)
    record.vehicle.plate_number = "晋A12345"

    mode, withheld = disclosure.limit_fields([record], C.PURPOSE_DYNAMIC_MONITORING)

    assert mode == X.DISCLOSURE_PURPOSE_LIMITED
    assert withheld == []


def test_eligibility_purpose_keeps_every_field():
    record = records_pb2.Record(id_number=HEAD, category=C.DATA_CATEGORY_VEHICLE)
    record.vehicle.value_fen = 5

    mode, withheld = disclosure.limit_fields([record], C.PURPOSE_PERIODIC_REVIEW)

    assert mode == X.DISCLOSURE_FULL_RECORDS
    assert withheld == []
    assert record.vehicle.value_fen == 5

"""Threshold questions: checked at every node, measured by owners, answered by the aggregator.

A threshold question is answered yes or no without the records behind it.
Each data owner turns its own records into one measure per question (an
amount in fen or a count), and the node that makes the report adds the
measures of every responsible source and compares the sum with the amount.

Sums only grow as sources are added, because every measure is zero or more.
So an "above" question whose partial sum already exceeds the amount is YES
even when a source failed, and an "income below" question whose partial sum
already reaches the standard is NO. Any other answer with a missing source
is UNDETERMINED.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from hedui.gateway.errors import HeduiError, Reason
from hedui.v1 import common_pb2, exchange_pb2, records_pb2

C = common_pb2
Q = exchange_pb2

# Categories whose records each question kind measures. A request must ask
# for all of them, so the authorization covers every record behind an answer.
QUESTION_CATEGORIES: dict[int, frozenset[int]] = {
    Q.QUESTION_KIND_VEHICLE_VALUE_ABOVE: frozenset({C.DATA_CATEGORY_VEHICLE}),
    Q.QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME: frozenset({C.DATA_CATEGORY_REAL_ESTATE}),
    Q.QUESTION_KIND_INCOME_PER_MEMBER_BELOW: frozenset({
        C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT, C.DATA_CATEGORY_TAX,
    }),
    Q.QUESTION_KIND_FINANCIAL_ASSETS_ABOVE: frozenset({
        C.DATA_CATEGORY_BANK_DEPOSIT, C.DATA_CATEGORY_SECURITIES, C.DATA_CATEGORY_COMMERCIAL_INSURANCE,
    }),
    Q.QUESTION_KIND_BUSINESS_CAPITAL_ABOVE: frozenset({C.DATA_CATEGORY_BUSINESS_REGISTRATION}),
}

# Kinds that compare a count, not an amount; their amount must be 0.
_COUNT_KINDS = frozenset({Q.QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME})
_GOOD = (Q.SOURCE_STATUS_ANSWERED, Q.SOURCE_STATUS_NO_RECORD)


def kind_name(kind: int) -> str:
    """Return the short name of a question kind, for example VEHICLE_VALUE_ABOVE."""
    return Q.QuestionKind.Name(kind).removeprefix("QUESTION_KIND_")


def check_questions(query: exchange_pb2.VerifyQuery) -> None:
    """Raise QUESTION_INVALID unless every question can be answered under this query.

    Steps:
    1. threshold_only needs at least one question;
    2. question ids are unique;
    3. each kind is known and its amount fits the kind;
    4. the query requests every category the kind measures.
    """
    # 1. An answers-only request without questions would return nothing.
    if query.threshold_only and not query.questions:
        raise HeduiError(Reason.QUESTION_INVALID, "threshold_only",
                         ("只答是否的请求至少要有一个阈值问题", "an answers-only request needs at least one question"))

    requested = set(query.categories)
    seen: set[str] = set()
    for question in query.questions:
        # 2. The report keys answers by id.
        if question.id in seen:
            raise HeduiError(Reason.QUESTION_INVALID, question.id, ("问题编号重复", "the question id is used twice"))
        seen.add(question.id)

        # 3.
        categories = QUESTION_CATEGORIES.get(question.kind)
        if categories is None:
            raise HeduiError(Reason.QUESTION_INVALID, question.id,
                             (f"问题类型 {question.kind} 未定义", f"question kind {question.kind} is not defined"))
        if question.kind in _COUNT_KINDS and question.amount_fen != 0:
            raise HeduiError(Reason.QUESTION_INVALID, question.id,
                             ("该类问题比较套数，金额须为 0", "this kind compares a count, so its amount must be 0"))
        if question.kind not in _COUNT_KINDS and question.amount_fen <= 0:
            raise HeduiError(Reason.QUESTION_INVALID, question.id,
                             ("比较金额须大于 0（单位：分）", "the amount must be above 0, in fen"))

        # 4.
        missing = sorted(categories - requested)
        if missing:
            names = ", ".join(C.DataCategory.Name(c).removeprefix("DATA_CATEGORY_") for c in missing)
            raise HeduiError(Reason.QUESTION_INVALID, question.id,
                             (f"问题需要的数据类别未在请求中：{names}", f"the request lacks categories the question needs: {names}"))


def measure(question: exchange_pb2.ThresholdQuestion,
            records: Iterable[records_pb2.Record]) -> exchange_pb2.Measure:
    """Return an owner's measure for one question over its own records.

    Income is measured per year so that monthly amounts and yearly taxable
    income add up in whole fen. The aggregator compares it with twelve
    times the monthly standard.
    """
    categories = QUESTION_CATEGORIES[question.kind]
    counted = [r for r in records if r.category in categories]
    if question.kind == Q.QUESTION_KIND_INCOME_PER_MEMBER_BELOW:
        counted = latest_tax_year(counted)
    if question.kind == Q.QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME:
        # Co-owners each hold a record of the same property, so count certificates.
        value = len({r.real_estate.certificate_number or r.SerializeToString(deterministic=True) for r in counted})
    else:
        value = sum(_amount(question.kind, r) for r in counted)
    return exchange_pb2.Measure(question_id=question.id, value=value, records=len(counted))


def latest_tax_year(records: list[records_pb2.Record]) -> list[records_pb2.Record]:
    """Drop each person's tax records of years before their latest one, which alone describes current income."""
    latest: dict[str, int] = {}
    for record in records:
        if record.WhichOneof("body") == "tax":
            latest[record.id_number] = max(latest.get(record.id_number, 0), record.tax.tax_year)
    return [r for r in records if r.WhichOneof("body") != "tax" or r.tax.tax_year == latest[r.id_number]]


def _amount(kind: int, record: records_pb2.Record) -> int:
    body = record.WhichOneof("body")
    if kind == Q.QUESTION_KIND_VEHICLE_VALUE_ABOVE and body == "vehicle":
        return record.vehicle.value_fen
    if kind == Q.QUESTION_KIND_INCOME_PER_MEMBER_BELOW:
        if body == "pension":
            return record.pension.monthly_amount_fen * 12
        if body == "unemployment":
            return record.unemployment.monthly_benefit_fen * 12
        if body == "tax":
            return record.tax.income_fen
    if kind == Q.QUESTION_KIND_FINANCIAL_ASSETS_ABOVE:
        if body == "bank_deposit":
            return record.bank_deposit.balance_fen
        if body == "securities":
            return record.securities.market_value_fen
        if body == "commercial_insurance":
            return record.commercial_insurance.cash_value_fen
    if kind == Q.QUESTION_KIND_BUSINESS_CAPITAL_ABOVE and body == "business_registration":
        # A shareholder's stake is what the member subscribed, not the whole company.
        business = record.business_registration
        return business.subscribed_capital_fen or business.registered_capital_fen
    return 0


@dataclasses.dataclass(frozen=True)
class SourceMeasures:
    """One source's status and, when it answered, its measures by question id."""

    node: str
    status: int
    reason: str
    categories: frozenset[int]
    measures: dict[str, exchange_pb2.Measure]


def answer(question: exchange_pb2.ThresholdQuestion, members: int,
           sources: Sequence[SourceMeasures]) -> exchange_pb2.QuestionAnswer:
    """Add the measures of every source responsible for the question and compare the sum."""
    categories = QUESTION_CATEGORIES[question.kind]
    result = exchange_pb2.QuestionAnswer(question_id=question.id, kind=question.kind, amount_fen=question.amount_fen)
    total, failed = 0, ""
    for source in sources:
        if not categories & source.categories:
            continue
        found = source.measures.get(question.id)
        if source.status not in _GOOD or found is None:
            failed = failed or source.reason or Reason.DEPARTMENT_UNAVAILABLE.value
            continue
        total += found.value
        result.sources.append(source.node)

    decided = _compare(question, members, total)
    if not failed:
        result.result = Q.QUESTION_RESULT_YES if decided else Q.QUESTION_RESULT_NO
    elif question.kind == Q.QUESTION_KIND_INCOME_PER_MEMBER_BELOW and not decided:
        # Income from a failed source could only raise the sum, so "not below" holds either way.
        result.result = Q.QUESTION_RESULT_NO
    elif question.kind != Q.QUESTION_KIND_INCOME_PER_MEMBER_BELOW and decided:
        result.result = Q.QUESTION_RESULT_YES
    else:
        result.result, result.reason = Q.QUESTION_RESULT_UNDETERMINED, failed
    return result


def _compare(question: exchange_pb2.ThresholdQuestion, members: int, total: int) -> bool:
    if question.kind == Q.QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME:
        return total > 1
    if question.kind == Q.QUESTION_KIND_INCOME_PER_MEMBER_BELOW:
        # The total is yearly; the amount is the monthly standard per member.
        return total < question.amount_fen * 12 * members
    return total > question.amount_fen

"""Threshold questions for callers, and the checks of their answers in a report.

A question is answered yes or no by the node that makes the report, from
measures that each data owner signs. When records are returned, the SDK
recomputes every answer from those signed measures and rejects a report
whose answers differ. In answers-only mode the owners' measures do not
reach the caller, so the answers rest on the aggregator's signature alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hedui.gateway import questions
from hedui.gateway.answers import source_measures
from hedui.gateway.errors import HeduiError, Reason
from hedui.sdk.report import QuestionOutcome
from hedui.v1 import exchange_pb2

_RESULT_NAMES = {value: name.removeprefix("QUESTION_RESULT_") for name, value in exchange_pb2.QuestionResult.items()}


def vehicle_value_above(amount_fen: int, question_id: str = "vehicle_value") -> exchange_pb2.ThresholdQuestion:
    """Ask whether the household's vehicles are together worth more than the amount."""
    return exchange_pb2.ThresholdQuestion(id=question_id, kind=exchange_pb2.QUESTION_KIND_VEHICLE_VALUE_ABOVE,
                                          amount_fen=amount_fen)


def real_estate_beyond_one_home(question_id: str = "second_home") -> exchange_pb2.ThresholdQuestion:
    """Ask whether the household owns real estate besides one home."""
    return exchange_pb2.ThresholdQuestion(id=question_id, kind=exchange_pb2.QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME)


def income_per_member_below(standard_fen: int, question_id: str = "income_below") -> exchange_pb2.ThresholdQuestion:
    """Ask whether monthly income per member is below a standard, usually the local minimum-living standard."""
    return exchange_pb2.ThresholdQuestion(id=question_id, kind=exchange_pb2.QUESTION_KIND_INCOME_PER_MEMBER_BELOW,
                                          amount_fen=standard_fen)


def financial_assets_above(amount_fen: int, question_id: str = "financial_assets") -> exchange_pb2.ThresholdQuestion:
    """Ask whether deposits, securities and insurance cash value together exceed the amount."""
    return exchange_pb2.ThresholdQuestion(id=question_id, kind=exchange_pb2.QUESTION_KIND_FINANCIAL_ASSETS_ABOVE,
                                          amount_fen=amount_fen)


def business_capital_above(amount_fen: int, question_id: str = "business_capital") -> exchange_pb2.ThresholdQuestion:
    """Ask whether the members' businesses together have more registered capital than the amount."""
    return exchange_pb2.ThresholdQuestion(id=question_id, kind=exchange_pb2.QUESTION_KIND_BUSINESS_CAPITAL_ABOVE,
                                          amount_fen=amount_fen)


def check_answers(query: exchange_pb2.VerifyQuery, report: exchange_pb2.Report,
                  signed_answers: Mapping[str, exchange_pb2.Answer]) -> tuple[QuestionOutcome, ...]:
    """Check the report's answers against the questions and return them in question order.

    Steps:
    1. exactly one answer per question, with the question's kind and amount;
    2. every listed source is a source of the report;
    3. with records returned, each answer equals the one computed from the
       owners' signed measures.
    """
    responder = report.responder
    by_id = {a.question_id: a for a in report.answers}
    if len(by_id) != len(report.answers) or set(by_id) != {q.id for q in query.questions}:
        raise HeduiError(Reason.ANSWER_INVALID, responder,
                         ("报告中的问题答案与所提问题不一致", "the report's answers do not match the questions asked"))

    nodes = {s.node for s in report.sources}
    measured = [source_measures(s, signed_answers.get(s.node)) for s in report.sources]
    outcomes = []
    for question in query.questions:
        # 1.
        found = by_id[question.id]
        if found.kind != question.kind or found.amount_fen != question.amount_fen:
            raise HeduiError(Reason.ANSWER_INVALID, responder,
                             (f"问题 {question.id} 的答案改变了问题", f"the answer to {question.id} changes the question"))
        # 2.
        if not set(found.sources) <= nodes:
            raise HeduiError(Reason.ANSWER_INVALID, responder,
                             (f"问题 {question.id} 的答案列出了报告外的来源",
                              f"the answer to {question.id} names a source outside the report"))
        # 3.
        if not query.threshold_only:
            expected = questions.answer(question, len(query.member_id_numbers), measured)
            if (expected.result, list(expected.sources)) != (found.result, list(found.sources)):
                raise HeduiError(Reason.ANSWER_INVALID, responder,
                                 (f"问题 {question.id} 的答案与部门签名的计量值不符",
                                  f"the answer to {question.id} disagrees with the owners' signed measures"))
        outcomes.append(QuestionOutcome(
            question_id=found.question_id, kind=questions.kind_name(found.kind), amount_fen=found.amount_fen,
            result=_RESULT_NAMES.get(found.result, "UNSPECIFIED"), sources=tuple(found.sources), reason=found.reason,
        ))
    return tuple(outcomes)


def question_list(items: Sequence[exchange_pb2.ThresholdQuestion]) -> list[exchange_pb2.ThresholdQuestion]:
    """Return the questions as a list, rejecting anything that is not a ThresholdQuestion."""
    for item in items:
        if not isinstance(item, exchange_pb2.ThresholdQuestion):
            raise TypeError(f"questions must be hedui.v1.ThresholdQuestion messages, not {type(item).__name__}")
    return list(items)

"""Data minimisation in answers and reports: disclosure modes, measures and question answers.

An owner measures the threshold questions over its records, withholds the
fields its caller's purpose may not receive, and in answers-only mode
returns no records at all. The node that makes the report answers the
questions from the owners' measures and, in answers-only mode, replaces
each owner's signed answer with its digest before the report leaves.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence

from hedui.gateway import disclosure, questions
from hedui.v1 import exchange_pb2, records_pb2


@dataclasses.dataclass(frozen=True)
class Minimisation:
    """The minimisation a query requests: its purpose, threshold questions and answers-only mode."""

    purpose: int
    questions: tuple[exchange_pb2.ThresholdQuestion, ...] = ()
    threshold_only: bool = False
    members: int = 0

    @classmethod
    def of(cls, query: exchange_pb2.VerifyQuery) -> Minimisation:
        return cls(query.purpose, tuple(query.questions), query.threshold_only, len(query.member_id_numbers))


def fill_answer(answer: exchange_pb2.Answer, records: list[records_pb2.Record], served: Sequence[int],
                minimisation: Minimisation) -> None:
    """Set an owner's records, measures and disclosure on its answer.

    Measures are taken before any field is withheld, because a question
    about an amount is exactly how a caller learns about it without the
    amount itself.
    """
    for question in minimisation.questions:
        if questions.QUESTION_CATEGORIES[question.kind] & set(served):
            answer.measures.append(questions.measure(question, records))

    if minimisation.threshold_only:
        answer.disclosure = exchange_pb2.DISCLOSURE_THRESHOLD_ONLY
        return

    mode, withheld = disclosure.limit_fields(records, minimisation.purpose)
    answer.disclosure = mode
    answer.withheld_fields.extend(withheld)
    answer.records.extend(records)


def finish_report(report: exchange_pb2.Report, minimisation: Minimisation) -> None:
    """Answer the questions from the sources' signed answers and apply answers-only mode.

    Every source's answer has been verified, and its disclosure copied onto
    the source, by the time this runs: by the fan-out for departments, or
    by this node when it answered itself.
    """
    if minimisation.questions:
        parsed = {s.node: exchange_pb2.Answer.FromString(s.answer.answer)
                  for s in report.sources if s.HasField("answer")}
        measured = [source_measures(s, parsed.get(s.node)) for s in report.sources]
        for question in minimisation.questions:
            report.answers.append(questions.answer(question, minimisation.members, measured))

    if not minimisation.threshold_only:
        return
    for source in report.sources:
        if not source.HasField("answer"):
            continue
        # The owner's audit entry records this same digest, so an auditor can
        # match the two without the answer ever reaching the caller.
        source.answer_sha256 = hashlib.sha256(source.answer.answer).digest()
        source.ClearField("answer")
        # "No record" would tell the caller more than yes or no.
        if source.status == exchange_pb2.SOURCE_STATUS_NO_RECORD:
            source.status = exchange_pb2.SOURCE_STATUS_ANSWERED


def source_measures(source: exchange_pb2.SourceResult,
                    answer: exchange_pb2.Answer | None) -> questions.SourceMeasures:
    """Return one source's status and measures in the form questions.answer takes."""
    measures = {m.question_id: m for m in answer.measures} if answer is not None else {}
    return questions.SourceMeasures(source.node, source.status, source.reason, frozenset(source.categories), measures)

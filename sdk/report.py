"""The typed verification report the SDK returns, built only from verified answers."""

from __future__ import annotations

import dataclasses
import datetime

from google.protobuf import json_format

from hedui.v1 import common_pb2, records_pb2


@dataclasses.dataclass(frozen=True)
class SourceOutcome:
    """One source's part of a report: its status and, if it answered, its verified records."""

    node: str
    status: str                      # ANSWERED, NO_RECORD, REFUSED, TIMED_OUT, UNAVAILABLE
    reason: str
    categories: tuple[int, ...]
    records: tuple[records_pb2.Record, ...]
    answered_at: datetime.datetime | None
    elapsed_ms: int
    signature_verified: bool
    disclosure: str = "FULL_RECORDS"  # FULL_RECORDS, PURPOSE_LIMITED, THRESHOLD_ONLY or UNSPECIFIED
    withheld_fields: tuple[str, ...] = ()  # fields the owner withheld because of the purpose
    answer_sha256: bytes = b""  # digest of the owner's signed answer when only answers were returned


@dataclasses.dataclass(frozen=True)
class QuestionOutcome:
    """The answer to one threshold question."""

    question_id: str
    kind: str                        # for example VEHICLE_VALUE_ABOVE
    amount_fen: int
    result: str                      # YES, NO or UNDETERMINED
    sources: tuple[str, ...]         # nodes whose measures were counted
    reason: str                      # reason code when UNDETERMINED


@dataclasses.dataclass(frozen=True)
class VerificationReport:
    """A verified report: the aggregator's signature and every owner's signature checked."""

    request_id: str
    responder: str
    created_at: datetime.datetime
    members: tuple[str, ...]
    categories: tuple[int, ...]
    sources: tuple[SourceOutcome, ...]
    answers: tuple[QuestionOutcome, ...] = ()
    threshold_only: bool = False

    def answer(self, question_id: str) -> QuestionOutcome:
        """Return the answer to one threshold question."""
        for outcome in self.answers:
            if outcome.question_id == question_id:
                return outcome
        raise KeyError(question_id)

    def records_for(self, id_number: str) -> list[records_pb2.Record]:
        """Return every record about one member, across sources."""
        return [r for s in self.sources for r in s.records if r.id_number == id_number]

    def source(self, node: str) -> SourceOutcome:
        """Return the outcome of one source node."""
        for outcome in self.sources:
            if outcome.node == node:
                return outcome
        raise KeyError(node)

    def to_dict(self) -> dict:
        """Return a JSON-ready dict; each record in protobuf JSON form, with the household totals."""
        from hedui.sdk.totals import household_totals

        totals = household_totals(self)
        return {
            "totals": {**dataclasses.asdict(totals),
                       "monthly_income_per_member_fen": totals.monthly_income_per_member_fen,
                       "financial_assets_fen": totals.financial_assets_fen},
            "request_id": self.request_id,
            "responder": self.responder,
            "created_at": self.created_at.isoformat(),
            "threshold_only": self.threshold_only,
            "answers": [
                {
                    "question_id": a.question_id,
                    "kind": a.kind,
                    "amount_fen": a.amount_fen,
                    "result": a.result,
                    "sources": list(a.sources),
                    "reason": a.reason,
                }
                for a in self.answers
            ],
            "sources": [
                {
                    "node": s.node,
                    "status": s.status,
                    "reason": s.reason,
                    "categories": [common_pb2.DataCategory.Name(c) for c in s.categories],
                    "answered_at": s.answered_at.isoformat() if s.answered_at else None,
                    "elapsed_ms": s.elapsed_ms,
                    "signature_verified": s.signature_verified,
                    "disclosure": s.disclosure,
                    "withheld_fields": list(s.withheld_fields),
                    "answer_sha256": s.answer_sha256.hex(),
                    "records": [json_format.MessageToDict(r, preserving_proto_field_name=True) for r in s.records],
                }
                for s in self.sources
            ],
        }

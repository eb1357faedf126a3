"""Low-income status query: other departments ask civil affairs who is in the low-income database.

A medical insurance, education or housing department confirms a person's
assistance status before granting its own assistance. The query is an
ordinary verification of the low-income registry category, so the same
authorization policy, signatures and audit apply. Its default purpose,
PURPOSE_SPECIAL_ASSISTANCE, makes the registry withhold benefit amounts.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from hedui.gateway.identifiers import normalize_id_number
from hedui.sdk.report import VerificationReport
from hedui.v1 import authorization_pb2, common_pb2, records_pb2

REGISTRY = common_pb2.DATA_CATEGORY_LOW_INCOME_REGISTRY
_ANSWERED = ("ANSWERED", "NO_RECORD")


@dataclasses.dataclass(frozen=True)
class AssistanceStatus:
    """One entry of a person in the low-income registry."""

    category: str                    # for example MINIMUM_LIVING_ALLOWANCE
    status: str                      # the registry's own wording, for example 在保
    start_date: str
    programmes: tuple[str, ...]      # special assistance already received, for example MEDICAL
    deciding_division: str
    monthly_benefit_fen: int | None  # None when the purpose withheld it


@dataclasses.dataclass(frozen=True)
class LowIncomeStatus:
    """Whether one person is in the low-income registry, and under which assistance."""

    id_number: str
    in_registry: bool | None         # None when no registry answered
    assistance: tuple[AssistanceStatus, ...]
    sources: tuple[str, ...]         # registry nodes that answered
    reason: str                      # reason code when no registry answered
    as_of: datetime.datetime | None


async def query_low_income_status(client, authorization: authorization_pb2.SignedAuthorization,
                                  members: Iterable[str], *, case_reference: str = "",
                                  purpose: int = common_pb2.PURPOSE_SPECIAL_ASSISTANCE,
                                  timeout: float = 15.0) -> dict[str, LowIncomeStatus]:
    """Ask the client's target civil affairs node for each member's status; keys are normalised ID numbers."""
    numbers = [normalize_id_number(number) for number in members]
    report = await client.verify(authorization, numbers, [REGISTRY], purpose, case_reference, timeout=timeout)
    return low_income_status(report)


def low_income_status(report: VerificationReport) -> dict[str, LowIncomeStatus]:
    """Read each member's status out of a verified report that covers the registry category."""
    registries = [s for s in report.sources if REGISTRY in s.categories]
    answered = [s for s in registries if s.status in _ANSWERED]
    failed = next((s.reason or s.status for s in registries if s.status not in _ANSWERED), "")
    statuses = {}
    for number in report.members:
        entries, times = [], []
        for source in answered:
            # Any mode but full records means the purpose limited the fields, amounts first.
            full = source.disclosure == "FULL_RECORDS"
            for record in source.records:
                if record.id_number == number and record.category == REGISTRY:
                    entries.append(_assistance(record.low_income_registry, full))
                    if record.HasField("as_of"):
                        times.append(record.as_of.ToDatetime(datetime.timezone.utc))
        in_registry: bool | None = bool(entries)
        if not entries and (failed or not answered):
            in_registry = None
        statuses[number] = LowIncomeStatus(
            id_number=number, in_registry=in_registry, assistance=tuple(entries),
            sources=tuple(s.node for s in answered), reason=failed if in_registry is None else "",
            as_of=max(times, default=None),
        )
    return statuses


def _assistance(entry: records_pb2.LowIncomeRegistryRecord, full: bool) -> AssistanceStatus:
    return AssistanceStatus(
        category=common_pb2.AssistanceCategory.Name(entry.assistance_category).removeprefix("ASSISTANCE_CATEGORY_"),
        status=entry.status,
        start_date=entry.start_date,
        programmes=tuple(records_pb2.AssistanceProgramme.Name(p).removeprefix("ASSISTANCE_PROGRAMME_")
                         for p in entry.programmes),
        deciding_division=entry.deciding_division.code,
        monthly_benefit_fen=entry.monthly_benefit_fen if full else None,
    )

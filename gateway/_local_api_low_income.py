"""POST /v1/low-income-status: other departments ask whether people are in the low-income registry.

A medical insurance, education or housing department's system posts the
household's authorization and the members' ID numbers. The node sends an
ordinary Verify of the low-income registry category as itself, verifies
every signature, and returns per member whether the registry lists them,
under which assistance and which special assistance they already receive.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from hedui.gateway._local_api_audit import answer_digest, audit_sent_query, failure_outcome
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway._local_api_handlers import (BODY_KEY, CALLER_KEY, NODE_KEY, SENDERS_KEY, json_response)
from hedui.gateway._local_api_requests import parse_low_income
from hedui.gateway.errors import HeduiError
from hedui.sdk.low_income import LowIncomeStatus, low_income_status
from hedui.sdk.report import VerificationReport

log = logging.getLogger(__name__)

AUDIT_ACTION = "local_low_income"


async def query_low_income_status(request: web.Request) -> web.Response:
    """POST /v1/low-income-status: verify the registry category for each member and return their status.

    The node calls ``Client.verify`` for the registry category and reads the
    report with ``hedui.sdk.low_income.low_income_status``, which is what
    ``Client.low_income_status`` does, so that the response and the audit
    entry can carry the report's request id.
    """
    node = request.app[NODE_KEY]
    senders = request.app[SENDERS_KEY]
    body = parse_low_income(request[BODY_KEY])
    target = body.target or senders.default_target()
    try:
        client = senders.client(target)
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field="target" if body.target else "") from exc

    audited = {"authorization": body.authorization, "members": body.members, "categories": body.categories}
    try:
        report = await client.verify(body.authorization, body.members, body.categories, body.purpose,
                                     body.case_reference, timeout=body.timeout_seconds)
    except HeduiError as exc:
        error = ApiError.from_hedui(exc, upstream=True)
        await audit_sent_query(node, AUDIT_ACTION, request_id="", outcome=failure_outcome(exc.reason),
                               reason=exc.reason, **audited)
        log.info("low-income status not completed caller=%s target=%s reason=%s status=%s",
                 request[CALLER_KEY], target, exc.reason, error.status)
        raise error from exc

    statuses = low_income_status(report)
    document = status_document(report, [statuses[number] for number in body.members])
    # A member whose registry did not answer is unknown, not absent, so the call is only partly done.
    outcome = "ok" if all(member["in_registry"] is not None for member in document["members"]) else "partial"
    await audit_sent_query(node, AUDIT_ACTION, request_id=report.request_id, outcome=outcome,
                           answer_sha256=answer_digest(document), **audited)
    log.info("low-income status done caller=%s target=%s request_id=%s outcome=%s members=%s",
             request[CALLER_KEY], target, report.request_id, outcome, len(body.members))
    return json_response(document)


def status_document(report: VerificationReport, statuses: list[LowIncomeStatus]) -> dict[str, Any]:
    """Return the response: the report's request id and responder, then each member's status in request order."""
    return {
        "request_id": report.request_id,
        "responder": report.responder,
        "members": [_member(status) for status in statuses],
    }


def _member(status: LowIncomeStatus) -> dict[str, Any]:
    return {
        "id_number": status.id_number,
        "in_registry": status.in_registry,
        "assistance": [{
            "category": entry.category,
            "status": entry.status,
            "start_date": entry.start_date,
            "programmes": list(entry.programmes),
            "deciding_division": entry.deciding_division,
            "monthly_benefit_fen": entry.monthly_benefit_fen,
        } for entry in status.assistance],
        "sources": list(status.sources),
        "reason": status.reason,
        "as_of": status.as_of.isoformat() if status.as_of is not None else None,
    }

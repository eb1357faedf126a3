"""Audit entries of the queries this node sends for its local API callers.

Each query the node sends as itself gets one entry in the node's own audit
log, written before the answer goes back to the caller. The entry names the
node as the caller because the federation sees the node; the API caller's
name is in the node's log only.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

from google.protobuf.message import DecodeError

from hedui.gateway._local_api_errors import status_for
from hedui.gateway.audit import AuditEntry
from hedui.gateway.node import Node
from hedui.v1 import authorization_pb2

# Source statuses that mean the department answered, with records or without.
COMPLETE_SOURCE_STATUSES = ("ANSWERED", "NO_RECORD")


def unverified_record_id(authorization: authorization_pb2.SignedAuthorization) -> str:
    """Return the record id inside a signed authorization for the audit entry only; the signature is not checked."""
    try:
        return authorization_pb2.AuthorizationRecord.FromString(authorization.record).record_id[:64]
    except DecodeError:
        # The receiving node rejects such a record, and the audit entry then has no record id.
        return ""


def answer_digest(document: dict[str, Any]) -> bytes:
    """Return the SHA-256 of a response document in canonical JSON (sorted keys, UTF-8)."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).digest()


def failure_outcome(reason: str) -> str:
    """Return ``rejected`` for an authorization policy rejection and ``failed`` for any other error."""
    return "rejected" if status_for(reason, upstream=True) == 422 else "failed"


async def audit_sent_query(node: Node, action: str, *, authorization: authorization_pb2.SignedAuthorization,
                           members: Iterable[str], categories: Iterable[int], request_id: str, outcome: str,
                           reason: str = "", answer_sha256: bytes = b"") -> None:
    """Append the audit entry of one query this node sent for a local caller; the response waits for it."""
    await node.audit.append(AuditEntry(
        occurred_at=node.now(), request_id=request_id, caller=node.id, node=node.id, action=action,
        subject_id_numbers=tuple(members), authorization_id=unverified_record_id(authorization),
        categories=tuple(categories), outcome=outcome, reason=reason, answer_sha256=answer_sha256,
    ))

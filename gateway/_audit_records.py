"""Value types of the audit log: the entry a node appends, the stored form, checkpoints and results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    """One audited event as the node reports it; raw ID numbers never reach the file."""

    occurred_at: datetime.datetime
    request_id: str
    caller: str
    node: str
    action: str
    subject_id_numbers: tuple[str, ...]
    authorization_id: str
    categories: tuple[int, ...]
    outcome: str
    reason: str
    answer_sha256: bytes
    nonce: bytes = b""
    issued_at: datetime.datetime | None = None


@dataclass(frozen=True)
class StoredEntry:
    """An entry as read back from the log, with subject digests in place of ID numbers."""

    seq: int
    occurred_at: datetime.datetime
    request_id: str
    caller: str
    node: str
    action: str
    subject_digests: tuple[str, ...]
    authorization_id: str
    categories: tuple[int, ...]
    outcome: str
    reason: str
    answer_sha256: bytes
    nonce: bytes
    issued_at: datetime.datetime | None
    leaf_hash: bytes
    chain_hash: bytes


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that the chain of ``node`` had head ``chain_hash`` at ``seq``."""

    node: str
    seq: int
    chain_hash: bytes
    created_at: datetime.datetime
    key_id: str
    signature: bytes


@dataclass(frozen=True)
class VerifyResult:
    """Counts from a successful verification; ``signatures_verified`` is False when no verifier was given."""

    entries: int
    checkpoints: int
    last_seq: int
    head_hash: bytes
    signatures_verified: bool

"""Validation, canonical bytes and hashing of audit entries and checkpoints.

Canonical entry bytes (format version 1) are the ASCII bytes of a JSON object
written with sorted keys, no whitespace and ASCII escapes, which is what
Python's ``json.dumps(doc, sort_keys=True, separators=(",", ":"),
ensure_ascii=True)`` produces. The object has exactly these members:

- ``v``: the integer 1.
- ``occurred_at``, ``issued_at``: UTC times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``
  (always six fractional digits); ``issued_at`` is ``null`` when absent.
- ``request_id``, ``caller``, ``node``, ``action``, ``authorization_id``,
  ``outcome``, ``reason``: strings. Validation keeps node ids, ``action``,
  ``outcome`` and ``reason`` ASCII and rejects control characters and lone
  surrogates everywhere, so escapes are ``\\"``, ``\\\\`` and ``\\uXXXX``
  (lower-case hex, UTF-16 surrogate pairs above U+FFFF) for non-ASCII text.
- ``subjects``: the subjects' keyed digests in entry order, each the lower-case
  hex of HMAC-SHA256(audit key, normalized ID number as UTF-8). A valid
  resident ID number is normalized to its 18-character form with upper-case
  X (15-digit numbers upgraded); any other string has its whitespace removed
  and is upper-cased.
- ``categories``: the data category numbers in entry order.
- ``answer_sha256``, ``nonce``: lower-case hex, ``""`` when empty.

Hashing follows RFC 6962's domain separation: leaf = SHA-256(0x00 || canonical
bytes), chain = SHA-256(0x01 || previous chain || leaf), and the previous chain
of the first entry is 32 zero bytes.

A checkpoint signs ``hedui-audit-checkpoint-v1`` and a newline followed by
the same kind of JSON with members ``chain_hash`` (hex), ``created_at``,
``node`` and ``seq``.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from hedui.gateway._audit_errors import AuditEntryError
from hedui.gateway._audit_records import AuditEntry
from hedui.gateway.errors import HeduiError
from hedui.gateway.identifiers import check_node_id, normalize_id_number

FORMAT_VERSION = 1
HASH_SIZE = 32
GENESIS = bytes(HASH_SIZE)
CHECKPOINT_PREFIX = b"hedui-audit-checkpoint-v1\n"
UTC = datetime.timezone.utc

_TOKEN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_REASON = re.compile(r"^([A-Z][A-Z0-9_]{0,63})?$")
_MAX_TEXT = 128
_MAX_NONCE = 64
_MAX_CATEGORY = 2**31 - 1


def leaf_hash(canonical: bytes) -> bytes:
    """Hash canonical entry bytes as an RFC 6962 leaf."""
    return hashlib.sha256(b"\x00" + canonical).digest()


def chain_hash(previous: bytes, leaf: bytes) -> bytes:
    """Link a leaf hash to the previous chain hash as an RFC 6962 interior node."""
    return hashlib.sha256(b"\x01" + previous + leaf).digest()


def format_time(moment: datetime.datetime) -> str:
    """Format an aware datetime in the fixed-width UTC form the log stores and hashes."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def parse_time(text: str) -> datetime.datetime:
    """Parse a time written by ``format_time``."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def canonical_bytes(document: dict[str, Any]) -> bytes:
    """Encode a document in the canonical JSON form described in the module docstring."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def key_check(digest_key: bytes) -> str:
    """Return a short value that shows whether a later open uses the same audit key."""
    return hmac.new(digest_key, b"hedui audit key check", hashlib.sha256).hexdigest()[:16]


def subject_digest(digest_key: bytes, id_number: str) -> str:
    """Return the hex HMAC-SHA256 of an ID number in its normalized form."""
    return hmac.new(digest_key, _normalize_subject(id_number).encode("utf-8"), hashlib.sha256).hexdigest()


def _normalize_subject(id_number: str) -> str:
    # A rejected request may name a malformed number, and it must still be
    # audited and findable, so an invalid number keeps its trimmed upper-case form.
    try:
        return normalize_id_number(id_number)
    except HeduiError:
        return "".join(id_number.split()).upper()


def entry_document(entry: AuditEntry, digest_key: bytes) -> dict[str, Any]:
    """Build the canonical document of a validated entry."""
    return {
        "v": FORMAT_VERSION,
        "occurred_at": format_time(entry.occurred_at),
        "request_id": entry.request_id,
        "caller": entry.caller,
        "node": entry.node,
        "action": entry.action,
        "subjects": [subject_digest(digest_key, number) for number in entry.subject_id_numbers],
        "authorization_id": entry.authorization_id,
        "categories": list(entry.categories),
        "outcome": entry.outcome,
        "reason": entry.reason,
        "answer_sha256": entry.answer_sha256.hex(),
        "nonce": entry.nonce.hex(),
        "issued_at": None if entry.issued_at is None else format_time(entry.issued_at),
    }


def checkpoint_fields(message: bytes) -> dict[str, Any]:
    """Parse the members of a checkpoint message; ValueError if it is not one."""
    if not message.startswith(CHECKPOINT_PREFIX):
        raise ValueError("not an audit checkpoint message")
    fields: dict[str, Any] = json.loads(message[len(CHECKPOINT_PREFIX):])
    return fields


def checkpoint_message(node: str, seq: int, chain: bytes, created_at: datetime.datetime) -> bytes:
    """Return the exact bytes a checkpoint signature covers."""
    body = {"chain_hash": chain.hex(), "created_at": format_time(created_at), "node": node, "seq": seq}
    return CHECKPOINT_PREFIX + canonical_bytes(body)


def validate_entry(entry: AuditEntry, node_id: str) -> None:
    """Raise AuditEntryError naming the first invalid field of ``entry``."""
    _check_time("occurred_at", entry.occurred_at)
    if entry.issued_at is not None:
        _check_time("issued_at", entry.issued_at)
    _check_text("request_id", entry.request_id)
    _check_node("caller", entry.caller)
    _check_node("node", entry.node)
    if entry.node != node_id:
        raise AuditEntryError("node", f"{entry.node} 不是本节点 {node_id}", f"{entry.node} is not this node, {node_id}")
    _check_token("action", entry.action)
    _check_subjects(entry.subject_id_numbers)
    _check_text("authorization_id", entry.authorization_id)
    _check_categories(entry.categories)
    _check_token("outcome", entry.outcome)
    if not isinstance(entry.reason, str) or not _REASON.match(entry.reason):
        raise AuditEntryError("reason", "应为空或大写英文原因码", "must be empty or an upper-case reason code")
    if not isinstance(entry.answer_sha256, bytes) or len(entry.answer_sha256) not in (0, HASH_SIZE):
        raise AuditEntryError("answer_sha256", "应为 32 字节的 SHA-256 摘要或空", "must be a 32-byte SHA-256 digest or empty")
    if not isinstance(entry.nonce, bytes) or len(entry.nonce) > _MAX_NONCE:
        raise AuditEntryError("nonce", f"应为不超过 {_MAX_NONCE} 字节", f"must be at most {_MAX_NONCE} bytes")


def _check_time(field: str, value: object) -> None:
    if not isinstance(value, datetime.datetime):
        raise AuditEntryError(field, "应为 datetime", "must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise AuditEntryError(field, "缺少时区（须为带时区的 UTC 时间）", "is naive; pass an aware UTC datetime")


def _check_text(field: str, value: object) -> None:
    # Request and authorization ids come from callers, and a rejection of a
    # malformed request must still be audited, so any printable text is kept.
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise AuditEntryError(field, f"应为不超过 {_MAX_TEXT} 个字符的字符串", f"must be a string of at most {_MAX_TEXT} characters")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise AuditEntryError(field, "含有控制字符或代理码位", "contains a control character or a surrogate code point")


def _check_node(field: str, value: object) -> None:
    try:
        check_node_id(value)  # type: ignore[arg-type]
    except HeduiError as exc:
        raise AuditEntryError(field, "不是“区划代码/机构代码[/子系统]”格式的节点标识", "is not a DIVISION/ORG[/SUBSYSTEM] node id") from exc


def _check_token(field: str, value: object) -> None:
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise AuditEntryError(field, "应为小写英文标识（如 verify、ok）", "must be a lower-case identifier such as verify or ok")


def _check_subjects(numbers: object) -> None:
    if not isinstance(numbers, Sequence) or isinstance(numbers, str):
        raise AuditEntryError("subject_id_numbers", "应为身份证号的元组", "must be a tuple of ID numbers")
    for number in numbers:
        if not isinstance(number, str) or not number.strip() or len(number) > 64:
            # The value is not echoed: it may be an ID number.
            raise AuditEntryError("subject_id_numbers", "含有空值或过长的号码", "contains an empty or over-long number")


def _check_categories(categories: object) -> None:
    if not isinstance(categories, Sequence):
        raise AuditEntryError("categories", "应为整数元组", "must be a tuple of integers")
    for category in categories:
        if isinstance(category, bool) or not isinstance(category, int) or not 0 <= category <= _MAX_CATEGORY:
            raise AuditEntryError("categories", f"含有无效的类别 {category!r}", f"contains the invalid category {category!r}")


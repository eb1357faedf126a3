"""The node's append-only, tamper-evident audit log and its verifier.

Each entry records who asked, for whom, under which authorization, for which
categories, with what outcome and a digest of the answer. Subjects are stored
only as keyed digests (HMAC-SHA256 with the node's audit key), so the file
holds no ID numbers, and an auditor with the key can still search by number.

Entries are hash chained in the RFC 6962 style and the chain head is signed
in checkpoints; ``_audit_codec`` documents the exact bytes that are hashed and
signed, and ``verify_log`` checks a log file offline.

Lifecycle: ``await AuditLog.open(...)`` once, ``append`` from any number of
tasks on that event loop, ``await close()`` once. ``append`` returns only after
the entry is committed and fsynced, so a node must await it before it sends
the answer the entry describes.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import pathlib
import sqlite3
from collections.abc import Callable

from hedui.gateway import _audit_store as store
from hedui.gateway._audit_codec import entry_document, format_time, key_check, subject_digest, validate_entry
from hedui.gateway._audit_errors import (
    AuditChainError,
    AuditClosedError,
    AuditConfigError,
    AuditEntryError,
    AuditError,
    AuditFormatError,
    ChainLinkError,
    CheckpointMismatchError,
    CheckpointSignatureError,
    EntryInsertedError,
    EntryMissingError,
    EntryModifiedError,
    EntryReorderedError,
    TruncatedLogError,
)
from hedui.gateway._audit_records import AuditEntry, Checkpoint, StoredEntry, VerifyResult
from hedui.gateway._audit_verify import verify_log
from hedui.gateway._audit_writer import AuditWriter
from hedui.gateway.errors import HeduiError
from hedui.gateway.identifiers import check_node_id

logger = logging.getLogger(__name__)

MIN_KEY_BYTES = 32

__all__ = [
    "AuditChainError",
    "AuditClosedError",
    "AuditConfigError",
    "AuditEntry",
    "AuditEntryError",
    "AuditError",
    "AuditFormatError",
    "AuditLog",
    "ChainLinkError",
    "Checkpoint",
    "CheckpointMismatchError",
    "CheckpointSignatureError",
    "EntryInsertedError",
    "EntryMissingError",
    "EntryModifiedError",
    "EntryReorderedError",
    "StoredEntry",
    "TruncatedLogError",
    "VerifyResult",
    "find_entries",
    "verify_log",
]


class AuditLog:
    """An open audit log with one writer thread; create it with ``await AuditLog.open(...)``."""

    # Upper bound on entries per transaction; it caps how long one commit holds the write lock.
    _max_batch = 512

    def __init__(self, path: pathlib.Path, node_id: str, digest_key: bytes, writer: AuditWriter) -> None:
        self._path = path
        self._node_id = node_id
        self._digest_key = digest_key
        self._writer = writer

    @classmethod
    async def open(
        cls,
        path: pathlib.Path,
        *,
        node_id: str,
        digest_key: bytes,
        signer: Callable[[bytes], tuple[str, bytes]] | None = None,
        checkpoint_every: int = 1000,
    ) -> AuditLog:
        """Open or create the log at ``path``; raise AuditConfigError if it belongs to another node or key."""
        _check_open_arguments(node_id, digest_key, checkpoint_every)
        path = pathlib.Path(path)
        writer = AuditWriter(
            path,
            node_id=node_id,
            key_check=key_check(digest_key),
            signer=signer,
            checkpoint_every=checkpoint_every,
            max_batch=cls._max_batch,
        )
        await writer.start()
        logger.info("audit log opened: %s for node %s", path, node_id)
        return cls(path, node_id, digest_key, writer)

    async def append(self, entry: AuditEntry) -> int:
        """Append ``entry`` and return its seq once the entry is committed and fsynced.

        Raises AuditEntryError, before anything is written, when a field is
        invalid, and AuditError when the write itself failed. Cancelling the
        caller does not withdraw an entry that was already queued.
        """
        validate_entry(entry, self._node_id)
        document = entry_document(entry, self._digest_key)
        seq: int = await self._writer.submit(document)
        return seq

    async def checkpoint(self) -> Checkpoint:
        """Sign the current chain head with the signer and store the checkpoint."""
        checkpoint: Checkpoint = await self._writer.submit(None)
        logger.info("audit checkpoint signed at seq %s with key %s", checkpoint.seq, checkpoint.key_id)
        return checkpoint

    def subject_digest(self, id_number: str) -> str:
        """Return the hex keyed digest under which ``id_number`` is stored."""
        return subject_digest(self._digest_key, id_number)

    async def find_by_subject(self, id_number: str) -> list[StoredEntry]:
        """Return every entry about ``id_number``, in seq order."""
        digest = self.subject_digest(id_number)
        return await asyncio.to_thread(_read, self._path, lambda conn: store.find_by_digest(conn, digest))

    async def recent(self, since: datetime.datetime) -> list[StoredEntry]:
        """Return entries that occurred at or after ``since`` (aware), in seq order, for seeding the replay guard."""
        if since.tzinfo is None:
            raise ValueError("since 缺少时区：请传入带时区的 UTC 时间")
        since_text = format_time(since)
        return await asyncio.to_thread(_read, self._path, lambda conn: store.entries_since(conn, since_text))

    async def close(self) -> None:
        """Write all queued entries, then stop the writer; later appends raise AuditClosedError."""
        await self._writer.close()
        logger.info("audit log closed: %s", self._path)


def find_entries(path: pathlib.Path, *, digest_key: bytes, id_number: str) -> list[StoredEntry]:
    """Return the entries about ``id_number`` from a log file, read-only, without opening a writer.

    Raises AuditConfigError when ``digest_key`` is not the key the log was
    created with, since every search would then come back empty.
    """
    digest = subject_digest(digest_key, id_number)

    def query(conn: sqlite3.Connection) -> list[StoredEntry]:
        stored_check = store.read_meta(conn).get("key_check")
        if stored_check != key_check(digest_key):
            raise AuditConfigError("审计密钥与该日志不匹配，请使用该节点的审计密钥", "The audit key does not match this log; use the node's audit key")
        return store.find_by_digest(conn, digest)

    return _read(pathlib.Path(path), query)


def _read(path: pathlib.Path, query: Callable[[sqlite3.Connection], list[StoredEntry]]) -> list[StoredEntry]:
    conn = store.connect_reader(path)
    try:
        return query(conn)
    finally:
        conn.close()


def _check_open_arguments(node_id: str, digest_key: bytes, checkpoint_every: int) -> None:
    try:
        check_node_id(node_id)
    except HeduiError as exc:
        raise AuditConfigError(f"节点标识无效：{node_id}", f"Invalid node id: {node_id}") from exc
    if not isinstance(digest_key, bytes) or len(digest_key) < MIN_KEY_BYTES:
        raise AuditConfigError(
            f"审计密钥至少需要 {MIN_KEY_BYTES} 字节", f"The audit key must be at least {MIN_KEY_BYTES} bytes"
        )
    if isinstance(checkpoint_every, bool) or not isinstance(checkpoint_every, int) or checkpoint_every < 1:
        raise AuditConfigError("checkpoint_every 须为正整数", "checkpoint_every must be a positive integer")

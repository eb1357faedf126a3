"""The audit log's writer, which group-commits queued appends.

Appends queue on the event loop. One writer task takes whatever has queued
up (at most ``max_batch`` items), inserts it in one transaction on the event
loop, then runs COMMIT (an fsync under synchronous=FULL) in a worker thread
and only after it resolves each caller's future. Under load many appends
share one fsync, and a lone append still gets its own commit at once.

The inserts stay on the event loop on purpose: a writer thread that took the
GIL back for every sqlite3 call cost several times more CPU per entry on a
busy node than the inserts themselves.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import pathlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hedui.gateway import _audit_store as store
from hedui.gateway._audit_codec import GENESIS, canonical_bytes, chain_hash, checkpoint_message, format_time, leaf_hash
from hedui.gateway._audit_errors import AuditClosedError, AuditError
from hedui.gateway._audit_records import Checkpoint

logger = logging.getLogger(__name__)

Signer = Callable[[bytes], tuple[str, bytes]]

# A log that committed less than BUSY_SECONDS ago counts as busy, and a busy
# log waits COMMIT_DELAY_SECONDS before its next commit to gather more entries.
# An fsync cost about 0.17 ms of CPU on the 2-core VM behind docs/benchmarks.md.
BUSY_SECONDS = 0.010
COMMIT_DELAY_SECONDS = 0.002


@dataclass
class _Pending:
    """A queued request and the future of the caller waiting for its commit."""

    future: asyncio.Future[Any]
    document: dict[str, Any] | None = None  # None for a checkpoint request
    outcome: Any = field(default=None)


class AuditWriter:
    """The writing connection, the chain head and the writer task. Use from one event loop."""

    def __init__(self, path: pathlib.Path, *, node_id: str, key_check: str, signer: Signer | None,
                 checkpoint_every: int, max_batch: int) -> None:
        self._path = path
        self._node_id = node_id
        self._key_check = key_check
        self._signer = signer
        self._checkpoint_every = checkpoint_every
        self._max_batch = max_batch
        self._queue: list[_Pending] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._seq = 0
        self._head = GENESIS

    async def start(self) -> None:
        """Open the connection, load the chain head and start the writer task."""
        self._conn = await asyncio.to_thread(self._open)
        self._task = asyncio.create_task(self._serve(), name=f"audit-writer {self._path.name}")

    def _open(self) -> sqlite3.Connection:
        conn = store.connect_writer(self._path)
        try:
            store.check_meta(conn, self._node_id, self._key_check)
            self._load_head(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def submit(self, document: dict[str, Any] | None) -> asyncio.Future[Any]:
        """Queue an entry document (or None for a checkpoint) and return the future of its commit."""
        if self._closed:
            raise AuditClosedError()
        pending = _Pending(future=asyncio.get_running_loop().create_future(), document=document)
        self._queue.append(pending)
        self._wakeup.set()
        return pending.future

    async def close(self) -> None:
        """Write everything queued so far, then stop the writer; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
        if self._conn is not None:
            self._conn.close()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        last_commit = float("-inf")
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            # Like PostgreSQL's commit_delay: on a busy log, wait briefly so more
            # entries share the next fsync, which costs far more CPU than an insert.
            if loop.time() - last_commit < BUSY_SECONDS and len(self._queue) < self._max_batch and not self._closed:
                await asyncio.sleep(COMMIT_DELAY_SECONDS)
            while self._queue:
                batch = self._queue[:self._max_batch]
                del self._queue[:self._max_batch]
                await self._write_batch(batch)
                last_commit = loop.time()
            if self._closed:
                return

    async def _write_batch(self, batch: list[_Pending]) -> None:
        conn = self._conn
        assert conn is not None
        start_seq = self._seq
        try:
            conn.execute("BEGIN IMMEDIATE")
            self._write_items(conn, batch)
            self._auto_checkpoint(conn, start_seq)
            await asyncio.to_thread(conn.execute, "COMMIT")
            logger.debug("audit batch committed: %s items up to seq %s", len(batch), self._seq)
        except BaseException as exc:  # noqa: BLE001 - every waiting caller must learn of the failure
            logger.error("audit batch of %s items failed and was rolled back: %s", len(batch), exc)
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._load_head(conn)
            failure = AuditError(f"审计记录写入失败：{exc}", f"Writing the audit entry failed: {exc}")
            failure.__cause__ = exc
            for pending in batch:
                pending.outcome = failure
        _settle(batch)

    def _write_items(self, conn: sqlite3.Connection, batch: list[_Pending]) -> None:
        """Chain the batch's entries in order and insert them with one executemany per table.

        Few sqlite3 calls per batch matter because each call hands the GIL
        back and forth with the busy event-loop thread. A checkpoint request
        first flushes the entries queued before it, so it signs the head it saw.
        """
        entries: list[tuple[Any, ...]] = []
        subjects: list[tuple[str, int]] = []
        for pending in batch:
            if pending.document is None:
                self._flush(conn, entries, subjects)
                pending.outcome = self._try_checkpoint(conn)
                continue
            leaf = leaf_hash(canonical_bytes(pending.document))
            link = chain_hash(self._head, leaf)
            seq = self._seq + 1
            entries.append((seq, *store.document_row(pending.document), leaf, link))
            subjects.extend((digest, seq) for digest in pending.document["subjects"])
            self._seq, self._head = seq, link
            pending.outcome = seq
        self._flush(conn, entries, subjects)

    @staticmethod
    def _flush(conn: sqlite3.Connection, entries: list[tuple[Any, ...]], subjects: list[tuple[str, int]]) -> None:
        if entries:
            conn.executemany(store.INSERT_ENTRY, entries)
            entries.clear()
        if subjects:
            conn.executemany("INSERT OR IGNORE INTO audit_subjects (subject_digest, seq) VALUES (?, ?)", subjects)
            subjects.clear()

    def _try_checkpoint(self, conn: sqlite3.Connection) -> Checkpoint | Exception:
        if self._signer is None:
            return AuditError("未配置检查点签名器，无法生成检查点", "No checkpoint signer is configured")
        try:
            return self._write_checkpoint(conn)
        except Exception as exc:  # noqa: BLE001 - a signer failure fails this checkpoint, not the batch
            logger.warning("audit checkpoint at seq %s failed: %s", self._seq, exc)
            failure = AuditError(f"检查点签名失败：{exc}", f"Signing the checkpoint failed: {exc}")
            failure.__cause__ = exc
            return failure

    def _auto_checkpoint(self, conn: sqlite3.Connection, start_seq: int) -> None:
        every = self._checkpoint_every
        if self._signer is None or self._seq // every == start_seq // every:
            return
        outcome = self._try_checkpoint(conn)
        if isinstance(outcome, Checkpoint):
            logger.debug("automatic audit checkpoint at seq %s", outcome.seq)

    def _write_checkpoint(self, conn: sqlite3.Connection) -> Checkpoint:
        assert self._signer is not None
        created_at = datetime.datetime.now(datetime.timezone.utc)
        message = checkpoint_message(self._node_id, self._seq, self._head, created_at)
        key_id, signature = self._signer(message)
        if not isinstance(key_id, str) or not key_id or not isinstance(signature, bytes) or not signature:
            raise TypeError("checkpoint signer must return (non-empty key id str, non-empty signature bytes)")
        conn.execute(
            "INSERT INTO audit_checkpoints (node, seq, chain_hash, created_at, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)",
            (self._node_id, self._seq, self._head, format_time(created_at), key_id, signature),
        )
        return Checkpoint(self._node_id, self._seq, self._head, created_at, key_id, signature)

    def _load_head(self, conn: sqlite3.Connection) -> None:
        head = store.load_head(conn)
        self._seq, self._head = (0, GENESIS) if head is None else head


def _settle(group: list[_Pending]) -> None:
    for pending in group:
        if pending.future.cancelled():
            continue
        if isinstance(pending.outcome, BaseException):
            pending.future.set_exception(pending.outcome)
        else:
            pending.future.set_result(pending.outcome)

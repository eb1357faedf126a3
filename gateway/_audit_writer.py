"""The audit log's single writer thread, which group-commits queued appends.

Every append and checkpoint goes through one queue to one thread that owns
the only writing connection. The thread takes whatever has queued up (at most
``max_batch`` items), writes it in one transaction, commits (an fsync under
synchronous=FULL) and only then resolves each caller's future. Under load,
many appends share one fsync; a lone append still gets its own commit at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import logging
import pathlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hedui.gateway import _audit_store as store
from hedui.gateway._audit_codec import GENESIS, canonical_bytes, chain_hash, checkpoint_message, format_time, leaf_hash
from hedui.gateway._audit_errors import AuditClosedError, AuditError
from hedui.gateway._audit_records import Checkpoint

logger = logging.getLogger(__name__)

Signer = Callable[[bytes], tuple[str, bytes]]


@dataclass
class _Pending:
    """A queued request and the future of the caller waiting for its commit."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    document: dict[str, Any] | None = None  # None for a checkpoint request
    outcome: Any = field(default=None)


class AuditWriter:
    """The writing connection and chain head; public methods run on the event loop, ``_run`` on the writer thread."""

    def __init__(self, path: pathlib.Path, *, node_id: str, key_check: str, signer: Signer | None,
                 checkpoint_every: int, max_batch: int) -> None:
        self._path = path
        self._node_id = node_id
        self._key_check = key_check
        self._signer = signer
        self._checkpoint_every = checkpoint_every
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, name=f"audit-writer {path.name}", daemon=True)
        self._closed = False
        self._seq = 0
        self._head = GENESIS

    async def start(self) -> None:
        """Start the thread and wait until the schema and chain head are loaded."""
        self._thread.start()
        await asyncio.wrap_future(self._ready)

    def submit(self, document: dict[str, Any] | None) -> asyncio.Future[Any]:
        """Queue an entry document (or None for a checkpoint) and return the future of its commit."""
        if self._closed:
            raise AuditClosedError()
        loop = asyncio.get_running_loop()
        pending = _Pending(loop=loop, future=loop.create_future(), document=document)
        self._queue.put(pending)
        return pending.future

    async def close(self) -> None:
        """Write everything queued so far, then stop the thread; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)

    def _run(self) -> None:
        try:
            conn = store.connect_writer(self._path)
            store.check_meta(conn, self._node_id, self._key_check)
            self._load_head(conn)
        except BaseException as exc:  # noqa: BLE001 - handed to the opener, which re-raises it
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            self._serve(conn)
        finally:
            conn.close()

    def _serve(self, conn: sqlite3.Connection) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._take_batch()
            if batch:
                self._write_batch(conn, batch)

    def _take_batch(self) -> tuple[list[_Pending], bool]:
        first = self._queue.get()
        if first is None:
            return [], True
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                return batch, True
            batch.append(item)
        return batch, False

    def _write_batch(self, conn: sqlite3.Connection, batch: list[_Pending]) -> None:
        start_seq = self._seq
        conn.execute("BEGIN IMMEDIATE")
        try:
            for pending in batch:
                pending.outcome = self._write_one(conn, pending)
            self._auto_checkpoint(conn, start_seq)
            conn.execute("COMMIT")
            logger.debug("audit batch committed: %s items up to seq %s", len(batch), self._seq)
        except BaseException as exc:  # noqa: BLE001 - every waiting caller must learn of the failure
            logger.error("audit batch of %s items failed and was rolled back: %s", len(batch), exc)
            conn.execute("ROLLBACK")
            self._load_head(conn)
            failure = AuditError(f"审计记录写入失败：{exc}", f"Writing the audit entry failed: {exc}")
            failure.__cause__ = exc
            for pending in batch:
                pending.outcome = failure
        _resolve(batch)

    def _write_one(self, conn: sqlite3.Connection, pending: _Pending) -> int | Checkpoint | Exception:
        if pending.document is None:
            return self._try_checkpoint(conn)
        leaf = leaf_hash(canonical_bytes(pending.document))
        link = chain_hash(self._head, leaf)
        seq = self._seq + 1
        conn.execute(store.INSERT_ENTRY, (seq, *store.document_row(pending.document), leaf, link))
        conn.executemany(
            "INSERT OR IGNORE INTO audit_subjects (subject_digest, seq) VALUES (?, ?)",
            [(digest, seq) for digest in pending.document["subjects"]],
        )
        self._seq, self._head = seq, link
        return seq

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


def _resolve(batch: list[_Pending]) -> None:
    """Settle the futures of a committed batch with one wake-up per event loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Pending]] = {}
    for pending in batch:
        by_loop.setdefault(pending.loop, []).append(pending)
    for loop, group in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, group)
        except RuntimeError:
            logger.debug("an audit caller's event loop closed before its commit was reported")


def _settle(group: list[_Pending]) -> None:
    for pending in group:
        if pending.future.cancelled():
            continue
        if isinstance(pending.outcome, BaseException):
            pending.future.set_exception(pending.outcome)
        else:
            pending.future.set_result(pending.outcome)

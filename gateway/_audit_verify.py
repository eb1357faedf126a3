"""Offline verification of an audit log file's hash chain and signed checkpoints."""

from __future__ import annotations

import logging
import pathlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hedui.gateway import _audit_store as store
from hedui.gateway._audit_codec import GENESIS, HASH_SIZE, canonical_bytes, chain_hash, checkpoint_message, leaf_hash, parse_time
from hedui.gateway._audit_errors import (
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
from hedui.gateway._audit_records import VerifyResult

logger = logging.getLogger(__name__)

CheckpointVerifier = Callable[[str, bytes, bytes], None]


@dataclass(frozen=True)
class _StoredCheckpoint:
    node: str
    seq: int
    chain_hash: bytes
    created_at: str
    key_id: str
    signature: bytes


def verify_log(path: pathlib.Path, *, verify_checkpoint: CheckpointVerifier | None = None) -> VerifyResult:
    """Verify the audit log at ``path`` and return its counts, or raise an AuditChainError subclass.

    Steps:

    1. Open the file read-only and read the node id it was created for.
    2. Load the checkpoints and check their shape before using them: seq is a
       non-negative integer, the chain hash is 32 bytes, the node is this log's.
    3. Verify each checkpoint's signature with ``verify_checkpoint(key_id,
       message, signature)``; any exception it raises is a forged checkpoint.
       Without a verifier the signatures are not checked, and the result records that.
    4. Walk the entries in seq order, and for each entry:
       a. check its seq is the previous seq + 1 (a gap is a deleted entry) and
          its stored hashes are 32 bytes;
       b. recompute the leaf hash from its columns and compare it with the
          stored leaf hash (an edited entry);
       c. link the leaf to the previous chain hash and compare the result with
          the stored chain hash; a mismatch is diagnosed as an inserted,
          reordered or missing entry;
       d. compare the computed chain hash with every checkpoint at this seq
          (a chain rewritten consistently after an edit).
    5. Check that no checkpoint covers a seq past the last entry (a truncated tail).
    """
    # Step 1.
    conn = store.connect_reader(pathlib.Path(path))
    try:
        node = _read_node(conn)
        # Step 2.
        checkpoints = _load_checkpoints(conn, node)
        # Step 3.
        if verify_checkpoint is not None:
            _verify_signatures(checkpoints, verify_checkpoint)
        # Step 4.
        by_seq: dict[int, list[_StoredCheckpoint]] = {}
        for checkpoint in checkpoints:
            by_seq.setdefault(checkpoint.seq, []).append(checkpoint)
        last_seq, head = _walk(conn, by_seq)
    finally:
        conn.close()

    # Step 5.
    covered = max((checkpoint.seq for checkpoint in checkpoints), default=0)
    if covered > last_seq:
        promised = next(c.chain_hash for c in checkpoints if c.seq == covered)
        raise TruncatedLogError(last_seq + 1, expected=promised, found=head)

    logger.debug("audit log %s verified: %s entries, %s checkpoints", path, last_seq, len(checkpoints))
    return VerifyResult(last_seq, len(checkpoints), last_seq, head, verify_checkpoint is not None)


def _read_node(conn: sqlite3.Connection) -> str:
    try:
        node = store.read_meta(conn).get("node_id")
    except sqlite3.DatabaseError as exc:
        raise AuditFormatError(0, f"不是审计日志数据库（{exc}）", f"not an audit log database ({exc})") from exc
    if node is None:
        raise AuditFormatError(0, "缺少节点标识", "the node id is missing")
    return node


def _load_checkpoints(conn: sqlite3.Connection, node: str) -> list[_StoredCheckpoint]:
    loaded = []
    for row in conn.execute(store.SELECT_CHECKPOINTS):
        values = dict(zip(store.CHECKPOINT_COLUMNS, row))
        seq, digest = values["seq"], values["chain_hash"]
        if not isinstance(seq, int) or seq < 0:
            raise AuditFormatError(0, f"检查点 {values['id']} 的序号无效", f"checkpoint {values['id']} has an invalid seq")
        if not isinstance(digest, bytes) or len(digest) != HASH_SIZE:
            raise AuditFormatError(seq, "检查点链头不是 32 字节", "the checkpoint chain hash is not 32 bytes")
        if values["node"] != node:
            raise AuditFormatError(seq, f"检查点属于节点 {values['node']}", f"the checkpoint belongs to node {values['node']}")
        del values["id"]
        loaded.append(_StoredCheckpoint(**values))
    return loaded


def _verify_signatures(checkpoints: list[_StoredCheckpoint], verify_checkpoint: CheckpointVerifier) -> None:
    for checkpoint in checkpoints:
        try:
            created_at = parse_time(checkpoint.created_at)
        except (TypeError, ValueError) as exc:
            raise AuditFormatError(checkpoint.seq, "检查点时间无效", "the checkpoint time is invalid") from exc
        message = checkpoint_message(checkpoint.node, checkpoint.seq, checkpoint.chain_hash, created_at)
        try:
            verify_checkpoint(checkpoint.key_id, message, checkpoint.signature)
        except Exception as exc:
            logger.warning("audit checkpoint at seq %s has an invalid signature (key %s)", checkpoint.seq, checkpoint.key_id)
            raise CheckpointSignatureError(checkpoint.seq, expected=checkpoint.chain_hash) from exc


def _walk(conn: sqlite3.Connection, checkpoints: dict[int, list[_StoredCheckpoint]]) -> tuple[int, bytes]:
    """Run step 4 over all entries and return (last seq, head hash)."""
    _compare_checkpoints(checkpoints.get(0, []), 0, GENESIS)
    previous_seq, previous = 0, GENESIS
    for row in conn.execute(f"{store.SELECT_ENTRIES} ORDER BY seq"):
        seq, stored_leaf, stored_chain = row[0], row[-2], row[-1]
        # Step 4a.
        if seq != previous_seq + 1:
            raise EntryMissingError(previous_seq + 1, expected=previous, found=stored_chain if _is_hash(stored_chain) else None)
        if not _is_hash(stored_leaf) or not _is_hash(stored_chain):
            raise AuditFormatError(seq, "叶哈希或链哈希不是 32 字节", "the leaf or chain hash is not 32 bytes")
        # Step 4b.
        leaf = _recompute_leaf(row)
        if leaf is None or leaf != stored_leaf:
            raise EntryModifiedError(seq, expected=stored_leaf, found=leaf)
        # Step 4c.
        computed = chain_hash(previous, leaf)
        if computed != stored_chain:
            _diagnose_link(conn, seq, leaf, previous, computed, stored_chain)
        # Step 4d.
        _compare_checkpoints(checkpoints.get(seq, []), seq, computed)
        previous_seq, previous = seq, computed
    return previous_seq, previous


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _recompute_leaf(row: tuple[Any, ...]) -> bytes | None:
    # A column that no longer decodes is an edit too; None never equals a stored hash.
    try:
        return leaf_hash(canonical_bytes(store.row_document(row)))
    except (TypeError, ValueError):
        return None


def _compare_checkpoints(checkpoints: list[_StoredCheckpoint], seq: int, computed: bytes) -> None:
    for checkpoint in checkpoints:
        if checkpoint.chain_hash != computed:
            raise CheckpointMismatchError(seq, expected=checkpoint.chain_hash, found=computed)


def _diagnose_link(conn: sqlite3.Connection, seq: int, leaf: bytes, previous: bytes, computed: bytes, stored: bytes) -> None:
    """Raise the most specific error for an entry whose stored chain hash does not follow from its predecessor."""
    predecessor = _find_predecessor(conn, leaf, stored)
    if predecessor is not None and predecessor >= seq:
        raise EntryReorderedError(seq, expected=computed, found=stored)
    if predecessor is not None:
        # The entry was chained right after `predecessor`, so everything between was added later.
        raise EntryInsertedError(predecessor + 1, expected=computed, found=stored)

    following = conn.execute("SELECT leaf_hash, chain_hash FROM audit_entries WHERE seq = ?", (seq + 1,)).fetchone()
    if following is not None and _is_hash(following[0]):
        next_leaf, next_chain = following
        if chain_hash(previous, next_leaf) == next_chain:
            raise EntryInsertedError(seq, expected=computed, found=stored)
        if chain_hash(computed, next_leaf) == next_chain:
            raise EntryModifiedError(seq, expected=computed, found=stored)
        if chain_hash(stored, next_leaf) == next_chain:
            raise EntryMissingError(seq, expected=computed, found=stored)
    raise ChainLinkError(seq, expected=computed, found=stored)


def _find_predecessor(conn: sqlite3.Connection, leaf: bytes, stored: bytes) -> int | None:
    """Return the seq whose stored chain hash ``stored`` was linked from (0 for genesis), or None."""
    if chain_hash(GENESIS, leaf) == stored:
        return 0
    for seq, candidate in conn.execute("SELECT seq, chain_hash FROM audit_entries ORDER BY seq"):
        if isinstance(candidate, bytes) and chain_hash(candidate, leaf) == stored:
            return int(seq)
    return None

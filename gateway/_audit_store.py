"""SQLite schema, connections and row conversions of the audit log."""

from __future__ import annotations

import json
import pathlib
import sqlite3
from typing import Any

from hedui.gateway._audit_codec import FORMAT_VERSION, parse_time
from hedui.gateway._audit_errors import AuditConfigError
from hedui.gateway._audit_records import StoredEntry

# Column order of audit_entries after seq; the names match the canonical document's members.
DOCUMENT_COLUMNS = (
    "occurred_at", "request_id", "caller", "node", "action", "subjects", "authorization_id",
    "categories", "outcome", "reason", "answer_sha256", "nonce", "issued_at",
)
ENTRY_COLUMNS = ("seq", *DOCUMENT_COLUMNS, "leaf_hash", "chain_hash")
SELECT_ENTRIES = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit_entries"
INSERT_ENTRY = f"INSERT INTO audit_entries ({', '.join(ENTRY_COLUMNS)}) VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})"
CHECKPOINT_COLUMNS = ("id", "node", "seq", "chain_hash", "created_at", "key_id", "signature")
SELECT_CHECKPOINTS = f"SELECT {', '.join(CHECKPOINT_COLUMNS)} FROM audit_checkpoints ORDER BY id"

_TABLES = """
CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_entries (
    seq INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    request_id TEXT NOT NULL,
    caller TEXT NOT NULL,
    node TEXT NOT NULL,
    action TEXT NOT NULL,
    subjects TEXT NOT NULL,
    authorization_id TEXT NOT NULL,
    categories TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    answer_sha256 TEXT NOT NULL,
    nonce TEXT NOT NULL,
    issued_at TEXT,
    leaf_hash BLOB NOT NULL,
    chain_hash BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_entries_occurred_at ON audit_entries (occurred_at);
CREATE TABLE IF NOT EXISTS audit_subjects (
    subject_digest TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (subject_digest, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    id INTEGER PRIMARY KEY,
    node TEXT NOT NULL,
    seq INTEGER NOT NULL,
    chain_hash BLOB NOT NULL,
    created_at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature BLOB NOT NULL
);
"""

# NOTE: these triggers also forbid pruning. Retention beyond six months will
# need archiving whole signed segments rather than deleting rows.
_APPEND_ONLY = "".join(
    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;\n"
    for table in ("audit_meta", "audit_entries", "audit_subjects", "audit_checkpoints")
    for verb in ("UPDATE", "DELETE")
)


def connect_writer(path: pathlib.Path) -> sqlite3.Connection:
    """Open the single writing connection: WAL, and an fsync on every commit (synchronous=FULL).

    The connection is used from the event loop and, for COMMIT only, from a
    worker thread, never from both at once; hence check_same_thread=False.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        conn.close()
        raise AuditConfigError(f"审计日志 {path} 无法启用 WAL 模式（当前 {mode}）", f"Cannot enable WAL mode on audit log {path} (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(_TABLES + _APPEND_ONLY)
    return conn


def connect_reader(path: pathlib.Path) -> sqlite3.Connection:
    """Open a read-only connection, raising FileNotFoundError when the log does not exist."""
    if not path.is_file():
        raise FileNotFoundError(f"审计日志文件不存在：{path}")
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def check_meta(conn: sqlite3.Connection, node_id: str, key_check: str) -> None:
    """Record node id, format and key check on first open; raise AuditConfigError when they differ later."""
    wanted = {"format_version": str(FORMAT_VERSION), "node_id": node_id, "key_check": key_check}
    conn.execute("BEGIN IMMEDIATE")
    try:
        stored = dict(conn.execute("SELECT key, value FROM audit_meta").fetchall())
        for key, value in wanted.items():
            if key not in stored:
                conn.execute("INSERT INTO audit_meta (key, value) VALUES (?, ?)", (key, value))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _raise_on_mismatch(stored, wanted)


def _raise_on_mismatch(stored: dict[str, str], wanted: dict[str, str]) -> None:
    if stored.get("format_version", wanted["format_version"]) != wanted["format_version"]:
        raise AuditConfigError(
            f"审计日志格式版本 {stored['format_version']} 不受支持", f"Unsupported audit log format version {stored['format_version']}"
        )
    if stored.get("node_id", wanted["node_id"]) != wanted["node_id"]:
        raise AuditConfigError(
            f"该审计日志属于节点 {stored['node_id']}，不是 {wanted['node_id']}",
            f"This audit log belongs to node {stored['node_id']}, not {wanted['node_id']}",
        )
    if stored.get("key_check", wanted["key_check"]) != wanted["key_check"]:
        raise AuditConfigError(
            "审计密钥与创建该日志时使用的密钥不一致，请使用原密钥", "The audit key differs from the key this log was created with; use the original key"
        )


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """Return the audit_meta table as a dict."""
    return dict(conn.execute("SELECT key, value FROM audit_meta").fetchall())


def document_row(document: dict[str, Any]) -> tuple[Any, ...]:
    """Return the document-column values for an entry document, in DOCUMENT_COLUMNS order."""
    values = dict(document)
    values["subjects"] = json.dumps(document["subjects"], separators=(",", ":"))
    values["categories"] = json.dumps(document["categories"], separators=(",", ":"))
    return tuple(values[name] for name in DOCUMENT_COLUMNS)


def row_document(row: tuple[Any, ...]) -> dict[str, Any]:
    """Rebuild the canonical document of a full entry row; ValueError when a list column is not JSON."""
    values = dict(zip(ENTRY_COLUMNS, row))
    document = {name: values[name] for name in DOCUMENT_COLUMNS}
    document["subjects"] = json.loads(values["subjects"])
    document["categories"] = json.loads(values["categories"])
    document["v"] = FORMAT_VERSION
    return document


def row_entry(row: tuple[Any, ...]) -> StoredEntry:
    """Convert a full entry row into a StoredEntry."""
    values = dict(zip(ENTRY_COLUMNS, row))
    issued_at = values["issued_at"]
    return StoredEntry(
        seq=values["seq"],
        occurred_at=parse_time(values["occurred_at"]),
        request_id=values["request_id"],
        caller=values["caller"],
        node=values["node"],
        action=values["action"],
        subject_digests=tuple(json.loads(values["subjects"])),
        authorization_id=values["authorization_id"],
        categories=tuple(json.loads(values["categories"])),
        outcome=values["outcome"],
        reason=values["reason"],
        answer_sha256=bytes.fromhex(values["answer_sha256"]),
        nonce=bytes.fromhex(values["nonce"]),
        issued_at=None if issued_at is None else parse_time(issued_at),
        leaf_hash=values["leaf_hash"],
        chain_hash=values["chain_hash"],
    )


def find_by_digest(conn: sqlite3.Connection, digest: str) -> list[StoredEntry]:
    """Return the entries whose chained subject list contains ``digest``, in seq order."""
    rows = conn.execute(
        f"{SELECT_ENTRIES} WHERE seq IN (SELECT seq FROM audit_subjects WHERE subject_digest = ?) ORDER BY seq",
        (digest,),
    ).fetchall()
    # The index table is not chained, so the chained column has the final say.
    entries = (row_entry(row) for row in rows)
    return [entry for entry in entries if digest in entry.subject_digests]


def entries_since(conn: sqlite3.Connection, since_text: str) -> list[StoredEntry]:
    """Return entries that occurred at or after a time formatted by format_time, in seq order."""
    rows = conn.execute(f"{SELECT_ENTRIES} WHERE occurred_at >= ? ORDER BY seq", (since_text,)).fetchall()
    return [row_entry(row) for row in rows]


def load_head(conn: sqlite3.Connection) -> tuple[int, bytes] | None:
    """Return (seq, chain hash) of the last entry, or None for an empty log."""
    row = conn.execute("SELECT seq, chain_hash FROM audit_entries ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else (row[0], row[1])


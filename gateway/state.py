"""A node's own small state in SQLite: revocation lists and authorization use counts."""

from __future__ import annotations

import asyncio
import pathlib
import sqlite3
import threading

_SCHEMA = """
CREATE TABLE IF NOT EXISTS revocation_lists (
    issuer TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    signed BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS revoked (
    issuer TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (issuer, record_id)
);
CREATE TABLE IF NOT EXISTS authorization_uses (
    issuer TEXT NOT NULL,
    record_id TEXT NOT NULL,
    uses INTEGER NOT NULL,
    PRIMARY KEY (issuer, record_id)
);
"""


class NodeState:
    """Revocations and use counts, kept in memory and written through to SQLite."""

    def __init__(self, path: pathlib.Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._versions = dict(self._db.execute("SELECT issuer, version FROM revocation_lists"))
        self._revoked: dict[tuple[str, str], int] = {
            (issuer, record_id): version
            for issuer, record_id, version in self._db.execute("SELECT issuer, record_id, version FROM revoked")
        }

    def revocation_version(self, issuer: str) -> int:
        """Return the version of the issuer's list held here, 0 if none."""
        return self._versions.get(issuer, 0)

    def revoked_in(self, issuer: str, record_id: str) -> int | None:
        """Return the list version that revoked the record, or None."""
        return self._revoked.get((issuer, record_id))

    def store_revocations(self, issuer: str, version: int, record_ids: list[str], signed: bytes) -> None:
        """Replace the issuer's revocation list in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO revocation_lists (issuer, version, signed) VALUES (?, ?, ?) "
                    "ON CONFLICT(issuer) DO UPDATE SET version = excluded.version, signed = excluded.signed",
                    (issuer, version, signed),
                )
                self._db.execute("DELETE FROM revoked WHERE issuer = ?", (issuer,))
                self._db.executemany(
                    "INSERT INTO revoked (issuer, record_id, version) VALUES (?, ?, ?)",
                    [(issuer, record_id, version) for record_id in record_ids],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._versions[issuer] = version
            self._revoked = {key: v for key, v in self._revoked.items() if key[0] != issuer}
            self._revoked.update({(issuer, record_id): version for record_id in record_ids})

    def _take_use(self, issuer: str, record_id: str, limit: int) -> int | None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT uses FROM authorization_uses WHERE issuer = ? AND record_id = ?", (issuer, record_id)
                ).fetchone()
                uses = row[0] if row else 0
                if uses >= limit:
                    self._db.execute("ROLLBACK")
                    return None
                self._db.execute(
                    "INSERT INTO authorization_uses (issuer, record_id, uses) VALUES (?, ?, 1) "
                    "ON CONFLICT(issuer, record_id) DO UPDATE SET uses = uses + 1",
                    (issuer, record_id),
                )
                self._db.execute("COMMIT")
                return uses + 1
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    async def take_use(self, issuer: str, record_id: str, limit: int) -> int | None:
        """Count one use of a record with a limit; return the new count, or None if spent."""
        return await asyncio.to_thread(self._take_use, issuer, record_id, limit)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

"""Measure audit appends per second: one commit per entry versus group commit, 64 concurrent appenders.

Run: python bench/audit_append.py [--entries N] [--tasks N] [--dir PATH]
The last line printed is the ratio group/single. Both runs use the same
writer thread, WAL and synchronous=FULL; the baseline only caps each
transaction at one entry, so each entry pays its own fsync.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import pathlib
import tempfile
import time

from hedui.gateway.audit import AuditEntry, AuditLog

NODE = "140000/MZ"
KEY = bytes(range(32))


class _OneCommitPerEntry(AuditLog):
    _max_batch = 1


def _entry(number: int) -> AuditEntry:
    return AuditEntry(
        occurred_at=datetime.datetime.now(datetime.timezone.utc),
        request_id=f"bench-{number}",
        caller="140100/MZ/HDXT",
        node=NODE,
        action="answer",
        subject_id_numbers=("11010519491231002X", "140105199003071233"),
        authorization_id="SQ-140100-2025-0001",
        categories=(1, 7, 12),
        outcome="ok",
        reason="",
        answer_sha256=hashlib.sha256(b"%d" % number).digest(),
        nonce=number.to_bytes(16, "big"),
    )


async def _measure(log_class: type[AuditLog], path: pathlib.Path, entries: int, tasks: int) -> float:
    log = await log_class.open(path, node_id=NODE, digest_key=KEY)
    per_task = entries // tasks

    async def appender(task: int) -> None:
        for index in range(per_task):
            await log.append(_entry(task * per_task + index))

    started = time.perf_counter()
    await asyncio.gather(*(appender(task) for task in range(tasks)))
    elapsed = time.perf_counter() - started
    await log.close()
    return per_task * tasks / elapsed


async def _main(entries: int, tasks: int, folder: pathlib.Path) -> None:
    single = await _measure(_OneCommitPerEntry, folder / "single.sqlite", entries, tasks)
    print(f"one commit per entry: {single:,.0f} entries/s ({tasks} appenders, {entries} entries)")
    grouped = await _measure(AuditLog, folder / "group.sqlite", entries, tasks)
    print(f"group commit:         {grouped:,.0f} entries/s ({tasks} appenders, {entries} entries)")
    print(f"ratio group/single: {grouped / single:.1f}")


def main() -> None:
    """Parse options and run both measurements in a fresh folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=4096, help="entries appended per run")
    parser.add_argument("--tasks", type=int, default=64, help="concurrent appending tasks")
    parser.add_argument("--dir", type=pathlib.Path, help="folder for the databases (default: a new temporary folder)")
    args = parser.parse_args()
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(_main(args.entries, args.tasks, args.dir))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_main(args.entries, args.tasks, pathlib.Path(folder)))


if __name__ == "__main__":
    main()

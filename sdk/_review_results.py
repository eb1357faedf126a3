"""The results file of a periodic review: JSON Lines, one line per household, resumable after an interruption.

Each line is ``ReviewResult.to_dict()`` written in one piece and flushed at
once, so a process that is stopped (Ctrl-C, SIGTERM, SIGKILL) leaves every
finished household on disk except, at worst, a last line cut short. On
open, that cut line is dropped, and the case ids of all complete lines are
returned as finished so that a rerun skips them.

NOTE: lines are flushed to the operating system at once but fsynced at most
once a second and on close, so a power loss or kernel crash can lose up to
the last second of results. Those households are then verified again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import pathlib
import time
from collections.abc import Collection
from typing import IO, Any

from hedui.sdk._review_errors import ReviewFileError
from hedui.sdk.review import STATUSES, ReviewResult

logger = logging.getLogger(__name__)

FSYNC_INTERVAL_SECONDS = 1.0
# Every line this module writes starts with these bytes, because to_dict puts case_id first.
_LINE_PREFIX = b'{"case_id": '


class ResultsFile:
    """An open, locked results file positioned for appending.

    ``finished`` maps the case id of every kept line to its status, and
    ``dropped_line`` is the number of a cut-short last line that was
    removed (0 when there was none). Use ``ResultsFile.open``; close it, or
    use it in a ``with`` block, to fsync and release the lock.
    """

    def __init__(self, path: pathlib.Path, handle: IO[bytes], finished: dict[str, str], dropped_line: int,
                 removed: int) -> None:
        self.path = path
        self.finished = finished
        self.dropped_line = dropped_line
        self.removed = removed
        self._handle = handle
        self._last_sync = time.monotonic()

    @classmethod
    def open(cls, path: str | pathlib.Path, retry: Collection[str] = ()) -> "ResultsFile":
        """Open or create the file, lock it, check every line and prepare it for appending.

        Steps:

        1. Open (mode 0600 when created, because results hold personal data)
           and take an exclusive lock, so two runs never append to one file.
        2. Read every line. A complete line that is not a result raises
           REVIEW_RESULTS_INVALID with its number; a last line without its
           newline that starts like a result is cut short and dropped.
        3. Lines whose status is in ``retry`` (for example ``failed``) are
           removed by writing the other lines to a new file that replaces
           this one, so each household keeps at most one line.
        """
        path = pathlib.Path(path)
        # 1. Open and lock.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        handle = os.fdopen(fd, "ab")
        try:
            _lock(handle, path)

            # 2. Read and check every line.
            finished, cut_line, cut_offset = _scan(path)
            if cut_line:
                logger.info("dropping the cut-short last line %s of results file %s", cut_line, path)
                handle.truncate(cut_offset)

            # 3. Remove the lines of households to verify again.
            removed = sum(1 for status in finished.values() if status in retry)
            if removed:
                handle = _rewrite_without(path, handle, set(retry))
                finished = {case_id: status for case_id, status in finished.items() if status not in retry}
        except BaseException:
            handle.close()
            raise
        return cls(path, handle, finished, cut_line, removed)

    def append(self, result: ReviewResult) -> None:
        """Write one result as one line and flush it; fsync at most once a second."""
        line = json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n"
        self._handle.write(line)
        self._handle.flush()
        self.finished[result.case_id] = result.status
        now = time.monotonic()
        if now - self._last_sync >= FSYNC_INTERVAL_SECONDS:
            os.fsync(self._handle.fileno())
            self._last_sync = now

    def close(self) -> None:
        """Flush, fsync, release the lock and close the file; safe to call more than once."""
        if self._handle.closed:
            return
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
        finally:
            self._handle.close()

    def __enter__(self) -> "ResultsFile":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _lock(handle: IO[bytes], path: pathlib.Path) -> None:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise ReviewFileError("REVIEW_RESULTS_LOCKED", str(path)) from exc


def _scan(path: pathlib.Path) -> tuple[dict[str, str], int, int]:
    """Return (case id -> status of each complete line, number of a cut-short last line or 0, its offset)."""
    finished: dict[str, str] = {}
    offset = 0
    with path.open("rb") as reader:
        for number, raw in enumerate(reader, start=1):
            if not raw.endswith(b"\n"):
                # Only the last line can lack its newline. Drop it only when it is the start of a
                # result line, so that another kind of file given by mistake is never cut.
                if raw.startswith(_LINE_PREFIX) or _LINE_PREFIX.startswith(raw):
                    return finished, number, offset
                raise _invalid(path, number, ("最后一行不完整，且不是复核结果", "the last line is incomplete and is not a review result"))
            case_id, status = _parse_line(path, number, raw)
            finished[case_id] = status
            offset += len(raw)
    return finished, 0, offset


def _parse_line(path: pathlib.Path, number: int, raw: bytes) -> tuple[str, str]:
    try:
        document: Any = json.loads(raw)
    except ValueError as exc:
        raise _invalid(path, number, ("不是有效的 JSON", "not valid JSON")) from exc
    if not isinstance(document, dict):
        raise _invalid(path, number, ("不是 JSON 对象", "not a JSON object"))
    case_id, status = document.get("case_id"), document.get("status")
    if not isinstance(case_id, str) or not case_id:
        raise _invalid(path, number, ("缺少 case_id", "case_id is missing"))
    if status not in STATUSES:
        raise _invalid(path, number, (f"status 应为 {'、'.join(STATUSES)} 之一", f"status must be one of {', '.join(STATUSES)}"))
    return case_id, status


def _invalid(path: pathlib.Path, number: int, detail: tuple[str, str]) -> ReviewFileError:
    return ReviewFileError("REVIEW_RESULTS_INVALID", str(path), number, detail)


def _rewrite_without(path: pathlib.Path, handle: IO[bytes], statuses: set[str]) -> IO[bytes]:
    """Replace the file by a copy without the lines of these statuses; return the new file's locked handle.

    The copy is fsynced and locked before it replaces the original, so the
    file at ``path`` is always either the old or the new complete version,
    and always locked by this process.
    """
    temporary = path.with_name(f".{path.name}.rewrite-{os.getpid()}")
    fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    replacement = os.fdopen(fd, "ab")
    try:
        _lock(replacement, temporary)
        with path.open("rb") as reader:
            for raw in reader:
                if json.loads(raw)["status"] not in statuses:
                    replacement.write(raw)
        replacement.flush()
        os.fsync(replacement.fileno())
        os.replace(temporary, path)
    except BaseException:
        replacement.close()
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    handle.close()
    return replacement


def _fsync_folder(folder: pathlib.Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

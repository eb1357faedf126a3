"""Bearer tokens of the local API's callers: the callers file and the lookup of a presented token.

The file stores each caller's name and the SHA-256 of its token, never the
token itself, so reading the file does not let anyone call the API. A
token is 32 random bytes from the ``secrets`` module, so an unsalted
SHA-256 is enough, because no dictionary of likely tokens exists.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import json
import logging
import os
import pathlib
import re
import secrets
import tempfile

from hedui.gateway.errors import HeduiError, Reason, os_error_detail
from hedui.gateway.timeutil import utcnow

log = logging.getLogger(__name__)

FORMAT = "hedui-local-api-callers/1"
TOKEN_PREFIX = "hdk_"
# Letters (Chinese too), digits, dot, dash and underscore: safe in logs and shell commands.
NAME_PATTERN = re.compile(r"^[\w.-]{1,64}$")


@dataclasses.dataclass(frozen=True)
class Caller:
    """One registered caller: its name and the SHA-256 of its token."""

    name: str
    token_sha256: bytes
    created_at: str


def new_token() -> str:
    """Return a fresh random bearer token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    """Return the SHA-256 of a token's UTF-8 bytes."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def check_name(name: str) -> str:
    """Return the caller name, or raise INVALID_OPTION saying which characters it may use."""
    if not NAME_PATTERN.match(name):
        raise HeduiError(Reason.INVALID_OPTION, name[:80],
                         ("调用方名称须为 1 到 64 个字母、数字、点、短横线或下划线",
                          "a caller name is 1 to 64 letters, digits, dots, dashes or underscores"))
    return name


def read_callers(path: pathlib.Path) -> list[Caller]:
    """Read the callers file; a missing file means no callers. Raise CONFIG_INVALID if it is damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            raise ValueError("format")
        callers = [Caller(str(item["name"]), bytes.fromhex(item["token_sha256"]), str(item.get("created_at", "")))
                   for item in document["callers"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HeduiError(Reason.CONFIG_INVALID, str(path),
                         (f"调用方文件不是 {FORMAT} 格式，请用 hedui api token 命令维护",
                          f"the callers file is not in {FORMAT} format; maintain it with hedui api token"),
                         "callers_file") from exc
    if any(len(caller.token_sha256) != 32 for caller in callers):
        raise HeduiError(Reason.CONFIG_INVALID, str(path),
                         ("调用方文件中的 token_sha256 须为 64 位十六进制", "token_sha256 in the callers file must be 64 hex digits"),
                         "callers_file")
    return callers


def write_callers(path: pathlib.Path, callers: list[Caller]) -> None:
    """Replace the callers file atomically, readable by its owner only."""
    document = {
        "format": FORMAT,
        "callers": [{"name": c.name, "token_sha256": c.token_sha256.hex(), "created_at": c.created_at} for c in callers],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".callers-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            os.fchmod(stream.fileno(), 0o600)
            json.dump(document, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise


def add_caller(path: pathlib.Path, name: str, now: datetime.datetime | None = None) -> str:
    """Register a caller and return its new token, which is stored only as a digest."""
    check_name(name)
    callers = read_callers(path)
    if any(caller.name == name for caller in callers):
        raise HeduiError(Reason.INVALID_OPTION, name,
                         ("该调用方已存在；要换发令牌，请先 hedui api token remove",
                          "this caller exists; to replace its token, run hedui api token remove first"))
    token = new_token()
    created = (now or utcnow()).isoformat(timespec="seconds")
    write_callers(path, [*callers, Caller(name, token_digest(token), created)])
    return token


def remove_caller(path: pathlib.Path, name: str) -> None:
    """Remove a caller, so its token stops working at the next request."""
    callers = read_callers(path)
    remaining = [caller for caller in callers if caller.name != name]
    if len(remaining) == len(callers):
        raise HeduiError(Reason.INVALID_OPTION, name[:80], ("没有这个调用方", "no caller has this name"))
    write_callers(path, remaining)


class CallerRegistry:
    """The callers file as loaded by the API server, re-read whenever the file changes.

    Re-reading on change lets ``hedui api token add`` and ``remove`` take
    effect without restarting the node. A damaged file keeps the callers
    read before it, so a half-edited file never opens or closes the API.
    """

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        self._stamp: tuple[int, int, int] | None = None
        self._callers: list[Caller] = []
        self._refresh()

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except FileNotFoundError:
            stamp = (0, 0, 0)
        if stamp == self._stamp:
            return
        try:
            self._callers = read_callers(self.path)
        except HeduiError as exc:
            log.error("callers file rejected path=%s reason=%s detail=%s", self.path, exc.reason, exc.message("en"))
            return
        self._stamp = stamp
        log.info("callers file loaded path=%s callers=%s", self.path, len(self._callers))

    def __len__(self) -> int:
        return len(self._callers)

    def authenticate(self, token: str) -> str | None:
        """Return the name of the caller whose token this is, or None.

        Every stored digest is compared, each in constant time, so the
        time taken does not tell which caller, or how much of a digest, matched.
        """
        self._refresh()
        presented = token_digest(token)
        found = None
        for caller in self._callers:
            if hmac.compare_digest(presented, caller.token_sha256):
                found = caller.name
        return found

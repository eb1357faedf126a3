"""Replay guard: request ids and nonces seen inside the clock-skew window."""

from __future__ import annotations

import datetime
import heapq

from hedui.gateway.errors import HeduiError, Reason
from hedui.gateway.timeutil import iso


class ReplayGuard:
    """Rejects requests issued outside the skew window or seen before.

    Entries are kept for twice the skew, which covers every issue time the
    window still accepts, so memory stays bounded by the request rate.
    On restart the node seeds the guard from its audit log.
    """

    def __init__(self, skew: datetime.timedelta) -> None:
        self.skew = skew
        self._seen: dict[bytes, datetime.datetime] = {}
        self._expiry: list[tuple[datetime.datetime, bytes]] = []

    def check_time(self, issued_at: datetime.datetime, now: datetime.datetime) -> None:
        """Raise CLOCK_SKEW if issued_at is further than the skew from now."""
        if abs(now - issued_at) > self.skew:
            raise HeduiError(Reason.CLOCK_SKEW, iso(issued_at),
                             (f"当前时间 {iso(now)}，允许偏差 {int(self.skew.total_seconds())} 秒",
                              f"now {iso(now)}, allowed skew {int(self.skew.total_seconds())} s"))

    def check_and_remember(self, caller: str, request_id: str, nonce: bytes,
                           issued_at: datetime.datetime, now: datetime.datetime) -> None:
        """Check the time window, then reject a repeated request id or nonce and remember both."""
        self.check_time(issued_at, now)
        self._expire(now)
        id_key = b"id:" + caller.encode() + b"\x00" + request_id.encode()
        nonce_key = b"nonce:" + nonce
        if id_key in self._seen:
            raise HeduiError(Reason.REPLAY_DETECTED, request_id, ("请求编号", "request id"))
        if nonce_key in self._seen:
            raise HeduiError(Reason.REPLAY_DETECTED, nonce.hex()[:16], ("随机数", "nonce"))
        self.remember(caller, request_id, nonce, issued_at)

    def remember(self, caller: str, request_id: str, nonce: bytes, issued_at: datetime.datetime) -> None:
        """Record a request as seen without checking it (used to seed from the audit log)."""
        until = issued_at + 2 * self.skew
        for key in (b"id:" + caller.encode() + b"\x00" + request_id.encode(), b"nonce:" + nonce):
            self._seen[key] = until
            heapq.heappush(self._expiry, (until, key))

    def _expire(self, now: datetime.datetime) -> None:
        """Drop entries whose issue time the window no longer accepts."""
        while self._expiry and self._expiry[0][0] < now:
            until, key = heapq.heappop(self._expiry)
            if self._seen.get(key) == until:
                del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)

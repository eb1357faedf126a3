"""Conversions between aware UTC datetimes and protobuf Timestamps."""

from __future__ import annotations

import datetime

from google.protobuf import timestamp_pb2

UTC = datetime.timezone.utc


def utcnow() -> datetime.datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.datetime.now(UTC)


def to_timestamp(moment: datetime.datetime) -> timestamp_pb2.Timestamp:
    """Return a Timestamp for an aware datetime; naive datetimes are rejected."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment.astimezone(UTC))
    return stamp


def from_timestamp(stamp: timestamp_pb2.Timestamp) -> datetime.datetime:
    """Return an aware UTC datetime for a Timestamp."""
    return stamp.ToDatetime(tzinfo=UTC)


def iso(moment: datetime.datetime) -> str:
    """Return a second-precision ISO 8601 string in UTC+8, as users read times."""
    return moment.astimezone(datetime.timezone(datetime.timedelta(hours=8))).isoformat(timespec="seconds")

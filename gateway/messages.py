"""Strict parsing of signed protobuf payloads: unknown fields and rule violations reject."""

from __future__ import annotations

from typing import TypeVar

import protovalidate
from google.protobuf import message as pb_message

from hedui.gateway.errors import HeduiError, Reason

M = TypeVar("M", bound=pb_message.Message)

_validator = protovalidate.Validator()


def check_rules(msg: pb_message.Message, what: str) -> None:
    """Raise MALFORMED_MESSAGE if msg breaks a protovalidate rule of its schema."""
    violations = _validator.collect_violations(msg)
    if violations:
        first = violations[0].proto
        elements = first.field.elements if first.field is not None else []
        path = ".".join(element.field_name for element in elements) or "(message)"
        raise HeduiError(
            Reason.MALFORMED_MESSAGE,
            what,
            (f"{what} 字段 {path} 不符合规则：{first.message}", f"{what} field {path}: {first.message}"),
            path,
        )


def parse_strict(cls: type[M], data: bytes, what: str, *, validate: bool = True) -> M:
    """Parse bytes into cls, rejecting garbage, unknown fields and rule violations.

    Unknown fields reject because a newer sender's constraint that this
    node cannot read must not be silently ignored.
    """
    msg = cls()
    try:
        msg.ParseFromString(data)
    except pb_message.DecodeError:
        raise HeduiError(Reason.MALFORMED_MESSAGE, what, (f"{what} 无法解析", f"{what} cannot be parsed")) from None
    if _has_unknown_fields(msg):
        raise HeduiError(
            Reason.MALFORMED_MESSAGE, what, (f"{what} 含有未知字段", f"{what} contains unknown fields")
        )
    if validate:
        check_rules(msg, what)
    return msg


def _has_unknown_fields(msg: pb_message.Message) -> bool:
    """Return True if msg or any nested message, map values included, carries unknown fields.

    Serialization keeps unknown fields, and each one takes at least two
    bytes (a tag and a value), so a copy with them discarded is smaller
    exactly when there were some. Both sizes come from the same serializer,
    so the encoding the sender chose does not matter. This is about five
    times faster than walking the message tree in Python.
    """
    stripped = type(msg)()
    stripped.CopyFrom(msg)
    stripped.DiscardUnknownFields()
    return stripped.ByteSize() != msg.ByteSize()

"""Strict parsing of signed protobuf payloads: unknown fields and rule violations reject."""

from __future__ import annotations

from typing import TypeVar

import protovalidate
from google.protobuf import message as pb_message
from google.protobuf import unknown_fields

from hedui.gateway.errors import HeduiError, Reason

M = TypeVar("M", bound=pb_message.Message)

_validator = protovalidate.Validator()


def check_rules(msg: pb_message.Message, what: str) -> None:
    """Raise MALFORMED_MESSAGE if msg breaks a protovalidate rule of its schema."""
    violations = _validator.collect_violations(msg)
    if violations:
        first = violations[0].proto
        path = ".".join(element.field_name for element in first.field.elements)
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
    """Return True if msg or any nested message carries unknown fields."""
    if len(unknown_fields.UnknownFieldSet(msg)):
        return True
    for field, value in msg.ListFields():
        if field.type != field.TYPE_MESSAGE:
            continue
        if field.is_repeated:
            if field.message_type.GetOptions().map_entry:
                continue
            if any(_has_unknown_fields(item) for item in value):
                return True
        elif _has_unknown_fields(value):
            return True
    return False

"""Purpose-limited fields: which record fields a data owner returns for each purpose.

The schema marks every field of a record body with a sensitivity level
(hedui.v1.sensitivity; unmarked fields count as internal). Each purpose
allows fields up to one level, and an owner clears the fields above it
before signing its answer, so they never leave the department. The
eligibility checks of the assistance process itself (initial eligibility,
periodic review, temporary assistance, reported cases) need amounts and
receive every field. Monitoring and another department's special
assistance check need to know that a record exists and its status, not
its amounts or health details, so they stop at "sensitive".
"""

from __future__ import annotations

import functools

from google.protobuf import descriptor

from hedui.v1 import common_pb2, exchange_pb2, options_pb2, records_pb2

_S = options_pb2

MAX_SENSITIVITY: dict[int, int] = {
    common_pb2.PURPOSE_INITIAL_ELIGIBILITY: _S.SENSITIVITY_HIGHLY_SENSITIVE,
    common_pb2.PURPOSE_PERIODIC_REVIEW: _S.SENSITIVITY_HIGHLY_SENSITIVE,
    common_pb2.PURPOSE_TEMPORARY_ASSISTANCE: _S.SENSITIVITY_HIGHLY_SENSITIVE,
    common_pb2.PURPOSE_REPORTED_CASE: _S.SENSITIVITY_HIGHLY_SENSITIVE,
    common_pb2.PURPOSE_DYNAMIC_MONITORING: _S.SENSITIVITY_SENSITIVE,
    common_pb2.PURPOSE_SPECIAL_ASSISTANCE: _S.SENSITIVITY_SENSITIVE,
}


def max_sensitivity(purpose: int) -> int:
    """Return the highest sensitivity a purpose may receive; an unlisted purpose gets only public fields."""
    return MAX_SENSITIVITY.get(purpose, _S.SENSITIVITY_PUBLIC)


@functools.cache
def _withheld_paths(body_name: str, limit: int) -> tuple[tuple[str, ...], ...]:
    """Return the field paths of one body kind above the limit, as tuples of field names."""
    body_field = records_pb2.Record.DESCRIPTOR.fields_by_name[body_name]
    return tuple(_paths_above(body_field.message_type, limit, ()))


def _paths_above(message: descriptor.Descriptor, limit: int, prefix: tuple[str, ...]):
    for field in message.fields:
        level = field.GetOptions().Extensions[options_pb2.sensitivity] or _S.SENSITIVITY_INTERNAL
        path = prefix + (field.name,)
        if level > limit:
            yield path
        elif field.message_type is not None and not field.message_type.GetOptions().map_entry:
            yield from _paths_above(field.message_type, limit, path)


def limit_fields(records: list[records_pb2.Record], purpose: int) -> tuple[int, list[str]]:
    """Clear the body fields the purpose may not receive; return the disclosure and the withheld paths.

    A path is listed once when any record had a value there, for example
    "vehicle.value_fen". The record's ID number, category and as-of time
    are never withheld, since an answer is useless without them.
    """
    limit = max_sensitivity(purpose)
    withheld: set[str] = set()
    for record in records:
        body_name = record.WhichOneof("body")
        if body_name is None:
            continue
        for path in _withheld_paths(body_name, limit):
            if _clear(getattr(record, body_name), path):
                withheld.add(".".join((body_name,) + path))

    limited = limit < _S.SENSITIVITY_HIGHLY_SENSITIVE
    disclosure = exchange_pb2.DISCLOSURE_PURPOSE_LIMITED if limited else exchange_pb2.DISCLOSURE_FULL_RECORDS
    return disclosure, sorted(withheld)


def _clear(message, path: tuple[str, ...]) -> bool:
    """Clear one field path in a message; return whether it held a value."""
    head, rest = path[0], path[1:]
    field = message.DESCRIPTOR.fields_by_name[head]
    if rest:
        if field.is_repeated:
            return any([_clear(item, rest) for item in getattr(message, head)])
        return message.HasField(head) and _clear(getattr(message, head), rest)

    if field.is_repeated:
        had = len(getattr(message, head)) > 0
    elif field.has_presence:
        had = message.HasField(head)
    else:
        had = getattr(message, head) != field.default_value
    message.ClearField(head)
    return had

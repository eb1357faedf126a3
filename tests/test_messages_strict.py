"""Strict parsing rejects unknown fields at any depth and accepts clean messages."""

from __future__ import annotations

import pytest

from hedui.gateway.errors import HeduiError
from hedui.gateway.messages import parse_strict
from hedui.v1 import common_pb2 as C
from hedui.v1 import exchange_pb2, records_pb2

# Field 127 as a varint with value 1: a tag of two bytes, then one value byte.
UNKNOWN_VARINT = b"\xf8\x07\x01"
# Field 126 as an empty length-delimited value: the smallest unknown field, two bytes.
UNKNOWN_EMPTY_BYTES = b"\xf2\x07\x00"


def _record() -> records_pb2.Record:
    record = records_pb2.Record(id_number="14010519700312101X", category=C.DATA_CATEGORY_PENSION)
    record.pension.monthly_amount_fen = 23_000
    record.as_of.seconds = 1_750_000_000
    return record


def _answer(records: list[records_pb2.Record]) -> exchange_pb2.Answer:
    answer = exchange_pb2.Answer(request_id="1c373e59-345a-4c2c-bb54-de261afc29dd", responder="140000/RS", request_sha256=bytes(32),
                                 status=exchange_pb2.SOURCE_STATUS_ANSWERED,
                                 categories=[C.DATA_CATEGORY_PENSION], records=records)
    answer.answered_at.seconds = 1_750_000_000
    return answer


def test_clean_answer_parses() -> None:
    data = _answer([_record(), _record()]).SerializeToString()
    parsed = parse_strict(exchange_pb2.Answer, data, "Answer")
    assert len(parsed.records) == 2


@pytest.mark.parametrize("unknown", [UNKNOWN_VARINT, UNKNOWN_EMPTY_BYTES])
def test_top_level_unknown_rejected(unknown: bytes) -> None:
    data = _answer([_record()]).SerializeToString() + unknown
    with pytest.raises(HeduiError) as raised:
        parse_strict(exchange_pb2.Answer, data, "Answer")
    assert raised.value.reason == "MALFORMED_MESSAGE"


@pytest.mark.parametrize("unknown", [UNKNOWN_VARINT, UNKNOWN_EMPTY_BYTES])
def test_nested_record_unknown_rejected(unknown: bytes) -> None:
    tainted = records_pb2.Record.FromString(_record().SerializeToString() + unknown)
    data = _answer([_record(), tainted]).SerializeToString()
    with pytest.raises(HeduiError) as raised:
        parse_strict(exchange_pb2.Answer, data, "Answer")
    assert raised.value.reason == "MALFORMED_MESSAGE"


def test_deeply_nested_unknown_rejected() -> None:
    # Unknown field inside the pension body, two levels below the answer.
    pension = records_pb2.PensionRecord.FromString(_record().pension.SerializeToString() + UNKNOWN_VARINT)
    record = _record()
    record.pension.CopyFrom(pension)
    data = _answer([record]).SerializeToString()
    with pytest.raises(HeduiError) as raised:
        parse_strict(exchange_pb2.Answer, data, "Answer")
    assert raised.value.reason == "MALFORMED_MESSAGE"

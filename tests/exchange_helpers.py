"""Helpers shared by the exchange tests: fixed adapters, raw requests, rich status and audit checks.

The tests send requests over real gRPC on loopback; these helpers only build
bytes and read what came back, so nothing of the node is replaced.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import re
import uuid

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from stdnum.cn import ric

import federation_harness
from federation_harness import CASE_SYSTEM, BDC, BDC_CATEGORIES, GA, GA_CATEGORIES, PROVINCE, RS, RS_CATEGORIES, RunningFederation
from hedui.adapters.base import Adapter, AdapterQuery
from hedui.gateway import envelope
from hedui.gateway.audit import StoredEntry, VerifyResult, verify_log
from hedui.gateway.errors import ERROR_DOMAIN
from hedui.gateway.keys import SigningKey, verify_signature
from hedui.gateway.node import VERIFY_QUERY_TYPE, Node
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import authorization_pb2, envelope_pb2, exchange_pb2, exchange_pb2_grpc, records_pb2, signature_pb2
from hedui.v1 import common_pb2 as C

CJK = re.compile(r"[\u4e00-\u9fff]")
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)


def id_number(first17: str) -> str:
    """Return first17 followed by its ISO 7064 MOD 11-2 check character."""
    return first17 + ric.calc_check_digit(first17 + "0")


# Synthetic people of Taiyuan (140105 小店区); only the check characters are computed.
HEAD = id_number("14010519800101001")
SPOUSE = id_number("14010519820315002")
CHILD = id_number("14010520100720003")
OUTSIDER = id_number("14010519750505004")
NUMBER_WITH_X = id_number("14010519900101018")
HOUSEHOLD = [(HEAD, "张建国", "02"), (SPOUSE, "李秀兰", "10"), (CHILD, "张小明", "20")]


class FixedAdapter(Adapter):
    """An in-memory department: one record per member and served category, after an optional delay."""

    def __init__(self, categories: tuple[int, ...], delay: float = 0.0) -> None:
        self.categories = frozenset(categories)
        self.delay = delay
        self.calls = 0

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        as_of = to_timestamp(utcnow())
        return [
            records_pb2.Record(id_number=number, category=category, as_of=as_of)
            for number in query.id_numbers
            for category in sorted(query.categories & self.categories)
        ]

    async def close(self) -> None:
        return None


def fixed_departments() -> dict[str, Adapter]:
    """Return an in-memory adapter for each of the three departments."""
    return {RS: FixedAdapter(RS_CATEGORIES), BDC: FixedAdapter(BDC_CATEGORIES), GA: FixedAdapter(GA_CATEGORIES)}


# Requests built byte by byte, so a test can send what the SDK would never produce.

def query_body(authorization: authorization_pb2.SignedAuthorization, members: list[str], categories: tuple[int, ...],
               purpose: int = C.PURPOSE_INITIAL_ELIGIBILITY) -> bytes:
    """Serialize a VerifyQuery exactly as given, without normalising the ID numbers."""
    query = exchange_pb2.VerifyQuery(authorization=authorization, member_id_numbers=members,
                                     categories=list(categories), purpose=purpose)
    return query.SerializeToString(deterministic=True)


def raw_request(key: SigningKey, body: bytes, *, target: str = PROVINCE, body_type: str = VERIFY_QUERY_TYPE,
                issued_at: datetime.datetime | None = None, nonce: bytes | None = None,
                request_id: str | None = None) -> exchange_pb2.VerifyRequest:
    """Seal a header and body with the caller's key; every header field can be chosen."""
    header = envelope_pb2.Header(
        request_id=request_id or str(uuid.uuid4()), caller=key.node_id, target=target,
        issued_at=to_timestamp(issued_at or utcnow()), nonce=nonce or os.urandom(16), body_type=body_type,
    )
    return exchange_pb2.VerifyRequest(envelope=envelope.seal(header, body, key))


def forwarded(fed: RunningFederation, request: exchange_pb2.VerifyRequest,
              path: list[tuple[str, str]]) -> exchange_pb2.VerifyRequest:
    """Add the hops a real forwarding path would add, each (node, forwarded_to) signed by that node."""
    env = request.envelope
    for node_id, forwarded_to in path:
        env = envelope.add_hop(env, fed.fed.load_key(node_id), forwarded_to, utcnow())
    return exchange_pb2.VerifyRequest(envelope=env)


def flip_byte(data: bytes, index: int = -1) -> bytes:
    """Return data with every bit of one byte inverted."""
    changed = bytearray(data)
    changed[index] ^= 0xFF
    return bytes(changed)


# Calling a node over gRPC and reading the rich status.

async def call_verify(address: str, request: exchange_pb2.VerifyRequest,
                      timeout: float = 5.0) -> exchange_pb2.VerifyResponse:
    """Send one Verify call on a fresh mutual-TLS loopback channel and return the response.

    The channel presents the certificate of the request's sender (the last
    hop's node, else the caller), as the real sender would.
    """
    running = federation_harness.ACTIVE
    assert running is not None, "start_federation first"
    async with running.channel(running.node_at(address), as_node=request_sender(request)) as channel:
        return await exchange_pb2_grpc.ExchangeServiceStub(channel).Verify(request, timeout=timeout)


def request_sender(request: exchange_pb2.VerifyRequest) -> str:
    """Return the node a request comes from: the last hop's node, else the header's caller."""
    running = federation_harness.ACTIVE
    known = (set(running.fed.configs) | {CASE_SYSTEM}) if running else {CASE_SYSTEM}
    try:
        if request.envelope.hops:
            sender = envelope_pb2.Hop.FromString(request.envelope.hops[-1].hop).node
        else:
            sender = envelope_pb2.Header.FromString(request.envelope.header).caller
    except Exception:  # noqa: BLE001 - a test may send garbage on purpose
        return CASE_SYSTEM
    return sender if sender in known else CASE_SYSTEM


async def rejection_of(address: str, request: exchange_pb2.VerifyRequest,
                       timeout: float = 5.0) -> grpc.aio.AioRpcError:
    """Send one Verify call that must fail and return the error; fail the test if it succeeds."""
    try:
        await call_verify(address, request, timeout)
    except grpc.aio.AioRpcError as error:
        return error
    raise AssertionError(f"Verify at {address} succeeded but a rejection was expected")


def status_details(error: grpc.aio.AioRpcError) -> tuple[error_details_pb2.ErrorInfo, dict[str, str]]:
    """Return the ErrorInfo and the localized messages by locale from a failed call's status."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None, f"no google.rpc.Status in the trailers of {error.code().name}: {error.details()}"
    info = error_details_pb2.ErrorInfo()
    messages: dict[str, str] = {}
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.LocalizedMessage.DESCRIPTOR):
            localized = error_details_pb2.LocalizedMessage()
            detail.Unpack(localized)
            messages[localized.locale] = localized.message
    return info, messages


def assert_status(error: grpc.aio.AioRpcError, code: grpc.StatusCode, reason: str, lang: str = "zh") -> None:
    """Check the code, the reason, both localized details and the status message's language."""
    info, messages = status_details(error)
    assert error.code() == code, f"{error.code().name} != {code.name}: {error.details()}"
    assert info.reason == reason, f"{info.reason} != {reason}: {error.details()}"
    assert info.domain == ERROR_DOMAIN
    assert CJK.search(messages.get("zh-CN", "")), messages
    assert messages.get("en-US", "").isascii(), messages
    assert messages["en-US"], messages
    if lang == "en":
        assert error.details() == messages["en-US"]
    else:
        assert error.details() == messages["zh-CN"]


# The audit log of a node.

async def rejected_entries(node: Node) -> list[StoredEntry]:
    """Return the node's audit entries whose outcome is "rejected"."""
    return [entry for entry in await node.audit.recent(EPOCH) if entry.outcome == "rejected"]


def verify_audit_chain(node: Node) -> VerifyResult:
    """Verify the node's audit log file, checking checkpoint signatures against the directory."""
    def check(key_id: str, message: bytes, signature: bytes) -> None:
        public_key = node.directory.public_key(node.id, key_id, utcnow())
        signed = signature_pb2.Signature(signer=node.id, key_id=key_id, algorithm=1, value=signature)
        verify_signature(public_key, signed, message, f"checkpoint({node.id})")

    return verify_log(node.config.data_dir / "audit.sqlite", verify_checkpoint=check)


async def assert_audited_once(node: Node, reason: str) -> None:
    """Check the node logged exactly one rejection, with this reason, and its chain verifies."""
    entries = await rejected_entries(node)
    assert [entry.reason for entry in entries] == [reason]
    assert verify_audit_chain(node).entries >= 1

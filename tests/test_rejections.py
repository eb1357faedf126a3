"""Every rejection of a Verify call is a rich gRPC status with a reason code, Chinese by default.

Each test sends one request from the Taiyuan case system to the city node
over real gRPC on loopback. It checks the status code, the ErrorInfo reason,
both localized messages and the status message's language. It then checks
that the rejecting node logged exactly one rejection and that its audit
chain still verifies. Every test runs twice: with the default language and
with HEDUI_LANG=en set before the node renders its status."""

from __future__ import annotations

import datetime

import grpc
import pytest

from exchange_helpers import (CHILD, HEAD, HOUSEHOLD, NUMBER_WITH_X, OUTSIDER, SPOUSE, assert_audited_once, assert_status,
                              call_verify, fixed_departments, flip_byte, query_body, raw_request, rejection_of)
from federation_harness import (ALL_CATEGORIES, BDC, CASE_SYSTEM, CITY, GA, PROVINCE, RS, RS_CATEGORIES,
                                start_federation)
from hedui.gateway.config import load_config
from hedui.gateway.envelope import signing_input
from hedui.gateway.keys import SigningKey
from hedui.gateway.node import Node
from hedui.gateway.server import start_server
from hedui.gateway.timeutil import utcnow
from hedui.sdk import sign_revocation_list
from hedui.v1 import authorization_pb2, exchange_pb2, exchange_pb2_grpc
from hedui.v1 import common_pb2 as C

UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
PERMISSION_DENIED = grpc.StatusCode.PERMISSION_DENIED
INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
MEMBERS = [HEAD, SPOUSE, CHILD]


@pytest.fixture(params=["zh", "en"])
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with the default language and again with HEDUI_LANG=en."""
    if request.param == "en":
        monkeypatch.setenv("HEDUI_LANG", "en")
    return request.param


@pytest.fixture
async def fed(tmp_path):
    running = await start_federation(tmp_path, adapters={}, overrides=fixed_departments())
    yield running
    await running.close()


def signed_request(fed, *, members=MEMBERS, categories=ALL_CATEGORIES, purpose=C.PURPOSE_INITIAL_ELIGIBILITY,
                   authorization=None, key=None, **header):
    """Return a request from the case system with the fields the SDK sets, ID numbers sent as given."""
    authorization = authorization or fed.authorization(HOUSEHOLD)
    body = query_body(authorization, list(members), categories, purpose)
    return raw_request(key or fed.fed.load_key(CASE_SYSTEM), body, **header)


async def rejected_at_city(fed, request, code, reason, lang):
    error = await rejection_of(fed.fed.addresses[CITY], request)
    assert_status(error, code, reason, lang)
    await assert_audited_once(fed.nodes[CITY], reason)


# Caller signature.

async def test_signature_byte_flipped(fed, lang):
    request = signed_request(fed)
    request.envelope.signature.value = flip_byte(request.envelope.signature.value)
    await rejected_at_city(fed, request, UNAUTHENTICATED, "SIGNATURE_INVALID", lang)


async def test_body_byte_flipped(fed, lang):
    request = signed_request(fed)
    request.envelope.body = flip_byte(request.envelope.body, 5)
    await rejected_at_city(fed, request, UNAUTHENTICATED, "SIGNATURE_INVALID", lang)


async def test_header_caller_not_signer(fed, lang):
    request = signed_request(fed, key=fed.fed.load_key(CITY))
    env = request.envelope
    env.signature.CopyFrom(fed.fed.load_key(CASE_SYSTEM).sign(signing_input(env.header, env.body)))
    await rejected_at_city(fed, request, UNAUTHENTICATED, "SIGNATURE_INVALID", lang)


# Replay and clock skew.

async def test_replay_same_request(fed, lang):
    request = signed_request(fed)
    await call_verify(fed.fed.addresses[CITY], request)
    await rejected_at_city(fed, request, UNAUTHENTICATED, "REPLAY_DETECTED", lang)


async def test_replay_reused_nonce(fed, lang):
    first = signed_request(fed, nonce=b"n" * 16)
    await call_verify(fed.fed.addresses[CITY], first)
    second = signed_request(fed, nonce=b"n" * 16)
    await rejected_at_city(fed, second, UNAUTHENTICATED, "REPLAY_DETECTED", lang)


@pytest.mark.parametrize("offset_minutes", [-10, 10])
async def test_clock_skew(fed, lang, offset_minutes):
    issued_at = utcnow() + datetime.timedelta(minutes=offset_minutes)
    request = signed_request(fed, issued_at=issued_at)
    await rejected_at_city(fed, request, UNAUTHENTICATED, "CLOCK_SKEW", lang)


# Validity window, revocation and use limit.

async def test_authorization_expired(fed, lang):
    now = utcnow()
    window = (now - datetime.timedelta(days=60), now - datetime.timedelta(days=1))
    request = signed_request(fed, authorization=fed.authorization(HOUSEHOLD, window=window))
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_EXPIRED", lang)


async def test_authorization_not_yet_valid(fed, lang):
    now = utcnow()
    window = (now + datetime.timedelta(days=1), now + datetime.timedelta(days=60))
    request = signed_request(fed, authorization=fed.authorization(HOUSEHOLD, window=window))
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_NOT_YET_VALID", lang)


async def test_authorization_revoked(fed, lang):
    authorization = fed.authorization(HOUSEHOLD, record_id="TY-REVOKED-1")
    revocations = sign_revocation_list(fed.fed.load_key(CITY), 1, ["TY-REVOKED-1"])
    async with fed.channel(PROVINCE, as_node=CITY) as channel:
        published = await exchange_pb2_grpc.ExchangeServiceStub(channel).PublishRevocations(
            exchange_pb2.PublishRevocationsRequest(revocations=revocations), timeout=5)
    assert published.version == 1
    assert sorted(published.relayed_to) == sorted([CITY, RS, BDC, GA])
    for node_id in (PROVINCE, CITY, RS, BDC, GA):
        assert fed.nodes[node_id].state.revoked_in(CITY, "TY-REVOKED-1") == 1, node_id

    request = signed_request(fed, authorization=authorization)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_REVOKED", lang)


async def test_revocation_list_stale(fed, lang):
    newer = exchange_pb2.PublishRevocationsRequest(revocations=sign_revocation_list(fed.fed.load_key(CITY), 2, ["TY-A"]))
    older = exchange_pb2.PublishRevocationsRequest(revocations=sign_revocation_list(fed.fed.load_key(CITY), 1, ["TY-B"]))
    async with fed.channel(PROVINCE, as_node=CITY) as channel:
        stub = exchange_pb2_grpc.ExchangeServiceStub(channel)
        await stub.PublishRevocations(newer, timeout=5)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.PublishRevocations(older, timeout=5)
    assert_status(caught.value, grpc.StatusCode.FAILED_PRECONDITION, "REVOCATION_LIST_STALE", lang)
    await assert_audited_once(fed.nodes[PROVINCE], "REVOCATION_LIST_STALE")


async def publish_rejection(fed, revocations) -> grpc.aio.AioRpcError:
    request = exchange_pb2.PublishRevocationsRequest(revocations=revocations)
    async with fed.channel(PROVINCE, as_node=CITY) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await exchange_pb2_grpc.ExchangeServiceStub(channel).PublishRevocations(request, timeout=5)
    return caught.value


async def test_revocation_list_forged(fed, lang):
    revocations = sign_revocation_list(fed.fed.load_key(CITY), 1, ["TY-A"])
    revocations.signature.value = flip_byte(revocations.signature.value)
    error = await publish_rejection(fed, revocations)
    assert_status(error, INVALID_ARGUMENT, "REVOCATION_LIST_INVALID", lang)
    await assert_audited_once(fed.nodes[PROVINCE], "REVOCATION_LIST_INVALID")
    assert fed.nodes[PROVINCE].state.revocation_version(CITY) == 0


async def test_revocation_list_signed_by_department(fed, lang):
    revocations = sign_revocation_list(fed.fed.load_key(CITY), 1, ["TY-A"])
    revocations.signature.CopyFrom(fed.fed.load_key(RS).sign(revocations.list))
    error = await publish_rejection(fed, revocations)
    assert_status(error, INVALID_ARGUMENT, "REVOCATION_LIST_INVALID", lang)
    await assert_audited_once(fed.nodes[PROVINCE], "REVOCATION_LIST_INVALID")


async def test_use_limit_spent(fed, lang):
    authorization = fed.authorization(HOUSEHOLD, use_limit=1)
    await call_verify(fed.fed.addresses[CITY], signed_request(fed, authorization=authorization))
    request = signed_request(fed, authorization=authorization)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_USE_LIMIT_REACHED", lang)
    await assert_audited_once(fed.nodes[PROVINCE], "AUTHORIZATION_USE_LIMIT_REACHED")


# Scope of the authorization.

async def test_member_not_covered(fed, lang):
    request = signed_request(fed, members=[HEAD, OUTSIDER])
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_MEMBER_NOT_COVERED", lang)


async def test_category_not_covered(fed, lang):
    authorization = fed.authorization(HOUSEHOLD, categories=RS_CATEGORIES)
    request = signed_request(fed, authorization=authorization, categories=(C.DATA_CATEGORY_REAL_ESTATE,))
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_CATEGORY_NOT_COVERED", lang)


async def test_purpose_mismatch(fed, lang):
    request = signed_request(fed, purpose=C.PURPOSE_PERIODIC_REVIEW)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_PURPOSE_MISMATCH", lang)


async def test_caller_not_grantee(fed, lang):
    authorization = fed.authorization(HOUSEHOLD, grantee=PROVINCE)
    request = signed_request(fed, authorization=authorization)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_CALLER_NOT_GRANTEE", lang)


async def test_issuer_outside_division(fed, lang):
    def datong(record: authorization_pb2.AuthorizationRecord) -> None:
        record.household_division = "140200"

    request = signed_request(fed, authorization=fed.authorization(HOUSEHOLD, edit=datong))
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_ISSUER_NOT_ALLOWED", lang)


async def test_authorization_missing(fed, lang):
    body = exchange_pb2.VerifyQuery(member_id_numbers=MEMBERS, categories=list(ALL_CATEGORIES),
                                    purpose=C.PURPOSE_INITIAL_ELIGIBILITY).SerializeToString()
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), body)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_MISSING", lang)


# Who signed the authorization and the request.

async def test_authorization_key_not_in_directory(fed, lang):
    authorization = fed.authorization(HOUSEHOLD)
    authorization.signature.CopyFrom(SigningKey.generate(CITY).sign(authorization.record))
    request = signed_request(fed, authorization=authorization)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_SIGNATURE_INVALID", lang)


async def test_authorization_signed_by_province(fed, lang):
    authorization = fed.authorization(HOUSEHOLD)
    forged = fed.fed.load_key(PROVINCE).sign(authorization.record)
    authorization.signature.value = forged.value
    request = signed_request(fed, authorization=authorization)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_SIGNATURE_INVALID", lang)


async def test_authorization_signer_not_issuer(fed, lang):
    authorization = fed.authorization(HOUSEHOLD)
    authorization.signature.CopyFrom(fed.fed.load_key(PROVINCE).sign(authorization.record))
    request = signed_request(fed, authorization=authorization)
    await rejected_at_city(fed, request, PERMISSION_DENIED, "AUTHORIZATION_SIGNATURE_INVALID", lang)


async def test_caller_not_in_directory(fed, lang):
    request = signed_request(fed, key=SigningKey.generate("140100/MZ/OTHER"))
    await rejected_at_city(fed, request, UNAUTHENTICATED, "UNKNOWN_CALLER", lang)


async def test_caller_key_not_in_directory(fed, lang):
    request = signed_request(fed, key=SigningKey.generate(CASE_SYSTEM))
    await rejected_at_city(fed, request, UNAUTHENTICATED, "UNKNOWN_KEY", lang)


# Identifiers inside the request.

async def test_id_number_bad_check_character(fed, lang):
    wrong = HEAD[:17] + ("0" if HEAD[17] != "0" else "1")
    request = signed_request(fed, members=[wrong])
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "INVALID_ID_NUMBER", lang)


async def test_id_number_lower_case_x(fed, lang):
    with_x = NUMBER_WITH_X
    authorization = fed.authorization([(with_x, "王芳", "02")])
    request = signed_request(fed, members=[with_x.lower()], authorization=authorization)
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "INVALID_ID_NUMBER", lang)


async def test_sdk_normalises_lower_case_x(fed):
    with_x = NUMBER_WITH_X
    authorization = fed.authorization([(with_x.lower(), "王芳", "02")])
    async with fed.client() as client:
        report = await client.verify(authorization, [with_x.lower()], RS_CATEGORIES, C.PURPOSE_INITIAL_ELIGIBILITY)
    assert report.members == (with_x,)
    assert report.source(RS).status == "ANSWERED"


async def test_division_code_invalid(fed, lang):
    def nowhere(record: authorization_pb2.AuthorizationRecord) -> None:
        record.household_division = "991234"

    request = signed_request(fed, authorization=fed.authorization(HOUSEHOLD, edit=nowhere))
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "INVALID_DIVISION_CODE", lang)


async def test_target_division_invalid(fed, lang):
    request = signed_request(fed, target="991234/MZ")
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "INVALID_DIVISION_CODE", lang)


async def test_target_not_in_directory(fed, lang):
    request = signed_request(fed, target="140200/MZ")
    await rejected_at_city(fed, request, grpc.StatusCode.NOT_FOUND, "ROUTE_NOT_FOUND", lang)


# Malformed messages.

async def test_body_garbage(fed, lang):
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), b"\xff\xfe not a protobuf")
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "MALFORMED_MESSAGE", lang)


async def test_body_unknown_field(fed, lang):
    body = query_body(fed.authorization(HOUSEHOLD), MEMBERS, ALL_CATEGORIES)
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), body + b"\xf8\x06\x01")  # field 111, varint 1
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "MALFORMED_MESSAGE", lang)


async def test_body_type_wrong(fed, lang):
    request = signed_request(fed, body_type="hedui.v1.DescribeRequest")
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "MALFORMED_MESSAGE", lang)


async def test_envelope_without_signature(fed, lang):
    request = signed_request(fed)
    request.envelope.ClearField("signature")
    await rejected_at_city(fed, request, INVALID_ARGUMENT, "MALFORMED_MESSAGE", lang)


async def test_replay_after_restart(fed):
    request = signed_request(fed)
    await call_verify(fed.fed.addresses[CITY], request)

    # Restart the city node on the same files and address: the guard is seeded from the audit log.
    index = list(fed.nodes).index(CITY)
    await fed.servers[index].stop(0)
    await fed.nodes[CITY].close()
    fed.nodes[CITY] = await Node.start(load_config(fed.fed.configs[CITY]))
    fed.servers[index], _ = await start_server(fed.nodes[CITY], fed.fed.addresses[CITY])

    await rejected_at_city(fed, request, UNAUTHENTICATED, "REPLAY_DETECTED", "zh")

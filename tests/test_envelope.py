"""The hop chain seen by a department, over real gRPC on loopback.

A request from the Taiyuan case system reaches the social security
department (140000/RS) only through the city and then the province, each
adding a signed hop. These tests send such requests straight to the
department with the hops built by the nodes' own keys, then break the chain
in one place at a time.
"""

from __future__ import annotations

import grpc
import pytest

from exchange_helpers import (HEAD, HOUSEHOLD, OUTSIDER, SPOUSE, assert_audited_once, assert_status, call_verify,
                              fixed_departments, flip_byte, forwarded, query_body, raw_request, rejected_entries,
                              rejection_of)
from federation_harness import ALL_CATEGORIES, CASE_SYSTEM, CITY, GA, PROVINCE, RS, RS_CATEGORIES, start_federation
from hedui.gateway.envelope import add_hop, chain_digest, signing_input
from hedui.gateway.fanout import open_report
from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import envelope_pb2, exchange_pb2
from hedui.v1 import common_pb2 as C

UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
FULL_ROUTE = [(CITY, PROVINCE), (PROVINCE, RS)]


@pytest.fixture
async def fed(tmp_path):
    running = await start_federation(tmp_path, adapters={}, overrides=fixed_departments())
    yield running
    await running.close()


def case_request(fed, members=(HEAD, SPOUSE), categories=RS_CATEGORIES) -> exchange_pb2.VerifyRequest:
    """Return the case system's signed request for the household, before any hop."""
    body = query_body(fed.authorization(HOUSEHOLD), list(members), categories)
    return raw_request(fed.fed.load_key(CASE_SYSTEM), body)


async def rejected_at_department(fed, request, reason, code=UNAUTHENTICATED):
    error = await rejection_of(fed.fed.addresses[RS], request)
    assert_status(error, code, reason)
    await assert_audited_once(fed.nodes[RS], reason)


def signed_hop(key: SigningKey, hop: envelope_pb2.Hop) -> envelope_pb2.SignedHop:
    data = hop.SerializeToString(deterministic=True)
    return envelope_pb2.SignedHop(hop=data, signature=key.sign(data))


async def test_full_route_answered(fed):
    request = forwarded(fed, case_request(fed), FULL_ROUTE)
    response = await call_verify(fed.fed.addresses[RS], request)
    report = open_report(response, RS, fed.directory, utcnow())
    assert [source.node for source in report.sources] == [RS]
    assert report.sources[0].status == exchange_pb2.SOURCE_STATUS_ANSWERED
    assert await rejected_entries(fed.nodes[RS]) == []


async def test_province_hop_missing(fed):
    request = forwarded(fed, case_request(fed), [(CITY, RS)])
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_no_hops_from_client(fed):
    await rejected_at_department(fed, case_request(fed), "HOP_CHAIN_INVALID")


async def test_city_hop_missing(fed):
    request = forwarded(fed, case_request(fed), [(PROVINCE, RS)])
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hop_byte_edited(fed):
    request = forwarded(fed, case_request(fed), FULL_ROUTE)
    request.envelope.hops[1].hop = flip_byte(request.envelope.hops[1].hop, 3)
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hop_signature_edited(fed):
    request = forwarded(fed, case_request(fed), FULL_ROUTE)
    request.envelope.hops[0].signature.value = flip_byte(request.envelope.hops[0].signature.value)
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hop_signed_by_city_key(fed):
    request = forwarded(fed, case_request(fed), [(CITY, PROVINCE)])
    env = request.envelope
    hop = envelope_pb2.Hop(node=PROVINCE, forwarded_to=RS, received_sha256=chain_digest(env, 1),
                           forwarded_at=to_timestamp(utcnow()))
    env.hops.append(signed_hop(fed.fed.load_key(CITY), hop))
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hop_value_from_other_key(fed):
    request = forwarded(fed, case_request(fed), FULL_ROUTE)
    province_hop = request.envelope.hops[1]
    province_hop.signature.value = fed.fed.load_key(GA).sign(province_hop.hop).value
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hop_by_department(fed):
    request = forwarded(fed, case_request(fed), [(CITY, PROVINCE), (PROVINCE, GA), (GA, RS)])
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hops_reordered(fed):
    request = forwarded(fed, case_request(fed), FULL_ROUTE)
    first, second = (envelope_pb2.SignedHop(), envelope_pb2.SignedHop())
    first.CopyFrom(request.envelope.hops[0])
    second.CopyFrom(request.envelope.hops[1])
    del request.envelope.hops[:]
    request.envelope.hops.extend([second, first])
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_last_hop_sent_elsewhere(fed):
    request = forwarded(fed, case_request(fed), [(CITY, PROVINCE), (PROVINCE, GA)])
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


async def test_hop_from_caller_itself(fed):
    body = query_body(fed.authorization(HOUSEHOLD, grantee=CITY), [HEAD], RS_CATEGORIES)
    request = raw_request(fed.fed.load_key(CITY), body)
    request = forwarded(fed, request, [(CITY, PROVINCE), (PROVINCE, RS)])
    await rejected_at_department(fed, request, "HOP_CHAIN_INVALID")


# A forwarder cannot widen what the caller signed, even if it signs honest hops over the change.

def widened(fed, edit) -> exchange_pb2.VerifyRequest:
    request = case_request(fed, members=(HEAD,))
    query = exchange_pb2.VerifyQuery.FromString(request.envelope.body)
    edit(query)
    request.envelope.body = query.SerializeToString(deterministic=True)
    return forwarded(fed, request, FULL_ROUTE)


async def test_forwarder_adds_member(fed):
    request = widened(fed, lambda query: query.member_id_numbers.append(SPOUSE))
    await rejected_at_department(fed, request, "SIGNATURE_INVALID")


async def test_forwarder_adds_category(fed):
    request = widened(fed, lambda query: query.categories.append(C.DATA_CATEGORY_REAL_ESTATE))
    await rejected_at_department(fed, request, "SIGNATURE_INVALID")


async def test_forwarder_resigns_body(fed):
    request = case_request(fed, members=(HEAD,))
    query = exchange_pb2.VerifyQuery.FromString(request.envelope.body)
    query.member_id_numbers.append(OUTSIDER)
    env = request.envelope
    env.body = query.SerializeToString(deterministic=True)
    env.signature.CopyFrom(fed.fed.load_key(CITY).sign(signing_input(env.header, env.body)))
    request = forwarded(fed, request, FULL_ROUTE)
    await rejected_at_department(fed, request, "SIGNATURE_INVALID")


async def test_hop_after_delivery(fed):
    request = forwarded(fed, case_request(fed), FULL_ROUTE)
    env = add_hop(request.envelope, fed.fed.load_key(PROVINCE), RS, utcnow())
    await rejected_at_department(fed, exchange_pb2.VerifyRequest(envelope=env), "HOP_CHAIN_INVALID")


async def test_all_categories_route(fed):
    request = forwarded(fed, case_request(fed, categories=ALL_CATEGORIES), FULL_ROUTE)
    response = await call_verify(fed.fed.addresses[RS], request)
    report = open_report(response, RS, fed.directory, utcnow())
    assert sorted(report.sources[0].categories) == sorted(RS_CATEGORIES)

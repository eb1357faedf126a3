"""Routing across levels and provinces: city → province → ministry link → other province → departments."""

from __future__ import annotations

import pathlib

import grpc
import pytest

from exchange_helpers import (FixedAdapter, assert_status, call_verify, flip_byte, forwarded, id_number, query_body,
                              raw_request, rejection_of)
from federation_harness import CASE_SYSTEM, CITY, RunningFederation, start_federation
from hedui.gateway.audit import verify_log
from hedui.gateway.federation import full_specs
from hedui.v1 import common_pb2 as C
from hedui.v1 import exchange_pb2

MINISTRY = "000000/MZ"
SHANXI = "140000/MZ"
HENAN = "410000/MZ"
HENAN_RS, HENAN_BDC, HENAN_GA = "410000/RS", "410000/BDC", "410000/GA"
RS_CATEGORIES = (C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT)
GA_CATEGORIES = (C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_VEHICLE)

# A Taiyuan household whose spouse is registered in Zhengzhou (410105 金水区).
HEAD = id_number("14010519800101001")
SPOUSE_IN_HENAN = id_number("41010519820315002")
HOUSEHOLD = [(HEAD, "张建国", "02"), (SPOUSE_IN_HENAN, "李秀兰", "10")]


@pytest.fixture
async def fed(tmp_path: pathlib.Path):
    """Ministry link, Shanxi and Henan over mutual TLS, departments answering from memory."""
    # The configured real-estate database must exist for a node to start; the in-memory adapters replace it.
    (tmp_path / "none.sqlite").touch()
    specs = full_specs(("http://127.0.0.1:9", str(tmp_path / "none.sqlite")),
                       ("http://127.0.0.1:9", str(tmp_path / "none.sqlite")))
    overrides = {}
    for province in ("140000", "410000"):
        overrides[f"{province}/RS"] = FixedAdapter(RS_CATEGORIES)
        overrides[f"{province}/BDC"] = FixedAdapter((C.DATA_CATEGORY_REAL_ESTATE,))
        overrides[f"{province}/GA"] = FixedAdapter(GA_CATEGORIES)
    running = await start_federation(tmp_path / "fed", {}, overrides=overrides, specs=specs)
    try:
        yield running
    finally:
        await running.close()


def authorization(fed: RunningFederation, **options):
    return fed.authorization(HOUSEHOLD, categories=RS_CATEGORIES + GA_CATEGORIES, **options)


async def test_cross_province_report(fed: RunningFederation) -> None:
    async with fed.client(target=HENAN) as client:
        report = await client.verify(authorization(fed), [SPOUSE_IN_HENAN], RS_CATEGORIES + GA_CATEGORIES,
                                     C.PURPOSE_INITIAL_ELIGIBILITY)

    assert report.responder == HENAN
    assert sorted(s.node for s in report.sources) == [HENAN_GA, HENAN_RS]
    assert all(s.signature_verified for s in report.sources)
    assert all(s.status == "ANSWERED" for s in report.sources)
    assert {r.id_number for s in report.sources for r in s.records} == {SPOUSE_IN_HENAN}


async def test_every_hop_audits_the_request(fed: RunningFederation) -> None:
    async with fed.client(target=HENAN) as client:
        report = await client.verify(authorization(fed), [SPOUSE_IN_HENAN], GA_CATEGORIES,
                                     C.PURPOSE_INITIAL_ELIGIBILITY)

    for node_id in (CITY, SHANXI, MINISTRY, HENAN, HENAN_GA):
        entries = await fed.nodes[node_id].audit.recent(report.created_at.replace(year=2000))
        assert [e.request_id for e in entries] == [report.request_id], node_id
    assert [e.action for e in await fed.nodes[MINISTRY].audit.recent(report.created_at.replace(year=2000))] == ["forward"]
    for node_id in (CITY, SHANXI, MINISTRY, HENAN, HENAN_GA):
        assert verify_log(fed.fed.configs[node_id].parent / "data" / "audit.sqlite").entries == 1, node_id
    assert verify_log(fed.fed.configs["410100/MZ"].parent / "data" / "audit.sqlite").entries == 0


async def test_home_province_still_answers(fed: RunningFederation) -> None:
    async with fed.client(target=SHANXI) as client:
        report = await client.verify(authorization(fed), [HEAD], GA_CATEGORIES, C.PURPOSE_INITIAL_ELIGIBILITY)

    assert report.responder == SHANXI
    assert [s.node for s in report.sources] == ["140000/GA"]


def full_path_request(fed: RunningFederation, body: bytes | None = None) -> exchange_pb2.VerifyRequest:
    """Return a request as it reaches Henan's GA department, with every real hop."""
    body = body or query_body(authorization(fed), [SPOUSE_IN_HENAN], GA_CATEGORIES)
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), body, target=HENAN)
    return forwarded(fed, request, [(CITY, SHANXI), (SHANXI, MINISTRY), (MINISTRY, HENAN), (HENAN, HENAN_GA)])


async def test_owner_accepts_full_chain(fed: RunningFederation) -> None:
    response = await call_verify(fed.fed.addresses[HENAN_GA], full_path_request(fed))

    assert response.report


async def test_tampered_ministry_hop_detected(fed: RunningFederation) -> None:
    request = full_path_request(fed)
    hop = request.envelope.hops[2]
    hop.hop = flip_byte(hop.hop, 5)

    error = await rejection_of(fed.fed.addresses[HENAN_GA], request)

    assert_status(error, grpc.StatusCode.UNAUTHENTICATED, "HOP_CHAIN_INVALID")


async def test_skipped_ministry_detected(fed: RunningFederation) -> None:
    body = query_body(authorization(fed), [SPOUSE_IN_HENAN], GA_CATEGORIES)
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), body, target=HENAN)
    # Shanxi claims to hand the request straight to Henan, leaving the ministry link out.
    request = forwarded(fed, request, [(CITY, SHANXI), (SHANXI, HENAN), (HENAN, HENAN_GA)])

    error = await rejection_of(fed.fed.addresses[HENAN_GA], request)

    assert_status(error, grpc.StatusCode.UNAUTHENTICATED, "HOP_CHAIN_INVALID")


@pytest.mark.parametrize("widen", ["member", "category", "purpose"])
async def test_forwarder_cannot_widen(fed: RunningFederation, widen: str) -> None:
    request = full_path_request(fed)
    query = exchange_pb2.VerifyQuery.FromString(request.envelope.body)
    if widen == "member":
        query.member_id_numbers.append(HEAD)
    elif widen == "category":
        query.categories.append(C.DATA_CATEGORY_PENSION)
    else:
        query.purpose = C.PURPOSE_PERIODIC_REVIEW
    # The ministry link rewrites the body it forwards; the caller's signature no longer covers it.
    request.envelope.body = query.SerializeToString(deterministic=True)

    error = await rejection_of(fed.fed.addresses[HENAN_GA], request)

    assert_status(error, grpc.StatusCode.UNAUTHENTICATED, "SIGNATURE_INVALID")


async def test_henan_department_not_reachable_from_shanxi_directly(fed: RunningFederation) -> None:
    body = query_body(authorization(fed), [SPOUSE_IN_HENAN], GA_CATEGORIES)
    request = raw_request(fed.fed.load_key(CASE_SYSTEM), body, target=HENAN)
    request = forwarded(fed, request, [(CITY, SHANXI), (SHANXI, HENAN_GA)])

    error = await rejection_of(fed.fed.addresses[HENAN_GA], request)

    assert_status(error, grpc.StatusCode.UNAUTHENTICATED, "HOP_CHAIN_INVALID")


async def test_henan_holds_shanxi_segment(fed: RunningFederation) -> None:
    directory = fed.nodes[HENAN_GA].directory

    assert CITY in directory
    assert directory.segment_versions == {"": 1, SHANXI: 1, HENAN: 1}


async def test_county_routes_through_city(fed: RunningFederation) -> None:
    county, county_client = "140105/MZ", "140105/MZ/HDXT"
    signed = fed.authorization(HOUSEHOLD, categories=GA_CATEGORIES, issuer=county, grantee=county)
    async with fed.client(node_id=county, caller=county_client, target=SHANXI) as client:
        report = await client.verify(signed, [HEAD], GA_CATEGORIES, C.PURPOSE_INITIAL_ELIGIBILITY)

    assert report.responder == SHANXI
    assert [s.node for s in report.sources] == ["140000/GA"]
    city_entries = await fed.nodes[CITY].audit.recent(report.created_at.replace(year=2000))
    assert [(e.caller, e.action) for e in city_entries] == [(county_client, "forward")]

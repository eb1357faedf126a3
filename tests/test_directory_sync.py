"""Directory distribution over mutual TLS: fetch from the parent, cache, reject bad copies, publish segments.

The federation here uses delegated segments. The anchor signs the province,
the province signs a segment with the city and its departments, and the city
signs one with the Xiaodian district (小店区) node and the case system. So a
change made by the province or the city travels down the tree through each
node's own refresh.
"""

from __future__ import annotations

import asyncio
import datetime
import logging

import grpc
import pytest

from directory_edits import anchor_key, case_request, entry_of, find_segment, give, resign
from exchange_helpers import (assert_audited_once, assert_status, call_verify, fixed_departments, flip_byte,
                              rejected_entries, status_details)
from federation_harness import (BDC, BDC_CATEGORIES, CASE_SYSTEM, CITY, GA, GA_CATEGORIES, PROVINCE, RS,
                                RS_CATEGORIES, RunningFederation, start_federation)
from hedui.gateway import directory_sync
from hedui.gateway.config import load_config
from hedui.gateway.directory import (CIVIL_AFFAIRS, CLIENT, DEPARTMENT, DirectoryView, load_signed_directory,
                                     save_signed)
from hedui.gateway.federation import ANCHOR_ID, NodeSpec
from hedui.gateway.keys import ED25519, SigningKey
from hedui.gateway.node import Node
from hedui.gateway.server import start_server
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import directory_pb2, exchange_pb2, exchange_pb2_grpc

FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION
COUNTY = "140105/MZ"
COUNTY_CLIENT = "140105/MZ/HDXT"


def delegated_specs() -> list[NodeSpec]:
    """Return province, city, district, case system and three departments, each in its signer's segment."""
    return [
        NodeSpec(PROVINCE, "山西省民政厅", CIVIL_AFFAIRS, issues_for=("140000",)),
        NodeSpec(CITY, "太原市民政局", CIVIL_AFFAIRS, parent=PROVINCE, issues_for=("140100",), segment=PROVINCE),
        NodeSpec(RS, "山西省人社厅", DEPARTMENT, parent=PROVINCE, categories=RS_CATEGORIES, segment=PROVINCE),
        NodeSpec(BDC, "山西省不动产登记中心", DEPARTMENT, parent=PROVINCE, categories=BDC_CATEGORIES, segment=PROVINCE),
        NodeSpec(GA, "山西省公安厅", DEPARTMENT, parent=PROVINCE, categories=GA_CATEGORIES, segment=PROVINCE),
        NodeSpec(COUNTY, "小店区民政局", CIVIL_AFFAIRS, parent=CITY, issues_for=("140105",), segment=CITY),
        NodeSpec(CASE_SYSTEM, "太原市核对系统", CLIENT, parent=CITY, segment=CITY),
    ]


@pytest.fixture
async def fed(tmp_path):
    running = await start_federation(tmp_path, adapters={}, overrides=fixed_departments(), specs=delegated_specs())
    yield running
    await running.close()


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture hedui's log records from INFO up."""
    caplog.set_level(logging.INFO, logger="hedui")
    return caplog


def new_entry(node_id: str, parent: str, role: int, issues_for: tuple[str, ...] = ()) -> directory_pb2.NodeEntry:
    """Return a directory entry for a node that is not in the federation yet, with a fresh key."""
    key = SigningKey.generate(node_id)
    return directory_pb2.NodeEntry(
        node_id=node_id, name=node_id, role=role, parent=parent, issues_for_divisions=list(issues_for),
        keys=[directory_pb2.PublicKey(key_id=key.key_id, algorithm=ED25519, public_key=key.public_key)])


def add_node(node_id: str, parent: str, role: int = CLIENT, issues_for: tuple[str, ...] = ()):
    """Return an edit that lists a new node."""
    def edit(directory: directory_pb2.Directory) -> None:
        directory.nodes.append(new_entry(node_id, parent, role, issues_for))
    return edit


def signed_segment(key: SigningKey, *entries: directory_pb2.NodeEntry) -> directory_pb2.SignedDirectory:
    """Return a first (version 1) segment of the given entries, signed by ``key``, valid for a day."""
    now = utcnow()
    directory = directory_pb2.Directory(
        federation="hedui-local", version=1, issued_at=to_timestamp(now),
        expires_at=to_timestamp(now + datetime.timedelta(days=1)), nodes=list(entries))
    data = directory.SerializeToString(deterministic=True)
    return directory_pb2.SignedDirectory(directory=data, signature=key.sign(data))


def county_segment(fed: RunningFederation) -> directory_pb2.SignedDirectory:
    """Return the district's first segment, which lists one client of its own."""
    return signed_segment(fed.fed.load_key(COUNTY), new_entry(COUNTY_CLIENT, COUNTY, CLIENT))


def rename(node_id: str, name: str):
    """Return an edit that changes a node's name, the smallest change that needs a new version."""
    def edit(directory: directory_pb2.Directory) -> None:
        entry_of(directory, node_id).name = name
    return edit


def province_update(running: RunningFederation, bundle=None):
    """Return the held bundle with the province's segment one version up and GA renamed."""
    return resign(bundle or running.directory.signed, running.fed.load_key(PROVINCE), rename(GA, "山西省公安厅（更新）"))


def cached_versions(node: Node) -> dict[str, int] | None:
    """Return the segment versions of a node's cached directory, or None if it has no cache."""
    cache = node.config.data_dir / directory_sync.CACHE_NAME
    if not cache.exists():
        return None
    return load_signed_directory(cache, node.anchor, utcnow()).segment_versions


async def restart(running: RunningFederation, node_id: str) -> Node:
    """Stop a node and start it again from its configuration on the same address; return the new node."""
    index = list(running.nodes).index(node_id)
    await running.servers[index].stop(0)
    await running.nodes[node_id].close()
    running.nodes[node_id] = await Node.start(load_config(running.fed.configs[node_id]))
    running.servers[index], _ = await start_server(running.nodes[node_id], running.fed.addresses[node_id])
    return running.nodes[node_id]


async def serves(running: RunningFederation) -> bool:
    """Send a request from the case system through the city and return whether the province signed the response."""
    response = await call_verify(running.fed.addresses[CITY], case_request(running))
    return response.signature.signer == PROVINCE


# Fetching the parent's copy.

async def test_child_adopts_newer_copy(fed):
    give(fed.nodes[PROVINCE], fed, province_update(fed))

    city = fed.nodes[CITY]
    assert await city.refresh_directory()
    assert city.directory.segment_versions[PROVINCE] == 2
    assert city.directory.node(GA).name == "山西省公安厅（更新）"
    assert await serves(fed)


async def test_adopted_copy_cached(fed):
    give(fed.nodes[PROVINCE], fed, province_update(fed))
    await fed.nodes[CITY].refresh_directory()

    assert cached_versions(fed.nodes[CITY]) == {"": 1, PROVINCE: 2, CITY: 1}


async def test_same_copy_not_adopted(fed):
    city = fed.nodes[CITY]
    held = city.directory

    assert not await city.refresh_directory()
    assert city.directory is held
    # The cache written at start still contains the same versions.
    assert cached_versions(city) == held.segment_versions


async def test_restart_starts_from_cache(fed):
    give(fed.nodes[PROVINCE], fed, province_update(fed))
    await fed.nodes[CITY].refresh_directory()

    city = await restart(fed, CITY)
    assert city.directory.segment_versions[PROVINCE] == 2
    assert await serves(fed)


async def test_restart_prefers_newer_file(fed):
    update = province_update(fed)
    give(fed.nodes[PROVINCE], fed, update)
    await fed.nodes[CITY].refresh_directory()
    save_signed(fed.fed.directory_file, province_update(fed, update))

    city = await restart(fed, CITY)
    assert city.directory.segment_versions[PROVINCE] == 3


# A parent copy that fails verification is never adopted.

def serve_unverified(node: Node, bundle: directory_pb2.SignedDirectory) -> None:
    """Make a node hand out ``bundle`` on GetDirectory while it keeps checking requests with its own copy.

    This stands for a parent that is faulty or was tampered with: a real
    node verifies a copy before it keeps it.
    """
    held = node.directory
    node.directory = DirectoryView(held.directory, held.source, bundle, held.segment_versions)


async def bad_signature(fed: RunningFederation) -> directory_pb2.SignedDirectory:
    bundle = province_update(fed)
    bundle.signature.value = flip_byte(bundle.signature.value)
    return bundle


async def lower_version(fed: RunningFederation) -> directory_pb2.SignedDirectory:
    # The city first takes province segment version 2. The province then offers a newer root that still has version 1.
    give(fed.nodes[PROVINCE], fed, province_update(fed))
    assert await fed.nodes[CITY].refresh_directory()
    return resign(fed.directory.signed, anchor_key(fed), rename(PROVINCE, "山西省民政厅（更新）"))


async def outside_division(fed: RunningFederation) -> directory_pb2.SignedDirectory:
    # 150000 is Inner Mongolia, outside the province's division 140000.
    return resign(fed.directory.signed, fed.fed.load_key(PROVINCE), add_node("150000/RS", PROVINCE, DEPARTMENT))


async def issues_outside_division(fed: RunningFederation) -> directory_pb2.SignedDirectory:
    # 140200 (Datong) is inside the province, but the node could issue authorizations for Inner Mongolia.
    datong = add_node("140200/MZ", PROVINCE, CIVIL_AFFAIRS, issues_for=("150000",))
    return resign(fed.directory.signed, fed.fed.load_key(PROVINCE), datong)


async def department_signer(fed: RunningFederation) -> directory_pb2.SignedDirectory:
    bundle = province_update(fed)
    segment = signed_segment(fed.fed.load_key(RS), new_entry("140000/RS/JK", RS, CLIENT))
    find_segment(bundle, PROVINCE).delegations.append(segment)
    return bundle


@pytest.mark.parametrize(("make_bundle", "reason", "detail"), [
    (bad_signature, "DIRECTORY_SIGNATURE_INVALID", "signature does not match"),
    (lower_version, "DIRECTORY_INVALID", "version is lower"),
    (outside_division, "DIRECTORY_INVALID", "outside 140000/MZ's division"),
    (issues_outside_division, "DIRECTORY_INVALID", "may issue for 150000"),
    (department_signer, "DIRECTORY_SIGNATURE_INVALID", "may not sign"),
], ids=["bad_signature", "lower_version", "outside_division", "issues_outside_division", "department_signer"])
async def test_bad_parent_copy_rejected(fed, warnings, make_bundle, reason, detail):
    serve_unverified(fed.nodes[PROVINCE], await make_bundle(fed))
    city = fed.nodes[CITY]
    held = city.directory
    cached_before = cached_versions(city)

    assert not await city.refresh_directory()
    assert city.directory is held
    assert cached_versions(city) == cached_before
    rejected = [r.getMessage() for r in warnings.records if r.getMessage().startswith("directory from parent rejected")]
    assert len(rejected) == 1, warnings.text
    assert f"reason={reason}" in rejected[0]
    assert detail in rejected[0]
    assert await serves(fed)


# An expired directory.

@pytest.mark.parametrize("signer", [ANCHOR_ID, PROVINCE], ids=["root", "segment"])
async def test_expired_directory_rejects_verify(fed, signer):
    key = anchor_key(fed) if signer == ANCHOR_ID else fed.fed.load_key(signer)
    expires_at = utcnow() + datetime.timedelta(seconds=1)

    def expire_soon(directory: directory_pb2.Directory) -> None:
        directory.expires_at.CopyFrom(to_timestamp(expires_at))

    give(fed.nodes[CITY], fed, resign(fed.directory.signed, key, expire_soon))
    await asyncio.sleep(max(0.0, (expires_at - utcnow()).total_seconds()) + 0.1)

    error = await call_rejected(fed)
    assert_status(error, FAILED_PRECONDITION, "DIRECTORY_EXPIRED")
    await assert_audited_once(fed.nodes[CITY], "DIRECTORY_EXPIRED")


async def call_rejected(fed: RunningFederation) -> grpc.aio.AioRpcError:
    """Send one request through the city that must fail and return the error."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call_verify(fed.fed.addresses[CITY], case_request(fed))
    return caught.value


# Publishing a child's own segment to its parent.

def city_segment(fed: RunningFederation, version: int | None = None) -> directory_pb2.SignedDirectory:
    """Return the city's segment one version up (or at ``version``) with a new client under the district."""
    bundle = resign(fed.directory.signed, fed.fed.load_key(CITY), add_node(COUNTY_CLIENT, COUNTY), version)
    segment = directory_pb2.SignedDirectory()
    segment.CopyFrom(find_segment(bundle, CITY))
    return segment


async def publish(fed: RunningFederation, to: str, as_node: str,
                  segment: directory_pb2.SignedDirectory) -> exchange_pb2.PublishDirectoryResponse:
    """Send PublishDirectory to node ``to`` on a channel that presents as_node's certificate."""
    async with fed.channel(to, as_node=as_node) as channel:
        stub = exchange_pb2_grpc.ExchangeServiceStub(channel)
        return await stub.PublishDirectory(exchange_pb2.PublishDirectoryRequest(segment=segment), timeout=5)


async def publish_rejected(fed: RunningFederation, to: str, as_node: str,
                           segment: directory_pb2.SignedDirectory) -> grpc.aio.AioRpcError:
    """Send PublishDirectory that must fail and return the error."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await publish(fed, to, as_node, segment)
    return caught.value


async def test_publish_updates_parent(fed):
    response = await publish(fed, PROVINCE, CITY, city_segment(fed))

    province = fed.nodes[PROVINCE]
    assert response.version == 2
    assert province.directory.segment_versions[CITY] == 2
    assert COUNTY_CLIENT in province.directory
    assert cached_versions(province) == {"": 1, PROVINCE: 1, CITY: 2}


async def test_publish_audited(fed):
    await publish(fed, PROVINCE, CITY, city_segment(fed))

    entries = [e for e in await fed.nodes[PROVINCE].audit.recent(utcnow() - datetime.timedelta(minutes=1))
               if e.action == "publish_directory"]
    assert [(e.caller, e.outcome) for e in entries] == [(CITY, "ok")]


async def test_published_segment_reaches_grandchild(fed):
    await publish(fed, PROVINCE, CITY, city_segment(fed))

    county = fed.nodes[COUNTY]
    assert await fed.nodes[CITY].refresh_directory()
    assert await county.refresh_directory()
    assert county.directory.segment_versions[CITY] == 2
    assert COUNTY_CLIENT in county.directory


async def test_publish_from_non_child_rejected(fed):
    # The district's parent is the city, so the province does not take its segment.
    error = await publish_rejected(fed, PROVINCE, COUNTY, county_segment(fed))
    info, _ = status_details(error)
    assert_status(error, FAILED_PRECONDITION, "DIRECTORY_INVALID")
    assert "only a child node" in info.metadata["detail_en"]
    await assert_audited_once(fed.nodes[PROVINCE], "DIRECTORY_INVALID")
    assert COUNTY not in fed.nodes[PROVINCE].directory.segment_versions
    assert COUNTY_CLIENT not in fed.nodes[PROVINCE].directory


async def test_publish_over_other_certificate(fed):
    error = await publish_rejected(fed, PROVINCE, GA, city_segment(fed))
    assert_status(error, grpc.StatusCode.UNAUTHENTICATED, "TLS_PEER_MISMATCH")
    assert fed.nodes[PROVINCE].directory.segment_versions[CITY] == 1


async def test_publish_lower_version_rejected(fed):
    await publish(fed, PROVINCE, CITY, city_segment(fed, version=3))

    error = await publish_rejected(fed, PROVINCE, CITY, city_segment(fed, version=2))
    assert_status(error, FAILED_PRECONDITION, "DIRECTORY_INVALID")
    assert fed.nodes[PROVINCE].directory.segment_versions[CITY] == 3
    assert [e.reason for e in await rejected_entries(fed.nodes[PROVINCE])] == ["DIRECTORY_INVALID"]


async def test_republish_carries_district_segment(fed):
    # The district publishes to the city; the city's next publication takes it up to the province.
    await publish(fed, CITY, COUNTY, county_segment(fed))
    city = fed.nodes[CITY]
    await publish(fed, PROVINCE, CITY, find_segment(city.directory.signed, CITY))

    province = fed.nodes[PROVINCE]
    assert city.directory.segment_versions[COUNTY] == 1
    assert province.directory.segment_versions[COUNTY] == 1
    assert COUNTY_CLIENT in province.directory


async def test_parent_update_after_district_publish(fed):
    # The city hands the district's segment up to the province, so the province's next copy is not older.
    await publish(fed, CITY, COUNTY, county_segment(fed))
    give(fed.nodes[PROVINCE], fed, province_update(fed))

    assert await fed.nodes[CITY].refresh_directory()

"""End to end: city → province → RS, BDC and GA nodes → stand-in department systems, in one process."""

from __future__ import annotations

import asyncio
import pathlib
from decimal import Decimal

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from federation_harness import (ALL_CATEGORIES, BDC, CASE_SYSTEM, CITY, GA, PROVINCE, RS, RunningFederation,
                                start_federation)
from hedui.adapters.standin import make_dataset, write_bdc_database
from hedui.adapters.standin.http_service import serve
from hedui.gateway.audit import verify_log
from hedui.gateway.config import load_config
from hedui.gateway.errors import HeduiError
from hedui.gateway.node import Node
from hedui.gateway.server import start_server
from hedui.v1 import common_pb2 as C
from hedui.v1 import exchange_pb2, exchange_pb2_grpc


@pytest.fixture
async def federation(tmp_path: pathlib.Path):
    """A running federation whose departments read the stand-in systems over HTTP and SQL."""
    dataset = make_dataset(seed=7, households=12)
    write_bdc_database(dataset, tmp_path / "bdc.sqlite")
    async with serve(dataset) as standin:
        adapters = {
            RS: {"kind": "rs_http", "base_url": standin.url, "timeout_seconds": 2.0, "retries": 1},
            GA: {"kind": "ga_http", "base_url": standin.url, "timeout_seconds": 2.0, "retries": 1},
            BDC: {"kind": "bdc_sql", "database": str(tmp_path / "bdc.sqlite")},
        }
        running = await start_federation(tmp_path / "fed", adapters)
        running.dataset = dataset  # type: ignore[attr-defined]
        try:
            yield running
        finally:
            await running.close()


def taiyuan_household(dataset, with_pension: bool = False):
    """Return a Taiyuan household, optionally one where someone draws a pension."""
    pensioners = {row["sfzhm"] for row in dataset.rows("rs", "ylj")}
    for household in dataset.households:
        if not household.division_code.startswith("1401"):
            continue
        if with_pension and not pensioners.intersection(m.id_number for m in household.members):
            continue
        return household
    pytest.skip("the synthetic dataset has no suitable Taiyuan household")


def members_of(household) -> list[tuple[str, str, str]]:
    return [(m.id_number, m.name, m.relation_code) for m in household.members]


async def verify_household(running: RunningFederation, household, categories=ALL_CATEGORIES):
    signed = running.authorization(members_of(household), categories=categories)
    async with running.client() as client:
        return await client.verify(signed, [m.id_number for m in household.members], categories,
                                   C.PURPOSE_INITIAL_ELIGIBILITY)


async def test_verify_returns_every_source(federation: RunningFederation) -> None:
    household = taiyuan_household(federation.dataset)
    report = await verify_household(federation, household)

    assert report.responder == PROVINCE
    assert sorted(s.node for s in report.sources) == sorted([RS, BDC, GA])
    for source in report.sources:
        assert source.status in ("ANSWERED", "NO_RECORD")
        assert source.signature_verified
    registration = [r for r in report.source(GA).records if r.category == C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION]
    assert {r.id_number for r in registration} == {m.id_number for m in household.members}


async def test_pension_amount_is_exact_fen(federation: RunningFederation) -> None:
    household = taiyuan_household(federation.dataset, with_pension=True)
    report = await verify_household(federation, household)

    expected = {row["sfzhm"]: int(Decimal(str(row["yljje"])) * 100) for row in federation.dataset.rows("rs", "ylj")}
    pensions = [r for r in report.source(RS).records if r.category == C.DATA_CATEGORY_PENSION]
    assert pensions
    for record in pensions:
        assert record.pension.monthly_amount_fen == expected[record.id_number]
        assert record.HasField("as_of")


async def test_each_node_audits_durably(federation: RunningFederation, tmp_path: pathlib.Path) -> None:
    household = taiyuan_household(federation.dataset)
    report = await verify_household(federation, household)
    await federation.close()

    for node_id, config in federation.fed.configs.items():
        audit_file = config.parent / "data" / "audit.sqlite"
        result = verify_log(audit_file)
        assert result.entries == 1, node_id
        raw = b"".join(path.read_bytes() for path in audit_file.parent.glob("audit.sqlite*"))
        for member in household.members:
            assert member.id_number.encode() not in raw, node_id
    assert report.request_id
    federation.servers.clear()
    federation.nodes.clear()


async def test_sync_client_verifies(federation: RunningFederation) -> None:
    from hedui.sdk import SyncClient

    household = taiyuan_household(federation.dataset)
    signed = federation.authorization(members_of(household), categories=(C.DATA_CATEGORY_VEHICLE,))
    numbers = [m.id_number for m in household.members]

    def run() -> object:
        with SyncClient(federation.fed.addresses[CITY], federation.fed.load_key(CASE_SYSTEM),
                        federation.directory, PROVINCE, tls=federation.fed.tls_material(CASE_SYSTEM)) as client:
            return client.verify(signed, numbers, [C.DATA_CATEGORY_VEHICLE], C.PURPOSE_INITIAL_ELIGIBILITY)

    report = await asyncio.to_thread(run)
    assert [s.node for s in report.sources] == [GA]


async def test_describe_and_health(federation: RunningFederation) -> None:
    async with federation.channel(PROVINCE) as channel:
        described = await exchange_pb2_grpc.ExchangeServiceStub(channel).Describe(exchange_pb2.DescribeRequest())
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="hedui.v1.ExchangeService"))
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        responses = reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
        services = [s.name async for r in responses for s in r.list_services_response.service]

    assert described.node_id == PROVINCE
    assert set(ALL_CATEGORIES) <= set(described.reachable_categories)
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    assert "hedui.v1.ExchangeService" in services


async def test_replay_rejected_after_restart(federation: RunningFederation) -> None:
    household = taiyuan_household(federation.dataset)
    signed = federation.authorization(members_of(household), categories=(C.DATA_CATEGORY_VEHICLE,))
    async with federation.client() as client:
        request = client.build_request(signed, [m.id_number for m in household.members],
                                       [C.DATA_CATEGORY_VEHICLE], C.PURPOSE_INITIAL_ELIGIBILITY)
        await client.send(request)

    # Restart the city on the same address: its guard is seeded from its audit log.
    city_index = list(federation.nodes).index(CITY)
    await federation.servers[city_index].stop(0)
    await federation.nodes[CITY].close()
    node = await Node.start(load_config(federation.fed.configs[CITY]))
    server, _ = await start_server(node, federation.fed.addresses[CITY])
    federation.nodes[CITY] = node
    federation.servers[city_index] = server

    async with federation.client() as client:
        with pytest.raises(HeduiError) as caught:
            await client.send(request)
    assert caught.value.reason == "REPLAY_DETECTED"


async def test_revoked_record_rejected_everywhere(federation: RunningFederation) -> None:
    from hedui.sdk import sign_revocation_list

    household = taiyuan_household(federation.dataset)
    signed = federation.authorization(members_of(household), categories=(C.DATA_CATEGORY_VEHICLE,),
                                      record_id="TY-REVOKE-0001")
    revocations = sign_revocation_list(federation.fed.load_key(CITY), 1, ["TY-REVOKE-0001"])
    async with federation.client() as client:
        published = await client.publish_revocations(revocations)
        with pytest.raises(HeduiError) as caught:
            await client.verify(signed, [m.id_number for m in household.members], [C.DATA_CATEGORY_VEHICLE],
                                C.PURPOSE_INITIAL_ELIGIBILITY)

    assert published.version == 1
    assert PROVINCE in published.relayed_to
    for node_id in (CITY, PROVINCE, RS, BDC, GA):
        assert federation.nodes[node_id].state.revocation_version(CITY) == 1, node_id
    assert caught.value.reason == "AUTHORIZATION_REVOKED"


async def test_second_node_on_same_data_refused(federation: RunningFederation) -> None:
    with pytest.raises(HeduiError) as caught:
        await Node.start(load_config(federation.fed.configs[PROVINCE]))

    assert caught.value.reason == "CONFIG_INVALID"
    assert caught.value.field == "data_dir"

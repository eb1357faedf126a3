"""Low-income status query: a medical insurance node asks civil affairs about its applicants."""

from __future__ import annotations

import asyncio
import pathlib

import pytest

from exchange_helpers import CHILD, EPOCH, HEAD, HOUSEHOLD, OUTSIDER, SPOUSE, rejected_entries
from federation_harness import CITY, PROVINCE, standard_specs, start_federation
from hedui.adapters.base import Adapter, AdapterQuery
from hedui.gateway.directory import DEPARTMENT
from hedui.gateway.errors import HeduiError
from hedui.gateway.federation import NodeSpec
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.sdk import Client
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2

REGISTRY = "140000/MZ/DB"
MEDICAL = "140000/YB"


def _entry(number: str, category: int, status: str, programmes=()) -> records_pb2.Record:
    record = records_pb2.Record(id_number=number, category=C.DATA_CATEGORY_LOW_INCOME_REGISTRY,
                                as_of=to_timestamp(utcnow()))
    entry = record.low_income_registry
    entry.assistance_category = category
    entry.status = status
    entry.start_date = "2023-03-01"
    entry.monthly_benefit_fen = 61_000
    entry.deciding_division.code = "140105"
    entry.programmes.extend(programmes)
    return record


class RegistryAdapter(Adapter):
    """The low-income registry of Shanxi with the head receiving 低保 and medical assistance."""

    categories = frozenset({C.DATA_CATEGORY_LOW_INCOME_REGISTRY})

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        if self.delay:
            await asyncio.sleep(self.delay)
        known = [_entry(HEAD, C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE, "在保",
                        [records_pb2.ASSISTANCE_PROGRAMME_MEDICAL, records_pb2.ASSISTANCE_PROGRAMME_TEMPORARY])]
        return [r for r in known if r.id_number in query.id_numbers]

    async def close(self) -> None:
        return None


class MedicalAdapter(Adapter):
    categories = frozenset({C.DATA_CATEGORY_MEDICAL_INSURANCE})

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        return []

    async def close(self) -> None:
        return None


async def _start(tmp_path: pathlib.Path, delay: float = 0.0):
    specs = standard_specs({}) + [
        NodeSpec(REGISTRY, "山西省低收入人口数据库", DEPARTMENT, parent=PROVINCE,
                 categories=(C.DATA_CATEGORY_LOW_INCOME_REGISTRY,)),
        NodeSpec(MEDICAL, "山西省医疗保障局", DEPARTMENT, parent=PROVINCE,
                 categories=(C.DATA_CATEGORY_MEDICAL_INSURANCE,)),
    ]
    return await start_federation(tmp_path, {}, specs=specs, node_options={"fanout_timeout_seconds": 1.0},
                                  overrides={REGISTRY: RegistryAdapter(delay), MEDICAL: MedicalAdapter()})


def _medical_client(fed) -> Client:
    return Client(fed.fed.addresses[PROVINCE], fed.fed.load_key(MEDICAL), fed.directory, PROVINCE,
                  tls=fed.fed.tls_material(MEDICAL), server_node=PROVINCE)


def _authorization(fed, grantee=MEDICAL, purpose=C.PURPOSE_SPECIAL_ASSISTANCE):
    return fed.authorization(HOUSEHOLD, categories=(C.DATA_CATEGORY_LOW_INCOME_REGISTRY,), purpose=purpose,
                             grantee=grantee)


@pytest.fixture
async def federation(tmp_path: pathlib.Path):
    running = await _start(tmp_path)
    try:
        yield running
    finally:
        await running.close()


async def test_department_learns_status(federation):
    async with _medical_client(federation) as client:
        statuses = await client.low_income_status(_authorization(federation), [HEAD, SPOUSE], "YB-2026-0001")

    head = statuses[HEAD]
    assert head.in_registry is True
    assert head.sources == (REGISTRY,)
    assert len(head.assistance) == 1
    assert head.assistance[0].category == "MINIMUM_LIVING_ALLOWANCE"
    assert head.assistance[0].status == "在保"
    assert head.assistance[0].programmes == ("MEDICAL", "TEMPORARY")
    # Special assistance needs the status, not the amount.
    assert head.assistance[0].monthly_benefit_fen is None
    assert statuses[SPOUSE].in_registry is False
    assert statuses[SPOUSE].assistance == ()


async def test_eligibility_purpose_sees_amount(federation):
    authorization = _authorization(federation, grantee=CITY, purpose=C.PURPOSE_PERIODIC_REVIEW)
    async with federation.client() as client:
        statuses = await client.low_income_status(authorization, [HEAD], purpose=C.PURPOSE_PERIODIC_REVIEW)

    assert statuses[HEAD].assistance[0].monthly_benefit_fen == 61_000


async def test_query_is_audited_at_registry_and_province(federation):
    async with _medical_client(federation) as client:
        await client.low_income_status(_authorization(federation), [CHILD])

    for node_id, action in ((PROVINCE, "verify"), (REGISTRY, "answer")):
        entries = await federation.nodes[node_id].audit.recent(EPOCH)
        assert [(e.caller, e.action, e.outcome) for e in entries] == [(MEDICAL, action, "ok")]


async def test_department_not_grantee_rejected(federation):
    authorization = _authorization(federation, grantee=CITY)
    async with _medical_client(federation) as client:
        with pytest.raises(HeduiError) as caught:
            await client.low_income_status(authorization, [HEAD])

    assert caught.value.reason == "AUTHORIZATION_CALLER_NOT_GRANTEE"
    rejected = await rejected_entries(federation.nodes[PROVINCE])
    assert [e.reason for e in rejected] == ["AUTHORIZATION_CALLER_NOT_GRANTEE"]


async def test_member_outside_authorization_rejected(federation):
    async with _medical_client(federation) as client:
        with pytest.raises(HeduiError) as caught:
            await client.low_income_status(_authorization(federation), [OUTSIDER])

    assert caught.value.reason == "AUTHORIZATION_MEMBER_NOT_COVERED"


async def test_registry_down_means_unknown_not_absent(tmp_path):
    fed = await _start(tmp_path, delay=3.0)
    try:
        async with _medical_client(fed) as client:
            statuses = await client.low_income_status(_authorization(fed), [HEAD, SPOUSE])
    finally:
        await fed.close()

    assert statuses[SPOUSE].in_registry is None
    assert statuses[SPOUSE].reason == "DEPARTMENT_TIMEOUT"
    assert statuses[HEAD].in_registry is None


async def test_registry_cannot_issue_authorizations(federation):
    # The registry shares the province's node id prefix but is a department.
    authorization = federation.authorization(HOUSEHOLD, categories=(C.DATA_CATEGORY_LOW_INCOME_REGISTRY,),
                                             purpose=C.PURPOSE_SPECIAL_ASSISTANCE, grantee=MEDICAL, issuer=REGISTRY)
    async with _medical_client(federation) as client:
        with pytest.raises(HeduiError) as caught:
            await client.low_income_status(authorization, [HEAD])

    assert caught.value.reason == "AUTHORIZATION_ISSUER_NOT_ALLOWED"

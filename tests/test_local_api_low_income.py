"""POST /v1/low-income-status: the medical insurance node's system asks civil affairs about its applicants over HTTP."""

from __future__ import annotations

import base64
import pathlib
from typing import Any, Callable

import aiohttp
import pytest

from exchange_helpers import CHILD, HEAD, HOUSEHOLD, OUTSIDER, SPOUSE
from federation_harness import PROVINCE, RunningFederation, standard_specs, start_federation
from hedui.gateway import _local_api_callers as callers
from hedui.gateway._local_api_requests import LOW_INCOME_FIELDS, LOW_INCOME_REQUIRED
from hedui.gateway.directory import DEPARTMENT
from hedui.gateway.federation import NodeSpec
from hedui.v1 import common_pb2 as C
from test_local_api import ApiClient, api_url, audit_count, audit_rows, callers_file
from test_low_income_status import MEDICAL, REGISTRY, MedicalAdapter, RegistryAdapter

PATH = "/v1/low-income-status"


async def _start(root: pathlib.Path, delay: float = 0.0) -> RunningFederation:
    """Start the standard federation plus the registry and the medical insurance node, which serves the API."""
    specs = standard_specs({}) + [
        NodeSpec(REGISTRY, "山西省低收入人口数据库", DEPARTMENT, parent=PROVINCE,
                 categories=(C.DATA_CATEGORY_LOW_INCOME_REGISTRY,)),
        NodeSpec(MEDICAL, "山西省医疗保障局", DEPARTMENT, parent=PROVINCE,
                 categories=(C.DATA_CATEGORY_MEDICAL_INSURANCE,)),
    ]
    running = await start_federation(root, {}, specs=specs, node_options={"fanout_timeout_seconds": 1.0},
                                     overrides={REGISTRY: RegistryAdapter(delay), MEDICAL: MedicalAdapter()},
                                     local_api=(MEDICAL,))
    running.token = callers.add_caller(callers_file(running, MEDICAL), "yb-system")  # type: ignore[attr-defined]
    return running


@pytest.fixture
async def federation(tmp_path: pathlib.Path):
    running = await _start(tmp_path)
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
async def api(federation: RunningFederation):
    """A client of the medical insurance node's local API with its system's token."""
    async with aiohttp.ClientSession() as session:
        yield ApiClient(session, api_url(federation, MEDICAL), federation.token)  # type: ignore[attr-defined]


def status_body(running: RunningFederation, members: list[str], *, purpose: int = C.PURPOSE_SPECIAL_ASSISTANCE,
                grantee: str = MEDICAL, **changes: Any) -> dict[str, Any]:
    """Return a body under an authorization the city signed for the household's registry entries."""
    signed = running.authorization(HOUSEHOLD, categories=(C.DATA_CATEGORY_LOW_INCOME_REGISTRY,), purpose=purpose,
                                   grantee=grantee)
    body: dict[str, Any] = {
        "authorization": base64.b64encode(signed.SerializeToString()).decode(),
        "members": members,
        "case_reference": "YB-2026-0001",
    }
    body.update(changes)
    return body


def counts(running: RunningFederation) -> tuple[int, int, int]:
    return audit_count(running, MEDICAL), audit_count(running, PROVINCE), audit_count(running, REGISTRY)


async def test_department_learns_status(federation: RunningFederation, api: ApiClient) -> None:
    status, document = await api.post(PATH, status_body(federation, [HEAD, SPOUSE]), valid_request=True)

    assert status == 200
    assert document["responder"] == PROVINCE
    assert document["request_id"]
    head, spouse = document["members"]
    assert head["id_number"] == HEAD
    assert head["in_registry"] is True
    assert head["sources"] == [REGISTRY]
    assert head["reason"] == ""
    assert head["as_of"] is not None
    assert len(head["assistance"]) == 1
    entry = head["assistance"][0]
    assert entry["category"] == "MINIMUM_LIVING_ALLOWANCE"
    assert entry["status"] == "在保"
    assert entry["start_date"] == "2023-03-01"
    assert entry["programmes"] == ["MEDICAL", "TEMPORARY"]
    assert entry["deciding_division"] == "140105"
    # Special assistance needs the status, not the amount.
    assert entry["monthly_benefit_fen"] is None
    assert spouse["id_number"] == SPOUSE
    assert spouse["in_registry"] is False
    assert spouse["assistance"] == []
    assert spouse["as_of"] is None


async def test_members_in_request_order(federation: RunningFederation, api: ApiClient) -> None:
    status, document = await api.post(PATH, status_body(federation, [CHILD, HEAD]))

    assert status == 200
    assert [member["id_number"] for member in document["members"]] == [CHILD, HEAD]
    assert [member["in_registry"] for member in document["members"]] == [False, True]


async def test_periodic_review_sees_amount(federation: RunningFederation, api: ApiClient) -> None:
    body = status_body(federation, [HEAD], purpose=C.PURPOSE_PERIODIC_REVIEW)
    body["purpose"] = "PERIODIC_REVIEW"

    status, document = await api.post(PATH, body, valid_request=True)

    assert status == 200
    assert document["members"][0]["assistance"][0]["monthly_benefit_fen"] == 61_000


async def test_status_audited_at_each_node(federation: RunningFederation, api: ApiClient) -> None:
    status, document = await api.post(PATH, status_body(federation, [HEAD]))

    assert status == 200
    assert audit_rows(federation, MEDICAL)[-1] == ("local_low_income", MEDICAL, "ok", "")
    # The province and the registry saw the medical insurance node as the caller, not its system.
    assert audit_rows(federation, PROVINCE)[-1] == ("verify", MEDICAL, "ok", "")
    assert audit_rows(federation, REGISTRY)[-1] == ("answer", MEDICAL, "ok", "")


async def test_member_not_covered_is_422(federation: RunningFederation, api: ApiClient) -> None:
    status, error = await api.post(PATH, status_body(federation, [OUTSIDER]))

    assert status == 422
    assert error["reason"] == "AUTHORIZATION_MEMBER_NOT_COVERED"
    assert OUTSIDER not in error["message"] + error["message_en"]
    assert audit_rows(federation, MEDICAL)[-1] == ("local_low_income", MEDICAL, "rejected",
                                                   "AUTHORIZATION_MEMBER_NOT_COVERED")


async def test_not_grantee_is_422(federation: RunningFederation, api: ApiClient) -> None:
    status, error = await api.post(PATH, status_body(federation, [HEAD], grantee="140100/MZ"))

    assert status == 422
    assert error["reason"] == "AUTHORIZATION_CALLER_NOT_GRANTEE"


async def test_missing_token_is_401(federation: RunningFederation, api: ApiClient) -> None:
    before = counts(federation)

    status, error = await api.post(PATH, status_body(federation, [HEAD]), token=None)

    assert status == 401
    assert error["reason"] == "API_TOKEN_MISSING"
    assert counts(federation) == before


async def test_wrong_token_is_401(federation: RunningFederation, api: ApiClient) -> None:
    status, error = await api.post(PATH, status_body(federation, [HEAD]), token=callers.new_token())

    assert status == 401
    assert error["reason"] == "API_TOKEN_INVALID"


Edit = Callable[[dict[str, Any]], None]


def _set(key: str, value: Any) -> Edit:
    return lambda body: body.__setitem__(key, value)


def _drop(key: str) -> Edit:
    return lambda body: body.pop(key)


def _spoil_check_character(body: dict[str, Any]) -> None:
    number = body["members"][1]
    body["members"][1] = number[:16] + str((int(number[16]) + 1) % 10) + number[17]


# (name, edit, status, reason, field, whether the documented request schema rejects it too)
BAD_BODIES = [
    ("unknown field", _set("categories", ["LOW_INCOME_REGISTRY"]), 400, "API_UNKNOWN_FIELD", "categories", True),
    ("members missing", _drop("members"), 400, "API_MISSING_FIELD", "members", True),
    ("authorization missing", _drop("authorization"), 400, "API_MISSING_FIELD", "authorization", True),
    ("members empty", _set("members", []), 400, "API_INVALID_FIELD", "members", True),
    ("member repeated", _set("members", [HEAD, HEAD]), 400, "API_INVALID_FIELD", "members[1]", True),
    ("member check character", _spoil_check_character, 400, "INVALID_ID_NUMBER", "members[1]", False),
    ("member not string", _set("members", [140105]), 400, "API_INVALID_FIELD", "members[0]", True),
    ("purpose unknown", _set("purpose", "CURIOSITY"), 400, "API_UNKNOWN_NAME", "purpose", True),
    ("authorization garbage", _set("authorization", base64.b64encode(b"\xff\x00garbage").decode()), 400,
     "API_INVALID_FIELD", "authorization", False),
    ("case reference long", _set("case_reference", "C" * 65), 400, "API_INVALID_FIELD", "case_reference", True),
    ("target not node id", _set("target", "province"), 400, "INVALID_NODE_ID", "target", True),
    ("target unknown", _set("target", "140200/MZ"), 404, "ROUTE_NOT_FOUND", "target", False),
    ("timeout too long", _set("timeout_seconds", 600), 400, "API_INVALID_FIELD", "timeout_seconds", True),
]


@pytest.mark.parametrize(("name", "edit", "status", "reason", "field", "schema_rejects"), BAD_BODIES,
                         ids=[case[0] for case in BAD_BODIES])
async def test_bad_body(federation: RunningFederation, api: ApiClient, name: str, edit: Edit, status: int,
                        reason: str, field: str, schema_rejects: bool) -> None:
    body = status_body(federation, [HEAD, SPOUSE])
    edit(body)
    before = counts(federation)

    got_status, error = await api.post(PATH, body, valid_request=not schema_rejects)

    assert got_status == status, error
    assert error["reason"] == reason
    assert error.get("field") == field
    assert error["message"] and error["message_en"]
    assert HEAD not in error["message"] + error["message_en"]
    assert counts(federation) == before


async def test_wrong_content_type_is_415(federation: RunningFederation, api: ApiClient) -> None:
    status, error = await api.call("POST", PATH, raw=b"{}", content_type="application/x-ndjson")

    assert status == 415
    assert error["reason"] == "API_UNSUPPORTED_MEDIA_TYPE"
    assert "application/json" in error["message_en"]


async def test_schema_matches_parser(federation: RunningFederation, api: ApiClient) -> None:
    schemas = (await api.spec())["components"]["schemas"]

    assert set(schemas["LowIncomeRequest"]["properties"]) == set(LOW_INCOME_FIELDS)
    assert set(schemas["LowIncomeRequest"]["required"]) == set(LOW_INCOME_REQUIRED)


async def test_registry_down_means_unknown(tmp_path: pathlib.Path) -> None:
    running = await _start(tmp_path, delay=3.0)
    try:
        async with aiohttp.ClientSession() as session:
            client = ApiClient(session, api_url(running, MEDICAL), running.token)  # type: ignore[attr-defined]
            status, document = await client.post(PATH, status_body(running, [HEAD, SPOUSE]))
        rows = audit_rows(running, MEDICAL)
    finally:
        await running.close()

    assert status == 200
    for member in document["members"]:
        assert member["in_registry"] is None
        assert member["reason"] == "DEPARTMENT_TIMEOUT"
        assert member["sources"] == []
    assert rows[-1] == ("local_low_income", MEDICAL, "partial", "")

"""The local HTTP/JSON API end to end: a case system posts JSON to the city node, which verifies through the federation.

The other test_local_api_* modules import the fixture and helpers defined here.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import logging
import pathlib
import sqlite3
from typing import Any

import aiohttp
import jsonschema
import pytest

from federation_harness import (ALL_CATEGORIES, BDC, CITY, GA, PROVINCE, RS, RunningFederation, start_federation)
from hedui.adapters.standin import make_dataset, write_bdc_database
from hedui.adapters.standin.http_service import serve
from hedui.gateway import _local_api_callers as callers
from hedui.gateway.audit import verify_log
from hedui.gateway.timeutil import utcnow
from hedui.v1 import common_pb2 as C

JSON = "application/json"
CATEGORY_NAMES = [C.DataCategory.Name(c).removeprefix("DATA_CATEGORY_") for c in ALL_CATEGORIES]


# Helpers shared by the local API tests.

def schema_errors(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """Return the messages of every way ``instance`` breaks ``schema``, whose $refs point into ``spec``."""
    validator = jsonschema.Draft202012Validator({**schema, "components": spec["components"]})
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(instance)]


def request_schema(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return spec["paths"][path][method]["requestBody"]["content"][JSON]["schema"]


def check_response(spec: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    """Assert that the status is documented for the operation and the body matches its schema.

    A path or method the API does not serve is checked against the Error schema.
    """
    operation = spec["paths"].get(path, {}).get(method)
    if operation is None:
        schema: dict[str, Any] = {"$ref": "#/components/schemas/Error"}
    else:
        assert str(status) in operation["responses"], f"{method.upper()} {path} returned undocumented {status}"
        schema = operation["responses"][str(status)]["content"][JSON]["schema"]
    assert schema_errors(spec, schema, body) == []


class ApiClient:
    """An aiohttp client of one node's local API that checks every exchange against the served OpenAPI document."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str | None) -> None:
        self.session = session
        self.base_url = base_url
        self.token = token
        self._spec: dict[str, Any] | None = None

    async def spec(self) -> dict[str, Any]:
        if self._spec is None:
            async with self.session.get(self.base_url + "/v1/openapi.json") as response:
                assert response.status == 200
                self._spec = await response.json()
        return self._spec

    async def call(self, method: str, path: str, body: Any = None, *, token: str | None | bool = True,
                   raw: bytes | None = None, content_type: str = JSON,
                   valid_request: bool | None = None) -> tuple[int, Any]:
        """Send one request and return (status, JSON body) after checking the response against the spec.

        ``token`` True sends this client's token, a string sends that string
        and None sends no Authorization header. With ``valid_request`` True or
        False the JSON body must (or must not) match the documented request schema.
        """
        spec = await self.spec()
        if valid_request is not None:
            errors = schema_errors(spec, request_schema(spec, path, method.lower()), body)
            assert (errors == []) is valid_request, errors or "the request schema accepts this bad request"
        headers = {}
        sent_token = self.token if token is True else token
        if sent_token:
            headers["Authorization"] = f"Bearer {sent_token}"
        data = raw
        if data is None and body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
        if data is not None:
            headers["Content-Type"] = content_type
        async with self.session.request(method, self.base_url + path, data=data, headers=headers) as response:
            assert response.content_type == JSON
            document = await response.json()
            check_response(spec, path, method.lower(), response.status, document)
            return response.status, document

    async def post(self, path: str, body: Any, **options: Any) -> tuple[int, Any]:
        return await self.call("POST", path, body, **options)


def api_url(running: RunningFederation, node_id: str = CITY) -> str:
    return "http://" + running.local_apis[node_id].address


def callers_file(running: RunningFederation, node_id: str = CITY) -> pathlib.Path:
    config = running.nodes[node_id].config
    assert config.local_api is not None
    return config.local_api.callers_file


def audit_rows(running: RunningFederation, node_id: str) -> list[tuple[str, str, str, str]]:
    """Return (action, caller, outcome, reason) of every audit entry of a node, oldest first."""
    path = running.nodes[node_id].config.data_dir / "audit.sqlite"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(connection.execute("SELECT action, caller, outcome, reason FROM audit_entries ORDER BY seq"))
    finally:
        connection.close()


def audit_count(running: RunningFederation, node_id: str) -> int:
    return verify_log(running.nodes[node_id].config.data_dir / "audit.sqlite").entries


def taiyuan_household(dataset: Any) -> Any:
    for household in dataset.households:
        if household.division_code.startswith("1401"):
            return household
    pytest.skip("the synthetic dataset has no Taiyuan household")


def members_of(household: Any) -> list[tuple[str, str, str]]:
    return [(m.id_number, m.name, m.relation_code) for m in household.members]


def verification_body(running: RunningFederation, household: Any, **changes: Any) -> dict[str, Any]:
    """Return a valid verification body for the household under an authorization the city signed."""
    signed = running.authorization(members_of(household))
    body = {
        "authorization": base64.b64encode(signed.SerializeToString()).decode(),
        "members": [m.id_number for m in household.members],
        "categories": CATEGORY_NAMES,
        "purpose": "INITIAL_ELIGIBILITY",
        "case_reference": "TY-2026-DB-0042",
    }
    body.update(changes)
    return body


def authorization_body(household: Any, **changes: Any) -> dict[str, Any]:
    """Return a valid authorization body for the household, valid from five minutes ago for thirty days."""
    now = utcnow().astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    body = {
        "record_id": f"TY-HD-{now:%Y%m%d%H%M%S}-API",
        "household_division": household.division_code,
        "members": [{"id_number": m.id_number, "name": m.name, "relation_code": m.relation_code}
                    for m in household.members],
        "categories": CATEGORY_NAMES,
        "purpose": "PURPOSE_INITIAL_ELIGIBILITY",
        "assistance_category": "MINIMUM_LIVING_ALLOWANCE",
        "case_reference": "TY-2026-DB-0042",
        "not_before": (now - datetime.timedelta(minutes=5)).isoformat(timespec="seconds"),
        "not_after": (now + datetime.timedelta(days=30)).isoformat(timespec="seconds"),
        "use_limit": 5,
        "consent": [{"kind": "PAPER_FORM_DIGEST", "sha256": hashlib.sha256(b"scanned letter").hexdigest(),
                     "handling_officer": "王晓燕"}],
    }
    body.update(changes)
    return body


@pytest.fixture
async def federation(tmp_path: pathlib.Path):
    """A running federation whose city and RS nodes serve the local API, with one registered caller on each."""
    dataset = make_dataset(seed=7, households=12)
    write_bdc_database(dataset, tmp_path / "bdc.sqlite")
    async with serve(dataset) as standin:
        adapters = {
            RS: {"kind": "rs_http", "base_url": standin.url, "timeout_seconds": 2.0, "retries": 1},
            GA: {"kind": "ga_http", "base_url": standin.url, "timeout_seconds": 2.0, "retries": 1},
            BDC: {"kind": "bdc_sql", "database": str(tmp_path / "bdc.sqlite")},
        }
        running = await start_federation(tmp_path / "fed", adapters, local_api=(CITY, RS))
        running.dataset = dataset  # type: ignore[attr-defined]
        running.tokens = {node_id: callers.add_caller(callers_file(running, node_id), "case-system")  # type: ignore[attr-defined]
                          for node_id in (CITY, RS)}
        try:
            yield running
        finally:
            await running.close()


@pytest.fixture
async def api(federation: RunningFederation):
    """A client of the city node's local API with the case system's token."""
    async with aiohttp.ClientSession() as session:
        yield ApiClient(session, api_url(federation), federation.tokens[CITY])  # type: ignore[attr-defined]


# End to end.

async def test_verification_end_to_end(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]

    status, report = await api.post("/v1/verifications", verification_body(federation, household), valid_request=True)

    assert status == 200
    assert report["responder"] == PROVINCE
    assert sorted(source["node"] for source in report["sources"]) == sorted([RS, BDC, GA])
    for source in report["sources"]:
        assert source["status"] in ("ANSWERED", "NO_RECORD")
        assert source["signature_verified"] is True
    registration = [record for source in report["sources"] for record in source["records"]
                    if record["category"] == "DATA_CATEGORY_HOUSEHOLD_REGISTRATION"]
    assert {record["id_number"] for record in registration} == {m.id_number for m in household.members}
    assert report["totals"]["members"] == len(household.members)


async def test_verification_audited_with_node_as_caller(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]

    status, report = await api.post("/v1/verifications", verification_body(federation, household))

    assert status == 200
    assert audit_rows(federation, CITY)[-1] == ("local_verify", CITY, "ok", "")
    # The province saw the city node itself as the caller, not the case system.
    assert ("verify", CITY, "ok", "") in audit_rows(federation, PROVINCE)


async def test_issue_then_verify(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    body = authorization_body(household)

    status, issued = await api.post("/v1/authorizations", body, valid_request=True)

    assert status == 201
    assert issued["signer"] == CITY
    record = issued["record"]
    assert record["issuer"] == CITY
    assert record["grantees"] == [CITY]
    assert record["record_id"] == body["record_id"]
    assert record["purpose"] == "INITIAL_ELIGIBILITY"
    assert record["assistance_category"] == "MINIMUM_LIVING_ALLOWANCE"
    assert record["categories"] == CATEGORY_NAMES
    assert record["use_limit"] == 5
    assert record["consent"][0]["sha256"] == body["consent"][0]["sha256"]
    assert audit_rows(federation, CITY)[-1] == ("issue_authorization", CITY, "ok", "")

    verification = {
        "authorization": issued["authorization"],
        "members": [m.id_number for m in household.members],
        "categories": ["PENSION", "DATA_CATEGORY_VEHICLE"],
        "purpose": "INITIAL_ELIGIBILITY",
    }
    status, report = await api.post("/v1/verifications", verification, valid_request=True)

    assert status == 200
    assert report["responder"] == PROVINCE
    assert sorted(source["node"] for source in report["sources"]) == sorted([RS, GA])


async def test_threshold_questions_only(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    questions = [{"id": "vehicle", "kind": "VEHICLE_VALUE_ABOVE", "amount_fen": 100},
                 {"id": "second_home", "kind": "QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME"}]
    body = verification_body(federation, household, questions=questions, threshold_only=True)

    status, report = await api.post("/v1/verifications", body, valid_request=True)

    assert status == 200
    assert report["threshold_only"] is True
    assert [answer["question_id"] for answer in report["answers"]] == ["vehicle", "second_home"]
    for answer in report["answers"]:
        assert answer["result"] in ("YES", "NO")
    assert all(source["records"] == [] for source in report["sources"])


async def test_policy_rejection_is_422(federation: RunningFederation, api: ApiClient) -> None:
    households = [h for h in federation.dataset.households if h.division_code.startswith("1401")]  # type: ignore[attr-defined]
    if len(households) < 2:
        pytest.skip("the synthetic dataset has fewer than two Taiyuan households")
    body = verification_body(federation, households[0], members=[households[1].members[0].id_number])

    status, error = await api.post("/v1/verifications", body, valid_request=True)

    assert status == 422
    assert error["reason"] == "AUTHORIZATION_MEMBER_NOT_COVERED"
    assert households[1].members[0].id_number not in error["message"] + error["message_en"]
    assert audit_rows(federation, CITY)[-1] == ("local_verify", CITY, "rejected", "AUTHORIZATION_MEMBER_NOT_COVERED")


async def test_unreachable_aggregator_is_502(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    province_server = federation.servers[list(federation.fed.configs).index(PROVINCE)]
    await province_server.stop(0)

    status, error = await api.post("/v1/verifications", verification_body(federation, household, timeout_seconds=5))

    assert status == 502
    assert error["reason"] == "NODE_UNAVAILABLE"
    assert audit_rows(federation, CITY)[-1] == ("local_verify", CITY, "failed", "NODE_UNAVAILABLE")


async def test_department_node_cannot_issue(federation: RunningFederation) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    async with aiohttp.ClientSession() as session:
        client = ApiClient(session, api_url(federation, RS), federation.tokens[RS])  # type: ignore[attr-defined]

        status, error = await client.post("/v1/authorizations", authorization_body(household))

    assert status == 403
    assert error["reason"] == "API_NOT_ISSUER"


async def test_health_without_token(federation: RunningFederation, api: ApiClient) -> None:
    status, health = await api.call("GET", "/v1/health", token=None)

    assert status == 200
    assert health["status"] == "ok"
    assert health["node_id"] == CITY


# Authentication.

async def test_missing_token_is_401(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    before = audit_count(federation, CITY)

    status, error = await api.post("/v1/verifications", verification_body(federation, household), token=None)

    assert status == 401
    assert error["reason"] == "API_TOKEN_MISSING"
    assert error["message"] and error["message_en"]
    assert audit_count(federation, CITY) == before


async def test_wrong_token_is_401(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    wrong = callers.new_token()

    status, error = await api.post("/v1/verifications", verification_body(federation, household), token=wrong)

    assert status == 401
    assert error["reason"] == "API_TOKEN_INVALID"


async def test_other_scheme_is_401(federation: RunningFederation, api: ApiClient) -> None:
    async with api.session.post(api.base_url + "/v1/verifications", json={},
                                headers={"Authorization": f"Basic {api.token}"}) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await response.json())["reason"] == "API_TOKEN_MISSING"


async def test_token_changes_apply_without_restart(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    path = callers_file(federation)
    second = callers.add_caller(path, "benefits-office")

    status, _ = await api.post("/v1/authorizations", authorization_body(household), token=second)
    assert status == 201

    callers.remove_caller(path, "benefits-office")
    status, error = await api.post("/v1/authorizations", authorization_body(household, record_id="TY-HD-2"),
                                   token=second)
    assert status == 401
    assert error["reason"] == "API_TOKEN_INVALID"


async def test_log_names_caller_not_token(federation: RunningFederation, api: ApiClient,
                                          caplog: pytest.LogCaptureFixture) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    caplog.set_level(logging.DEBUG, logger="hedui")

    status, _ = await api.post("/v1/verifications", verification_body(federation, household))

    assert status == 200
    call_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("local api call ")]
    assert any("caller=case-system" in line and "status=200" in line for line in call_lines)
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert api.token is not None and api.token not in everything
    for member in household.members:
        assert member.id_number not in everything

"""Bad input to the local API: each case gets its documented error, names the field and writes no audit entry."""

from __future__ import annotations

import base64
import json
from typing import Any, Callable

import pytest

from federation_harness import CITY, PROVINCE, RunningFederation
from test_local_api import (ApiClient, api, audit_count, authorization_body, federation, taiyuan_household,  # noqa: F401
                            verification_body)

Edit = Callable[[dict[str, Any]], None]


def _set(key: str, value: Any) -> Edit:
    return lambda body: body.__setitem__(key, value)


def _drop(key: str) -> Edit:
    return lambda body: body.pop(key)


def _spoil_member_id(body: dict[str, Any]) -> None:
    # Change the last digit of the check character's input, so only the check character is wrong.
    number = body["members"][0]
    body["members"][0] = number[:16] + str((int(number[16]) + 1) % 10) + number[17]


def _member_field(key: str, value: Any) -> Edit:
    return lambda body: body["members"][0].__setitem__(key, value)


# (name, edit, status, reason, field, whether the documented request schema rejects it too)
VERIFICATION_CASES = [
    ("unknown field", _set("member", ["x"]), 400, "API_UNKNOWN_FIELD", "member", True),
    ("missing purpose", _drop("purpose"), 400, "API_MISSING_FIELD", "purpose", True),
    ("members not array", _set("members", "140105"), 400, "API_INVALID_FIELD", "members", True),
    ("members empty", _set("members", []), 400, "API_INVALID_FIELD", "members", True),
    ("member number type", _set("members", [140105199001011234]), 400, "API_INVALID_FIELD", "members[0]", True),
    # The check character needs arithmetic that JSON Schema cannot express.
    ("member check character", _spoil_member_id, 400, "INVALID_ID_NUMBER", "members[0]", False),
    ("member short", _set("members", ["14010519900101"]), 400, "INVALID_ID_NUMBER", "members[0]", True),
    ("unknown category", _set("categories", ["PENSION", "CAR"]), 400, "API_UNKNOWN_NAME", "categories[1]", True),
    ("unspecified category", _set("categories", ["UNSPECIFIED"]), 400, "API_UNKNOWN_NAME", "categories[0]", True),
    ("repeated category", _set("categories", ["PENSION", "DATA_CATEGORY_PENSION"]), 400, "API_INVALID_FIELD",
     "categories[1]", False),
    ("category number", _set("categories", [5]), 400, "API_INVALID_FIELD", "categories[0]", True),
    ("unknown purpose", _set("purpose", "CURIOSITY"), 400, "API_UNKNOWN_NAME", "purpose", True),
    ("authorization not base64", _set("authorization", "not base64!"), 400, "API_INVALID_FIELD", "authorization",
     False),
    ("authorization garbage", _set("authorization", base64.b64encode(b"\xff\x00garbage").decode()), 400,
     "API_INVALID_FIELD", "authorization", False),
    ("case reference long", _set("case_reference", "C" * 65), 400, "API_INVALID_FIELD", "case_reference", True),
    ("target not node id", _set("target", "province"), 400, "INVALID_NODE_ID", "target", True),
    ("target unknown", _set("target", "140200/MZ"), 404, "ROUTE_NOT_FOUND", "target", False),
    ("question kind unknown", _set("questions", [{"id": "q1", "kind": "YACHT_VALUE_ABOVE", "amount_fen": 1}]), 400,
     "API_UNKNOWN_NAME", "questions[0].kind", True),
    ("question amount missing", _set("questions", [{"id": "q1", "kind": "VEHICLE_VALUE_ABOVE"}]), 400,
     "QUESTION_INVALID", "questions[0]", False),
    ("question id repeated", _set("questions", [{"id": "q1", "kind": "VEHICLE_VALUE_ABOVE", "amount_fen": 1},
                                                {"id": "q1", "kind": "FINANCIAL_ASSETS_ABOVE", "amount_fen": 1}]),
     400, "QUESTION_INVALID", "questions[1]", False),
    ("question extra key", _set("questions", [{"id": "q1", "kind": "VEHICLE_VALUE_ABOVE", "amount": 1}]), 400,
     "API_UNKNOWN_FIELD", "questions[0].amount", True),
    ("threshold only alone", _set("threshold_only", True), 400, "QUESTION_INVALID", "threshold_only", False),
    ("threshold only string", _set("threshold_only", "yes"), 400, "API_INVALID_FIELD", "threshold_only", True),
    ("timeout boolean", _set("timeout_seconds", True), 400, "API_INVALID_FIELD", "timeout_seconds", True),
    ("timeout too long", _set("timeout_seconds", 600), 400, "API_INVALID_FIELD", "timeout_seconds", True),
]

AUTHORIZATION_CASES = [
    ("window reversed", _set("not_after", "2020-01-01T00:00:00+08:00"), 400, "API_INVALID_FIELD", "not_after",
     False),
    ("time without offset", _set("not_before", "2026-03-01T00:00:00"), 400, "API_INVALID_FIELD", "not_before", True),
    ("time not real", _set("not_before", "2026-02-30T00:00:00+08:00"), 400, "API_INVALID_FIELD", "not_before", False),
    ("consent digest short", _set("consent", [{"kind": "PAPER_FORM_DIGEST", "sha256": "abcd"}]), 400,
     "API_INVALID_FIELD", "consent[0].sha256", True),
    ("consent kind unknown", _set("consent", [{"kind": "HANDSHAKE", "sha256": "0" * 64}]), 400,
     "API_UNKNOWN_NAME", "consent[0].kind", True),
    ("consent missing", _drop("consent"), 400, "API_MISSING_FIELD", "consent", True),
    ("relation code one digit", _member_field("relation_code", "2"), 400, "API_INVALID_FIELD",
     "members[0].relation_code", True),
    ("member extra key", _member_field("phone", "13800000000"), 400, "API_UNKNOWN_FIELD", "members[0].phone", True),
    ("member name empty", _member_field("name", ""), 400, "API_INVALID_FIELD", "members[0].name", True),
    ("use limit negative", _set("use_limit", -1), 400, "API_INVALID_FIELD", "use_limit", True),
    ("use limit fraction", _set("use_limit", 1.5), 400, "API_INVALID_FIELD", "use_limit", True),
    ("division short", _set("household_division", "1401"), 400, "INVALID_DIVISION_CODE", "household_division", True),
    ("division outside city", _set("household_division", "410100"), 422, "AUTHORIZATION_ISSUER_NOT_ALLOWED",
     "household_division", False),
    ("grantee invalid", _set("grantees", ["city"]), 400, "INVALID_NODE_ID", "grantees[0]", True),
    ("record id blank", _set("record_id", " "), 400, "API_INVALID_FIELD", "record_id", True),
    ("assistance unknown", _set("assistance_category", "LOTTERY"), 400, "API_UNKNOWN_NAME", "assistance_category",
     True),
]


async def _expect(federation: RunningFederation, api: ApiClient, path: str, body: dict[str, Any], status: int,
                  reason: str, field: str | None, schema_rejects: bool | None) -> dict[str, Any]:
    """Post a bad body and check the error, its field and that neither city nor province audited anything."""
    before = (audit_count(federation, CITY), audit_count(federation, PROVINCE))

    got_status, error = await api.post(path, body, valid_request=None if schema_rejects is None else not schema_rejects)

    assert got_status == status, error
    assert error["reason"] == reason
    assert error.get("field") == field
    assert error["message"] and error["message_en"]
    assert (audit_count(federation, CITY), audit_count(federation, PROVINCE)) == before
    return error


@pytest.mark.parametrize(("name", "edit", "status", "reason", "field", "schema_rejects"), VERIFICATION_CASES,
                         ids=[case[0] for case in VERIFICATION_CASES])
async def test_bad_verification(federation: RunningFederation, api: ApiClient, name: str, edit: Edit, status: int,
                                reason: str, field: str, schema_rejects: bool) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    body = verification_body(federation, household)
    edit(body)

    error = await _expect(federation, api, "/v1/verifications", body, status, reason, field, schema_rejects)

    for member in household.members:
        assert member.id_number not in error["message"] + error["message_en"]


@pytest.mark.parametrize(("name", "edit", "status", "reason", "field", "schema_rejects"), AUTHORIZATION_CASES,
                         ids=[case[0] for case in AUTHORIZATION_CASES])
async def test_bad_authorization(federation: RunningFederation, api: ApiClient, name: str, edit: Edit, status: int,
                                 reason: str, field: str, schema_rejects: bool) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    body = authorization_body(household)
    edit(body)

    await _expect(federation, api, "/v1/authorizations", body, status, reason, field, schema_rejects)


@pytest.mark.parametrize(("raw", "detail"), [
    (b"{", "line 1 column 2"),
    (b"[1, 2]", "top level"),
    (b'{"purpose": "A", "purpose": "B"}', "duplicate key"),
    (b'{"timeout_seconds": NaN}', "not a JSON number"),
    (b"\xff\xfe{}", "UTF-8"),
], ids=["truncated", "array", "duplicate key", "nan", "not utf-8"])
async def test_body_not_json_object(federation: RunningFederation, api: ApiClient, raw: bytes, detail: str) -> None:
    before = audit_count(federation, CITY)

    status, error = await api.call("POST", "/v1/verifications", raw=raw)

    assert status == 400
    assert error["reason"] == "API_INVALID_JSON"
    assert detail.lower() in error["message_en"].lower()
    assert audit_count(federation, CITY) == before


async def test_body_too_large(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    limit = federation.nodes[CITY].config.local_api.max_body_bytes  # type: ignore[union-attr]
    body = verification_body(federation, household, case_reference="C" * limit)
    before = audit_count(federation, CITY)

    status, error = await api.call("POST", "/v1/verifications", raw=json.dumps(body).encode())

    assert status == 413
    assert error["reason"] == "API_BODY_TOO_LARGE"
    assert str(limit) in error["message_en"]
    assert audit_count(federation, CITY) == before


async def test_wrong_content_type(federation: RunningFederation, api: ApiClient) -> None:
    household = taiyuan_household(federation.dataset)  # type: ignore[attr-defined]
    raw = json.dumps(verification_body(federation, household)).encode()

    status, error = await api.call("POST", "/v1/verifications", raw=raw, content_type="text/plain")

    assert status == 415
    assert error["reason"] == "API_UNSUPPORTED_MEDIA_TYPE"


async def test_unknown_path_and_method(federation: RunningFederation, api: ApiClient) -> None:
    status, error = await api.call("GET", "/v1/reports")
    assert status == 404
    assert error["reason"] == "API_NOT_FOUND"

    status, error = await api.call("GET", "/v1/verifications")
    assert status == 405
    assert error["reason"] == "API_METHOD_NOT_ALLOWED"
    assert "POST" in error["message_en"]

    status, error = await api.call("POST", "/v1/health", raw=b"x", content_type="text/plain", token=None)
    assert status == 405
    assert error["reason"] == "API_METHOD_NOT_ALLOWED"

"""The served OpenAPI document: a valid OpenAPI 3.1 description of exactly the routes the API serves."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
from openapi_spec_validator import validate

from federation_harness import CITY, RunningFederation
from hedui.gateway._local_api_errors import API_CATALOG
from hedui.gateway._local_api_requests import (AUTHORIZATION_FIELDS, AUTHORIZATION_REQUIRED, VERIFICATION_FIELDS,
                                               VERIFICATION_REQUIRED)
from hedui.gateway.local_api import build_app
from test_local_api import ApiClient, api, federation, schema_errors  # noqa: F401


def served_routes(running: RunningFederation) -> set[tuple[str, str]]:
    """Return (path, method) of every route the city's API application registers."""
    app = build_app(running.nodes[CITY], running.nodes[CITY].config.local_api)  # type: ignore[arg-type]
    return {(route.resource.canonical, route.method.lower())  # type: ignore[union-attr]
            for route in app.router.routes() if route.method != "*"}


async def test_document_is_valid_openapi(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()

    assert spec["openapi"].startswith("3.1")
    validate(spec)


async def test_every_route_described(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()
    described = {(path, method) for path, operations in spec["paths"].items() for method in operations}

    assert served_routes(federation) == described


async def test_request_fields_match_parsers(federation: RunningFederation, api: ApiClient) -> None:
    schemas = (await api.spec())["components"]["schemas"]

    assert set(schemas["VerificationRequest"]["properties"]) == set(VERIFICATION_FIELDS)
    assert set(schemas["VerificationRequest"]["required"]) == set(VERIFICATION_REQUIRED)
    assert set(schemas["AuthorizationRequest"]["properties"]) == set(AUTHORIZATION_FIELDS)
    assert set(schemas["AuthorizationRequest"]["required"]) == set(AUTHORIZATION_REQUIRED)


async def test_error_statuses_described(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()
    statuses = {status for path in ("/v1/authorizations", "/v1/verifications")
                for status in spec["paths"][path]["post"]["responses"]}

    for reason, (status, _, _) in API_CATALOG.items():
        if reason == "API_NOT_ISSUER":
            assert str(status) in spec["paths"]["/v1/authorizations"]["post"]["responses"]
        else:
            assert str(status) in statuses, reason


async def test_bearer_required_except_public(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()

    assert spec["security"] == [{"bearer": []}]
    public = {path for path, operations in spec["paths"].items()
              for operation in operations.values() if operation.get("security") == []}
    assert public == {"/v1/health", "/v1/openapi.json"}
    async with aiohttp.ClientSession() as session:
        for path in public:
            async with session.get(api.base_url + path) as response:
                assert response.status == 200


def _walk_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [ref for key, value in node.items()
                for ref in ([value] if key == "$ref" else _walk_refs(value))]
    if isinstance(node, list):
        return [ref for item in node for ref in _walk_refs(item)]
    return []


async def test_every_schema_used(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()
    used = {re.sub(r"^#/components/schemas/", "", ref) for ref in _walk_refs(spec)}

    assert used == set(spec["components"]["schemas"])


async def test_examples_match_schemas(federation: RunningFederation, api: ApiClient) -> None:
    spec = await api.spec()
    error = {"reason": "API_TOKEN_MISSING", "message": "请求未携带令牌。", "message_en": "No token."}

    assert schema_errors(spec, {"$ref": "#/components/schemas/Error"}, error) == []
    assert schema_errors(spec, {"$ref": "#/components/schemas/Error"}, {**error, "extra": 1}) != []

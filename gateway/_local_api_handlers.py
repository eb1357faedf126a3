"""Handlers of the local API's endpoints, and the SDK clients the node verifies through."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
from typing import Any

from aiohttp import web

from hedui import __version__
from hedui.gateway._local_api_audit import COMPLETE_SOURCE_STATUSES, answer_digest, audit_sent_query, failure_outcome
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway._local_api_openapi import openapi_document
from hedui.gateway._local_api_requests import AuthorizationRequest, parse_authorization, parse_verification
from hedui.gateway.audit import AuditEntry
from hedui.gateway.authorization import category_name, purpose_name
from hedui.gateway.directory import CIVIL_AFFAIRS
from hedui.gateway.errors import HeduiError, Reason
from hedui.gateway.node import Node
from hedui.gateway.timeutil import from_timestamp
from hedui.sdk import AuthorizationBuilder, Client, sign_authorization
from hedui.v1 import authorization_pb2, common_pb2

log = logging.getLogger(__name__)

NODE_KEY: web.AppKey[Node] = web.AppKey("node", Node)
SENDERS_KEY: web.AppKey["Senders"] = web.AppKey("senders")
BODY_KEY: web.RequestKey[dict[str, Any]] = web.RequestKey("body", dict)
CALLER_KEY: web.RequestKey[str] = web.RequestKey("caller", str)
# Seconds an SDK client replaced after a key, certificate or directory change
# stays open, so verifications already on it can finish.
RETIRE_AFTER_SECONDS = 30.0


class Senders:
    """SDK clients that send Verify as this node, one per target, reused across requests.

    A client is built with the node's key, TLS files and directory at that
    moment, so it is replaced when ``reload_credentials`` or a directory
    refresh switches any of them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node
        self._clients: dict[str, tuple[tuple[Any, ...], Client]] = {}
        self._retiring: set[asyncio.Task[None]] = set()

    def default_target(self) -> str:
        """Return the node's parent, the aggregator a case system normally queries, or the node itself at the top."""
        return self.node.directory.node(self.node.id).parent or self.node.id

    def client(self, target: str) -> Client:
        """Return a client for ``target``; raise ROUTE_NOT_FOUND when the directory has no way there."""
        node = self.node
        if target == node.id:
            hop = node.directory.node(node.id)
            if not hop.address:
                raise HeduiError(Reason.ROUTE_NOT_FOUND, target, ("本节点在目录中没有地址", "this node has no address in the directory"))
        else:
            hop = node.directory.next_hop(node.id, target)
        identity = (hop.node_id, hop.address, node.key, node.transport.tls, node.directory)
        cached = self._clients.get(target)
        if cached is not None and cached[0] == identity:
            return cached[1]
        client = Client(hop.address, node.key, node.directory, target, now=node.now, tls=node.transport.tls,
                        server_node=hop.node_id)
        self._clients[target] = (identity, client)
        if cached is not None:
            self._retire(cached[1])
        return client

    def _retire(self, client: Client) -> None:
        async def close_later() -> None:
            await asyncio.sleep(RETIRE_AFTER_SECONDS)
            await client.close()

        task = asyncio.ensure_future(close_later())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def close(self) -> None:
        """Close every client now, the retiring ones too."""
        for task in list(self._retiring):
            task.cancel()
        for _, client in self._clients.values():
            await client.close()
        self._clients.clear()


def json_response(document: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(document, status=status, dumps=lambda value: json.dumps(value, ensure_ascii=False))


async def health(request: web.Request) -> web.Response:
    """GET /v1/health: whether the node serves, with its id and directory version."""
    node = request.app[NODE_KEY]
    expired = node.now() >= node.directory.expires_at
    return json_response({
        "status": "directory_expired" if expired else "ok",
        "node_id": node.id,
        "software_version": __version__,
        "directory_version": node.directory.version,
        "directory_expires_at": node.directory.expires_at.isoformat(),
    })


async def openapi(request: web.Request) -> web.Response:
    """GET /v1/openapi.json: the OpenAPI 3.1 description of this API."""
    return json_response(openapi_document())


async def create_authorization(request: web.Request) -> web.Response:
    """POST /v1/authorizations: build, sign and audit an authorization record issued by this node."""
    node = request.app[NODE_KEY]
    entry = node.directory.node(node.id)
    if entry.role != CIVIL_AFFAIRS:
        raise ApiError.of("API_NOT_ISSUER", node.id)
    body = parse_authorization(request[BODY_KEY])
    division = body.household_division or node.id[:6]
    if not node.directory.may_issue_for(node.id, division):
        raise ApiError.from_hedui(HeduiError(
            Reason.AUTHORIZATION_ISSUER_NOT_ALLOWED, node.id,
            (f"不能为行政区划 {division} 签发", f"may not issue for division {division}"), "household_division"))

    record = _build_record(node, body)
    signed = sign_authorization(record, node.key)
    await node.audit.append(AuditEntry(
        occurred_at=node.now(), request_id=record.record_id, caller=node.id, node=node.id,
        action="issue_authorization", subject_id_numbers=tuple(m.id_number for m in record.members),
        authorization_id=record.record_id, categories=tuple(record.categories), outcome="ok", reason="",
        answer_sha256=hashlib.sha256(signed.record).digest(),
    ))
    log.info("authorization issued caller=%s record_id=%s members=%s",
             request[CALLER_KEY], record.record_id, len(record.members))
    return json_response({
        "authorization": base64.b64encode(signed.SerializeToString(deterministic=True)).decode("ascii"),
        "signer": signed.signature.signer,
        "key_id": signed.signature.key_id,
        "record": record_document(record),
    }, status=201)


def _build_record(node: Node, body: AuthorizationRequest) -> authorization_pb2.AuthorizationRecord:
    """Build the record with the SDK builder; the body was checked, so the builder's own checks pass."""
    builder = (AuthorizationBuilder().record_id(body.record_id).issuer(node.id, body.household_division)
               .categories(*body.categories).purpose(body.purpose).valid(body.not_before, body.not_after)
               .use_limit(body.use_limit))
    for grantee in body.grantees or (node.id,):
        builder = builder.grantee(grantee)
    if body.assistance_category is not None:
        builder = builder.assistance_category(body.assistance_category)
    if body.case_reference:
        builder = builder.case_reference(body.case_reference)
    for member in body.members:
        builder = builder.member(member.id_number, member.name, member.relation_code)
    for evidence in body.consent:
        builder = builder.consent_digest(evidence.kind, evidence.sha256, evidence.handling_officer)
    try:
        return builder.build(issued_at=node.now())
    except HeduiError as exc:
        # The request checks cover the schema rules, so this means they drifted apart.
        raise ApiError.from_hedui(exc, field=exc.field.split(".")[0]) from exc


def record_document(record: authorization_pb2.AuthorizationRecord) -> dict[str, Any]:
    """Return the record's fields in the request's JSON form."""
    return {
        "record_id": record.record_id,
        "issuer": record.issuer,
        "household_division": record.household_division,
        "grantees": list(record.grantees),
        "members": [{"id_number": m.id_number, "name": m.name, "relation_code": m.relation_code}
                    for m in record.members],
        "categories": [category_name(c) for c in record.categories],
        "purpose": purpose_name(record.purpose),
        "assistance_category": (common_pb2.AssistanceCategory.Name(record.assistance_category)
                                .removeprefix("ASSISTANCE_CATEGORY_") if record.assistance_category else None),
        "case_reference": record.case_reference,
        "not_before": from_timestamp(record.not_before).isoformat(),
        "not_after": from_timestamp(record.not_after).isoformat(),
        "use_limit": record.use_limit,
        "consent": [{"kind": authorization_pb2.ConsentEvidence.Kind.Name(c.kind).removeprefix("KIND_"),
                     "sha256": c.sha256.hex(), "handling_officer": c.handling_officer} for c in record.consent],
        "issued_at": from_timestamp(record.issued_at).isoformat(),
    }


async def create_verification(request: web.Request) -> web.Response:
    """POST /v1/verifications: send Verify as this node, verify every signature and return the report."""
    node = request.app[NODE_KEY]
    senders = request.app[SENDERS_KEY]
    body = parse_verification(request[BODY_KEY])
    target = body.target or senders.default_target()
    try:
        client = senders.client(target)
    except HeduiError as exc:
        raise ApiError.from_hedui(exc, field="target" if body.target else "") from exc

    audited = {"authorization": body.authorization, "members": body.members, "categories": body.categories}
    try:
        report = await client.verify(**body.verify_arguments())
    except HeduiError as exc:
        error = ApiError.from_hedui(exc, upstream=True)
        await audit_sent_query(node, "local_verify", request_id="", outcome=failure_outcome(exc.reason),
                               reason=exc.reason, **audited)
        log.info("verification not completed caller=%s target=%s reason=%s status=%s",
                 request[CALLER_KEY], target, exc.reason, error.status)
        raise error from exc

    document = report.to_dict()
    outcome = "ok" if all(source.status in COMPLETE_SOURCE_STATUSES for source in report.sources) else "partial"
    await audit_sent_query(node, "local_verify", request_id=report.request_id, outcome=outcome,
                           answer_sha256=answer_digest(document), **audited)
    log.info("verification done caller=%s target=%s request_id=%s outcome=%s sources=%s",
             request[CALLER_KEY], target, report.request_id, outcome, len(report.sources))
    return json_response(document)

"""The node's local HTTP/JSON API for its own organisation's systems.

Case systems in any language post plain JSON. The node signs, sends and
verifies, then returns JSON. The API listens on loopback or a Unix socket
only (``[local_api]`` in the node configuration), and every call except
health and the OpenAPI document needs a bearer token from
``hedui api token add``.

Each request passes three steps before its handler runs:

1. The peer must be on this machine: a loopback address or the Unix socket
   (403 otherwise). The listen address already ensures this; the check
   guards against a proxy or a changed listen setting.
2. The route must exist (404 or 405 otherwise), and the bearer token must
   belong to a registered caller (401 otherwise).
3. A POST body must be ``application/json`` within ``max_body_bytes`` and
   one JSON object (415, 413 or 400 otherwise). A route in
   ``STREAMED_BODIES`` only gets its media type checked here, and its
   handler reads the body in pieces under its own limits.

Errors are always JSON: ``{reason, message, message_en, field?}``.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from typing import Any, Awaitable, Callable

from aiohttp import web

from hedui.gateway._local_api_callers import CallerRegistry
from hedui.gateway._local_api_errors import ApiError
from hedui.gateway._local_api_fields import parse_json_object
from hedui.gateway._local_api_handlers import (BODY_KEY, CALLER_KEY, NODE_KEY, SENDERS_KEY, Senders,
                                               create_authorization, create_verification, health, openapi)
from hedui.gateway._local_api_low_income import query_low_income_status
from hedui.gateway._local_api_requests import NDJSON
from hedui.gateway._local_api_review import run_review
from hedui.gateway.config import LocalApiConfig
from hedui.gateway.errors import HeduiError, Reason
from hedui.gateway.node import Node

log = logging.getLogger(__name__)

REGISTRY_KEY: web.AppKey[CallerRegistry] = web.AppKey("callers", CallerRegistry)
MAX_BODY_KEY: web.AppKey[int] = web.AppKey("max_body_bytes", int)
# Seconds that calls in flight get to finish when the API stops.
SHUTDOWN_GRACE_SECONDS = 5.0
PUBLIC_PATHS = frozenset({"/v1/health", "/v1/openapi.json"})
# Routes whose handler reads the request body itself, line by line, with the media type each takes.
# aiohttp applies client_max_size (max_body_bytes) only in request.read(), which these never call.
STREAMED_BODIES = {"/v1/reviews": NDJSON}
JSON = "application/json"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def peer_is_local(peername: Any, family: int | None) -> bool:
    """Return True for a Unix socket peer or a loopback IP address (IPv4-mapped IPv6 included)."""
    if family == socket.AF_UNIX:
        return True
    if not isinstance(peername, (tuple, list)) or not peername:
        return False
    try:
        address = ipaddress.ip_address(str(peername[0]).split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _peer(request: web.Request) -> tuple[Any, int | None]:
    """Return the transport's peer address and socket family; headers such as X-Forwarded-For are not read."""
    transport = request.transport
    if transport is None:
        return None, None
    sock = transport.get_extra_info("socket")
    return transport.get_extra_info("peername"), getattr(sock, "family", None)


def check_local_peer(request: web.Request) -> None:
    """Raise API_PEER_NOT_LOCAL (403) unless the request came over loopback or the Unix socket."""
    peername, family = _peer(request)
    if not peer_is_local(peername, family):
        peer_address = str(peername[0]) if isinstance(peername, (tuple, list)) and peername else "-"
        log.warning("local api call from a non-loopback peer rejected peer=%s", peer_address)
        raise ApiError.of("API_PEER_NOT_LOCAL", peer_address[:64])


def _bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a JSON error response and log each call with its caller name, never its token."""
    started = time.monotonic()
    try:
        response = await handler(request)
    except ApiError as error:
        response = _error_response(error)
    except web.HTTPNotFound:
        response = _error_response(ApiError.of("API_NOT_FOUND", request.path[:100]))
    except web.HTTPMethodNotAllowed as exc:
        allowed = ", ".join(sorted(exc.allowed_methods))
        response = _error_response(ApiError.of("API_METHOD_NOT_ALLOWED", request.path[:100], allowed))
        response.headers["Allow"] = allowed
    except web.HTTPException as exc:
        log.warning("local api http error path=%s status=%s", request.path[:100], exc.status)
        response = _error_response(ApiError.from_hedui(HeduiError(Reason.INTERNAL, request.path[:100])))
    except Exception:
        log.exception("local api call failed caller=%s path=%s", request.get(CALLER_KEY, "-"), request.path[:100])
        response = _error_response(ApiError.from_hedui(HeduiError(Reason.INTERNAL, request.path[:100])))
    reason = getattr(response, "hedui_reason", "")
    log.info("local api call caller=%s method=%s path=%s status=%s reason=%s ms=%.0f",
             request.get(CALLER_KEY, "-"), request.method, request.path[:100], response.status, reason or "-",
             (time.monotonic() - started) * 1000)
    return response


def _error_response(error: ApiError) -> web.Response:
    response = web.json_response(error.body(), status=error.status,
                                 dumps=lambda value: json.dumps(value, ensure_ascii=False))
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hedui"'
    response.hedui_reason = error.reason  # type: ignore[attr-defined]
    return response


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Check the peer, the token and the body before the handler runs (steps 1 to 3)."""
    # Step 1.
    check_local_peer(request)

    # Step 2. An unknown path or method gets its 404 or 405 before the token and body checks.
    if request.match_info.http_exception is not None:
        raise request.match_info.http_exception
    if request.path not in PUBLIC_PATHS:
        token = _bearer_token(request)
        if token is None:
            raise ApiError.of("API_TOKEN_MISSING")
        caller = request.app[REGISTRY_KEY].authenticate(token)
        if caller is None:
            raise ApiError.of("API_TOKEN_INVALID")
        request[CALLER_KEY] = caller

    # Step 3.
    if request.method == "POST":
        expected = STREAMED_BODIES.get(request.path, JSON)
        if request.content_type != expected:
            raise ApiError.of("API_UNSUPPORTED_MEDIA_TYPE", request.content_type[:64], expected)
        if request.path in STREAMED_BODIES:
            return await handler(request)
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise ApiError.of("API_BODY_TOO_LARGE", detail=str(request.app[MAX_BODY_KEY])) from None
        request[BODY_KEY] = parse_json_object(raw)
    return await handler(request)


def build_app(node: Node, config: LocalApiConfig) -> web.Application:
    """Return the API application for ``node``; it is frozen once it serves."""
    app = web.Application(client_max_size=config.max_body_bytes, middlewares=[_errors, _guard])
    app[NODE_KEY] = node
    app[SENDERS_KEY] = Senders(node)
    app[REGISTRY_KEY] = CallerRegistry(config.callers_file)
    app[MAX_BODY_KEY] = config.max_body_bytes
    app.router.add_get("/v1/health", health, allow_head=False)
    app.router.add_get("/v1/openapi.json", openapi, allow_head=False)
    app.router.add_post("/v1/authorizations", create_authorization)
    app.router.add_post("/v1/verifications", create_verification)
    app.router.add_post("/v1/low-income-status", query_low_income_status)
    app.router.add_post("/v1/reviews", run_review)

    async def close_senders(app: web.Application) -> None:
        await app[SENDERS_KEY].close()

    app.on_cleanup.append(close_senders)
    return app


class LocalApi:
    """A running local API; create it with ``await LocalApi.start(...)`` and stop it with ``await stop()``."""

    def __init__(self, runner: web.AppRunner, site: web.BaseSite, address: str) -> None:
        self._runner = runner
        self._site = site
        self.address = address

    @classmethod
    async def start(cls, node: Node, config: LocalApiConfig) -> "LocalApi":
        """Serve the API on the configured loopback address or Unix socket.

        Raises CONFIG_INVALID when the address cannot be bound.
        """
        app = build_app(node, config)
        if len(app[REGISTRY_KEY]) == 0:
            log.warning("local api has no callers yet; add one with hedui api token add path=%s", config.callers_file)
        # The error middleware logs each call with its caller, so aiohttp's access log is off.
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
        await runner.setup()
        site: web.BaseSite
        try:
            if config.unix_path is not None:
                config.unix_path.parent.mkdir(parents=True, exist_ok=True)
                # A socket file left by a node that did not stop cleanly would block the bind.
                if config.unix_path.is_socket():
                    config.unix_path.unlink()
                site = web.UnixSite(runner, str(config.unix_path))
                await site.start()
                config.unix_path.chmod(0o660)
                address = f"unix:{config.unix_path}"
            else:
                site = web.TCPSite(runner, config.host, config.port, reuse_port=False)
                await site.start()
                address = _bound_address(runner, config)
        except OSError as exc:
            await runner.cleanup()
            raise HeduiError(Reason.CONFIG_INVALID, config.listen,
                             (f"本地 API 无法监听该地址（{exc.strerror or exc}），可能已被占用",
                              f"the local API cannot listen on this address ({exc.strerror or exc}); it may be in use"),
                             "local_api.listen") from exc
        log.info("local api serving node_id=%s address=%s", node.id, address)
        return cls(runner, site, address)

    async def stop(self) -> None:
        """Stop accepting calls, give calls in flight SHUTDOWN_GRACE_SECONDS to finish, then close the clients."""
        await self._runner.cleanup()
        log.info("local api stopped address=%s", self.address)


def _bound_address(runner: web.AppRunner, config: LocalApiConfig) -> str:
    """Return HOST:PORT as bound, so port 0 in the configuration shows the port the system chose."""
    port = runner.addresses[0][1] if runner.addresses else config.port
    host = f"[{config.host}]" if config.host and ":" in config.host else config.host
    return f"{host}:{port}"

"""The gRPC server of a node (ExchangeService, health checking, reflection) and the node process around it."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from hedui.gateway.config import NodeConfig
from hedui.gateway.errors import HeduiError, Reason, current_lang
from hedui.gateway.local_api import LocalApi
from hedui.gateway.node import RELAYED_FROM_HEADER, Node, RequestContext
from hedui.gateway.transport import peer_certificate_sha256
from hedui.v1 import exchange_pb2, exchange_pb2_grpc

log = logging.getLogger(__name__)

SERVICE_NAME = exchange_pb2.DESCRIPTOR.services_by_name["ExchangeService"].full_name
MAX_MESSAGE_BYTES = 8 * 1024 * 1024


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


class ExchangeServicer(exchange_pb2_grpc.ExchangeServiceServicer):
    """Maps RPCs to the node and every rejection to a rich gRPC status, audited first."""

    def __init__(self, node: Node) -> None:
        self.node = node

    async def Verify(self, request: exchange_pb2.VerifyRequest,
                     context: grpc.aio.ServicerContext) -> exchange_pb2.VerifyResponse:
        ctx = RequestContext()
        try:
            return await self.node.verify(request, ctx, context.time_remaining(), peer_certificate_sha256(context))
        except HeduiError as error:
            await self._reject(context, ctx, "verify", error)
        except Exception:
            log.exception("verify failed request_id=%s caller=%s", ctx.request_id, ctx.caller)
            await self._reject(context, ctx, "verify", HeduiError(Reason.INTERNAL, ctx.request_id))
        raise AssertionError("unreachable: abort raises")

    async def Describe(self, request: exchange_pb2.DescribeRequest,
                       context: grpc.aio.ServicerContext) -> exchange_pb2.DescribeResponse:
        return self.node.describe()

    async def PublishRevocations(self, request: exchange_pb2.PublishRevocationsRequest,
                                 context: grpc.aio.ServicerContext) -> exchange_pb2.PublishRevocationsResponse:
        ctx = RequestContext()
        try:
            self.node.check_peer(peer_certificate_sha256(context), None, self.node.now())
            metadata = dict(context.invocation_metadata() or ())
            return await self.node.publish_revocations(request, ctx, str(metadata.get(RELAYED_FROM_HEADER, "")))
        except HeduiError as error:
            await self._reject(context, ctx, "publish_revocations", error)
        except Exception:
            log.exception("publish_revocations failed caller=%s", ctx.caller)
            await self._reject(context, ctx, "publish_revocations", HeduiError(Reason.INTERNAL, ctx.caller))
        raise AssertionError("unreachable: abort raises")

    async def GetDirectory(self, request: exchange_pb2.GetDirectoryRequest,
                           context: grpc.aio.ServicerContext) -> exchange_pb2.GetDirectoryResponse:
        try:
            self.node.check_peer(peer_certificate_sha256(context), None, self.node.now())
            return self.node.get_directory()
        except HeduiError as error:
            log.warning("get_directory rejected reason=%s", error.reason)
            await context.abort_with_status(error.to_status())
        raise AssertionError("unreachable: abort raises")

    async def PublishDirectory(self, request: exchange_pb2.PublishDirectoryRequest,
                               context: grpc.aio.ServicerContext) -> exchange_pb2.PublishDirectoryResponse:
        ctx = RequestContext(caller=request.segment.signature.signer)
        try:
            response = await self.node.publish_directory(request, peer_certificate_sha256(context))
            await self.node.audit_event(ctx, "publish_directory", "ok", "")
            return response
        except HeduiError as error:
            await self._reject(context, ctx, "publish_directory", error)
        except Exception:
            log.exception("publish_directory failed caller=%s", ctx.caller)
            await self._reject(context, ctx, "publish_directory", HeduiError(Reason.INTERNAL, ctx.caller))
        raise AssertionError("unreachable: abort raises")

    async def _reject(self, context: grpc.aio.ServicerContext, ctx: RequestContext, action: str,
                      error: HeduiError) -> None:
        """Audit the rejection durably, then abort the call with the error's status."""
        log.warning("%s rejected request_id=%s caller=%s reason=%s", action, ctx.request_id, ctx.caller, error.reason)
        try:
            await self.node.audit_rejection(ctx, action, error)
        except Exception:
            # Nothing leaves without its audit entry: report an internal error instead.
            log.exception("audit of a rejection failed request_id=%s", ctx.request_id)
            error = HeduiError(Reason.INTERNAL, ctx.request_id)
        await context.abort_with_status(error.to_status())


async def start_server(node: Node, listen: str) -> tuple[grpc.aio.Server, int]:
    """Start a grpc.aio server for the node with health and reflection; return it and its port."""
    server = grpc.aio.server(options=[
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
        # gRPC sets SO_REUSEPORT by default, which lets a second node bind the
        # same address and silently take a share of this node's calls.
        ("grpc.so_reuseport", 0),
    ])
    exchange_pb2_grpc.add_ExchangeServiceServicer_to_server(ExchangeServicer(node), server)

    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection((SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server)

    if not node.transport.secure:
        log.warning("node serving WITHOUT TLS node_id=%s; use plaintext only for development on loopback", node.id)
    try:
        port = node.transport.add_port(server, listen)
    except RuntimeError:
        port = 0
    if port == 0:
        raise HeduiError(Reason.CONFIG_INVALID, listen, ("无法监听该地址，可能已被占用", "cannot listen on this address, which may be in use"))
    await server.start()
    for name in ("", SERVICE_NAME):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("node serving node_id=%s port=%s", node.id, port)
    return server, port


async def _reload(node: Node) -> None:
    await node.refresh_directory()
    await node.reload_credentials()


async def run_node(config: NodeConfig, ready_line: bool = True) -> None:
    """Start a node from its configuration and serve until SIGTERM or SIGINT."""
    node = await Node.start(config)
    server, port = await start_server(node, config.listen)
    local_api = None
    if config.local_api is not None:
        try:
            local_api = await LocalApi.start(node, config.local_api)
        except BaseException:
            await server.stop(0)
            await node.close()
            raise
    refresher = asyncio.create_task(node.refresh_loop(config.directory_refresh_seconds))
    if ready_line:
        # The READY line is for supervisors and the demo; the lines on stderr are for people.
        print(f"READY {config.node_id} {port}", flush=True)
        print(_t(f"节点 {config.node_id} 已启动，监听 {config.listen}（端口 {port}）。按 Ctrl-C 停止。",
                 f"node {config.node_id} is serving on {config.listen} (port {port}). Press Ctrl-C to stop."),
              file=sys.stderr, flush=True)
        if local_api is not None:
            print(_t(f"本地 API 监听 {local_api.address}。", f"local API serving on {local_api.address}."),
                  file=sys.stderr, flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    # SIGHUP re-reads the directory file, the signing key and the TLS certificate without a restart.
    loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(_reload(node)))
    await stop.wait()

    log.info("node stopping node_id=%s", config.node_id)
    refresher.cancel()
    # The local API stops first, so no new verification starts while the gRPC server drains.
    if local_api is not None:
        await local_api.stop()
    await server.stop(grace=2)
    await node.close()
    if ready_line:
        print(_t(f"节点 {config.node_id} 已停止。", f"node {config.node_id} stopped."), file=sys.stderr, flush=True)

"""Stand-in HTTP/JSON department systems serving a synthetic dataset.

Run as ``python -m hedui.adapters.standin.http_service --data DIR`` to serve
on 127.0.0.1; the process prints ``READY http://HOST:PORT`` once listening.
One process serves five departments, each under its own path prefix and with
its own request and response envelope: 人社 (``/rs/api/v1``) and 公安
(``/ga/api/v1``) as ``hedui.adapters.dept_rs`` and ``hedui.adapters.dept_ga``
describe them, and 医保 (``/yb/api/v1``), 公积金 (``/gjj/api/v1``) and 税务
(``/sw/api/v1``) as their department files in ``examples/departments``
describe them. A department whose tables the dataset lacks is not served. ID
numbers travel only in POST bodies, never in URLs, so access logs stay free
of them.

Faults for tests are set through a ``FaultPlan`` passed to ``create_app``,
through command-line options, or at run time with ``PUT /_admin/faults``,
which accepts loopback clients only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import pathlib
import random
import signal
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from hedui.adapters.standin.people import HOUSEHOLDS_FILE, Dataset

logger = logging.getLogger(__name__)

MAX_BATCH = 100  # the most ID numbers one batch request may carry
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class FaultPlan:
    """Faults the stand-in injects into its API responses; change the fields at any time."""

    delay_seconds: float = 0.0  # added before every API response
    fail_next: int = 0  # this many next API calls return fail_status
    fail_status: int = 503
    failure_rate: float = 0.0  # share of the remaining calls that return fail_status, 0..1
    seed: int = 0  # seeds the draws behind failure_rate
    _random: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.reseed()

    def reseed(self) -> None:
        """Restart the failure_rate draws from ``seed``."""
        self._random.seed(self.seed)

    def next_failure(self) -> int | None:
        """Return the status to fail this call with, or None to respond normally."""
        if self.fail_next > 0:
            self.fail_next -= 1
            return self.fail_status
        if self.failure_rate > 0 and self._random.random() < self.failure_rate:
            return self.fail_status
        return None

    def public_fields(self) -> dict[str, Any]:
        """Return the settable fields as a JSON-ready dict."""
        return {name: value for name, value in asdict(self).items() if not name.startswith("_")}


FAULTS_KEY = web.AppKey("faults", FaultPlan)


@dataclass(frozen=True)
class _Endpoint:
    """One batch endpoint: where its rows live and how its envelopes look."""

    system: str
    table: str
    row_id_field: str
    request_ids_field: str
    status_field: str
    ok_status: str | int  # 医保 sends its status as a JSON number
    message_field: str
    rows_field: str

    def success_body(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {self.status_field: self.ok_status, self.message_field: "成功", self.rows_field: rows}

    def error_body(self, status: str, message: str) -> dict[str, Any]:
        return {self.status_field: status, self.message_field: message, self.rows_field: []}


def _rs(table: str) -> _Endpoint:
    return _Endpoint("rs", table, "sfzhm", "sfzhm", "code", "0", "msg", "data")


def _ga(table: str, row_id_field: str) -> _Endpoint:
    return _Endpoint("ga", table, row_id_field, "gmsfhm_list", "zt", "00", "ztms", "jg")


ENDPOINTS = {
    "/rs/api/v1/cbxx/query": _rs("cbxx"),
    "/rs/api/v1/ylj/query": _rs("ylj"),
    "/rs/api/v1/sy/query": _rs("sy"),
    "/ga/api/v1/hjxx/query": _ga("hjxx", "gmsfhm"),
    "/ga/api/v1/jdc/query": _ga("jdc", "syrzjhm"),
    "/yb/api/v1/cbfy/query": _Endpoint("yb", "cbfy", "certno", "certno_list", "infcode", 0, "err_msg", "output"),
    "/gjj/api/v1/grzh/query": _Endpoint("gjj", "grzh", "ZJHM", "ZJHMLB", "RET_CODE", "000000", "RET_MSG", "DATA"),
    "/sw/api/v1/grsds/query": _Endpoint("sw", "grsds", "sfzjhm", "sfzjhmList", "code", "00", "message", "result"),
}


def create_app(dataset: Dataset, faults: FaultPlan | None = None) -> web.Application:
    """Build the stand-in application serving ``dataset``."""
    app = web.Application(middlewares=[_fault_middleware])
    app[FAULTS_KEY] = faults or FaultPlan()
    for path, endpoint in ENDPOINTS.items():
        if endpoint.table not in dataset.tables.get(endpoint.system, {}):
            continue  # a hand-made dataset may hold only some departments
        index = _index_rows(dataset.rows(endpoint.system, endpoint.table), endpoint.row_id_field)
        app.router.add_post(path, _batch_handler(endpoint, index))
    app.router.add_get("/healthz", _health)
    app.router.add_get("/_admin/faults", _get_faults)
    app.router.add_put("/_admin/faults", _put_faults)
    return app


@dataclass(frozen=True)
class RunningStandin:
    """A stand-in service listening on loopback."""

    url: str  # base URL, for example http://127.0.0.1:40123
    faults: FaultPlan


@contextlib.asynccontextmanager
async def serve(
    dataset: Dataset, *, host: str = "127.0.0.1", port: int = 0, faults: FaultPlan | None = None
) -> AsyncIterator[RunningStandin]:
    """Serve the dataset in this event loop until the context exits; port 0 picks a free port."""
    app = create_app(dataset, faults)
    sock = bind_loopback(host, port)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        yield RunningStandin(url=_base_url(sock), faults=app[FAULTS_KEY])
    finally:
        await runner.cleanup()


def bind_loopback(host: str, port: int) -> socket.socket:
    """Bind a listening socket on a loopback address, raising ValueError for any other host."""
    address = _loopback_address(host)
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((str(address), port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _loopback_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if host == "localhost":
        return ipaddress.IPv4Address("127.0.0.1")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise ValueError(f"仅允许监听回环地址（127.0.0.1、::1 或 localhost），收到 {host!r}；请改用回环地址。")
    return address


def _base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _index_rows(rows: list[dict[str, Any]], id_field: str) -> dict[str, list[dict[str, Any]]]:
    index: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        index.setdefault(str(row[id_field]).upper(), []).append(row)
    return index


def _batch_handler(endpoint: _Endpoint, index: dict[str, list[dict[str, Any]]]) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response(endpoint.error_body("400", "请求体不是有效的 JSON"), status=400)
        id_numbers = body.get(endpoint.request_ids_field) if isinstance(body, dict) else None
        if not isinstance(id_numbers, list) or not all(isinstance(item, str) for item in id_numbers):
            message = f"缺少字段 {endpoint.request_ids_field}，或其值不是字符串数组"
            return web.json_response(endpoint.error_body("400", message), status=400)
        if len(id_numbers) > MAX_BATCH:
            message = f"一次最多查询 {MAX_BATCH} 个身份号码，本次为 {len(id_numbers)} 个"
            return web.json_response(endpoint.error_body("400", message), status=400)
        rows = [row for id_number in id_numbers for row in index.get(id_number.upper(), [])]
        logger.debug("returned batch: table=%s ids=%s rows=%s", endpoint.table, len(id_numbers), len(rows))
        return web.json_response(endpoint.success_body(rows))

    return handle


@web.middleware
async def _fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path not in ENDPOINTS:
        return await handler(request)
    faults = request.app[FAULTS_KEY]
    if faults.delay_seconds > 0:
        await asyncio.sleep(faults.delay_seconds)
    status = faults.next_failure()
    if status is not None:
        logger.info("injected failure: path=%s status=%s", request.path, status)
        return web.json_response({"error": "injected failure"}, status=status)
    return await handler(request)


async def _health(request: web.Request) -> web.StreamResponse:
    return web.json_response({"status": "ok"})


async def _get_faults(request: web.Request) -> web.StreamResponse:
    _require_loopback_client(request)
    return web.json_response(request.app[FAULTS_KEY].public_fields())


async def _put_faults(request: web.Request) -> web.StreamResponse:
    """Update any of delay_seconds, fail_next, fail_status, failure_rate and seed."""
    _require_loopback_client(request)
    faults = request.app[FAULTS_KEY]
    try:
        changes = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="请求体不是有效的 JSON") from None
    allowed = faults.public_fields()
    if not isinstance(changes, dict) or not set(changes) <= set(allowed):
        raise web.HTTPBadRequest(text=f"只能设置这些字段：{'、'.join(allowed)}")
    for name, value in changes.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise web.HTTPBadRequest(text=f"字段 {name} 应为非负数字")
        setattr(faults, name, type(allowed[name])(value))
    if "seed" in changes:
        faults.reseed()
    logger.info("faults updated: %s", faults.public_fields())
    return web.json_response(faults.public_fields())


def _require_loopback_client(request: web.Request) -> None:
    remote = request.remote or ""
    try:
        loopback = ipaddress.ip_address(remote).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise web.HTTPForbidden(text="管理接口仅对本机开放")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line of the stand-in service."""
    parser = argparse.ArgumentParser(description="人社、公安、医保、公积金和税务系统的模拟服务（仅监听回环地址）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址，只能是回环地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=0, help="监听端口，0 表示自动选择（默认 0）")
    parser.add_argument("--data", type=pathlib.Path, required=True, help="数据集目录（Dataset.save 写出的目录）")
    parser.add_argument("--delay-seconds", type=float, default=0.0, help="每次接口应答前的延迟（秒）")
    parser.add_argument("--fail-next", type=int, default=0, help="接下来这么多次接口调用返回 --fail-status")
    parser.add_argument("--fail-status", type=int, default=503, help="注入故障时返回的 HTTP 状态码（默认 503）")
    parser.add_argument("--failure-rate", type=float, default=0.0, help="按此比例（0 到 1）随机返回 --fail-status")
    return parser.parse_args(argv)


async def _run(args: argparse.Namespace) -> None:
    faults = FaultPlan(
        delay_seconds=args.delay_seconds,
        fail_next=args.fail_next,
        fail_status=args.fail_status,
        failure_rate=args.failure_rate,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    async with serve(Dataset.load(args.data), host=args.host, port=args.port, faults=faults) as running:
        logger.info("stand-in service listening: url=%s", running.url)
        print(f"READY {running.url}", flush=True)
        await stop.wait()
    logger.info("stand-in service stopped")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the stand-in service until SIGINT or SIGTERM."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        _loopback_address(args.host)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not (args.data / HOUSEHOLDS_FILE).is_file():
        print(
            f"数据集目录 {args.data} 中没有 {HOUSEHOLDS_FILE}；"
            "请先运行 python -m hedui.adapters.standin --out 目录 生成数据集。",
            file=sys.stderr,
        )
        return 2
    asyncio.run(_run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

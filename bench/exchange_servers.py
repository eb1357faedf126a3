"""Server processes for bench/exchange.py: the bare echo and relay, and the department node.

Run as ``python bench/exchange_servers.py ROLE ...``. Each role listens on
127.0.0.1 only, prints ``READY <role> <port>`` on stdout once it serves, and
stops on SIGTERM or SIGINT.

- ``echo`` replaces the department on the bare path. It returns
  ``--reply-bytes`` bytes to every request.
- ``relay`` replaces the aggregator on the bare path. It forwards the
  raw request bytes to ``--upstream`` and returns the raw reply bytes.
- ``department`` runs a hedui node from its TOML configuration with the same
  ``Node.start`` and ``start_server`` calls as ``hedui node run``, and gives
  it ``MemoryAdapter``, so the department's own system costs nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import pathlib
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import grpc

from hedui.adapters.base import Adapter, AdapterQuery
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2

MAX_MESSAGE_BYTES = 8 * 1024 * 1024
SERVER_OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
]
BARE_SERVICE = "bench.Bare"
BARE_METHOD = "Call"
DEPARTMENT_CATEGORIES = (C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"


def resident_id_number(division: str, birth_date: str, serial: int) -> str:
    """Return an 18-character resident ID number with its ISO 7064 MOD 11-2 check character."""
    body = f"{division}{birth_date}{serial:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS))
    return body + _ID_CHECK_CHARACTERS[total % 11]


def bench_members(count: int) -> list[tuple[str, str, str]]:
    """Return (ID number, name, GB/T 4761 relation code) of the household that every request queries."""
    relations = ("02", "10", "20", "21", "22", "23")
    return [
        (resident_id_number("140105", f"19{70 + index % 30:02d}0312", 101 + index), f"成员{index + 1}",
         relations[index % len(relations)])
        for index in range(count)
    ]


def _record(index: int, id_number: str, as_of: datetime.datetime) -> records_pb2.Record:
    """Return one plausible record of a department category, chosen by index."""
    category = DEPARTMENT_CATEGORIES[index % len(DEPARTMENT_CATEGORIES)]
    record = records_pb2.Record(id_number=id_number, category=category)
    record.as_of.FromDatetime(as_of)
    if category == C.DATA_CATEGORY_SOCIAL_INSURANCE:
        record.social_insurance.scheme = records_pb2.INSURANCE_SCHEME_EMPLOYEE_PENSION
        record.social_insurance.employer_name = "太原市小店区示例商贸有限公司"
        record.social_insurance.status = "参保缴费"
        record.social_insurance.monthly_contribution_base_fen = 420_000 + index
        record.social_insurance.last_paid_month = "2025-05"
    elif category == C.DATA_CATEGORY_PENSION:
        record.pension.scheme = records_pb2.INSURANCE_SCHEME_RESIDENT_PENSION
        record.pension.monthly_amount_fen = 23_000 + index
        record.pension.start_date = "2019-07-01"
        record.pension.status = "正常发放"
    else:
        record.unemployment.registered_unemployed = True
        record.unemployment.registration_date = "2025-01-15"
        record.unemployment.monthly_benefit_fen = 165_000 + index
        record.unemployment.benefit_end_date = "2025-12-31"
    return record


class MemoryAdapter(Adapter):
    """An adapter that returns a fixed list of records built at start, with no I/O."""

    categories = frozenset(DEPARTMENT_CATEGORIES)

    def __init__(self, members: list[str], record_count: int) -> None:
        as_of = datetime.datetime(2025, 6, 1, 8, 0, tzinfo=datetime.timezone.utc)
        self._records = [_record(index, members[index % len(members)], as_of) for index in range(record_count)]
        self._closed = False

    async def fetch(self, query: AdapterQuery) -> list[records_pb2.Record]:
        """Return the stored records of the requested persons and categories."""
        if self._closed:
            raise RuntimeError("MemoryAdapter.fetch called after close")
        wanted = set(query.id_numbers)
        return [r for r in self._records if r.id_number in wanted and r.category in query.categories]

    async def close(self) -> None:
        """Mark the adapter closed; there is nothing to release."""
        self._closed = True


async def _serve_until_signal(server: grpc.aio.Server, role: str, port: int) -> None:
    """Print the ready line, wait for SIGTERM or SIGINT, then stop the server."""
    print(f"READY {role} {port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await server.stop(grace=2)


def _bytes_handler(function: Callable[[bytes, grpc.aio.ServicerContext], Awaitable[bytes]]) -> grpc.GenericRpcHandler:
    """Return a generic handler that passes raw request and reply bytes for every method of the bare service."""
    handler = grpc.unary_unary_rpc_method_handler(function, request_deserializer=None, response_serializer=None)
    return grpc.method_handlers_generic_handler(BARE_SERVICE, {BARE_METHOD: handler})


async def _listen(server: grpc.aio.Server, port: int) -> int:
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    if bound == 0:
        raise SystemExit(f"cannot listen on 127.0.0.1:{port}")
    await server.start()
    return bound


async def run_echo(port: int, reply_bytes: int) -> None:
    """Serve the bare echo: a fixed reply of reply_bytes bytes to every call."""
    reply = b"\x5a" * reply_bytes

    async def call(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return reply

    server = grpc.aio.server(options=SERVER_OPTIONS)
    server.add_generic_rpc_handlers([_bytes_handler(call)])
    await _serve_until_signal(server, "echo", await _listen(server, port))


async def run_relay(port: int, upstream: str) -> None:
    """Serve the bare relay: forward each request's bytes to upstream and return its reply bytes."""
    channel = grpc.aio.insecure_channel(upstream, options=SERVER_OPTIONS)
    forward = channel.unary_unary(f"/{BARE_SERVICE}/{BARE_METHOD}", request_serializer=None,
                                  response_deserializer=None)

    async def call(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return await forward(request, timeout=context.time_remaining())

    server = grpc.aio.server(options=SERVER_OPTIONS)
    server.add_generic_rpc_handlers([_bytes_handler(call)])
    try:
        await _serve_until_signal(server, "relay", await _listen(server, port))
    finally:
        await channel.close()


async def run_department(config_path: pathlib.Path, members: int, record_count: int) -> None:
    """Start a department node from its configuration with MemoryAdapter and serve until a signal."""
    from hedui.gateway.config import load_config
    from hedui.gateway.node import Node
    from hedui.gateway.server import start_server

    config = load_config(config_path)
    if config.adapter is not None:
        raise SystemExit(f"{config_path}: the bench department must have no [adapter] table")
    node = await Node.start(config)
    node.adapter = MemoryAdapter([number for number, _, _ in bench_members(members)], record_count)
    server, port = await start_server(node, config.listen)
    try:
        await _serve_until_signal(server, "department", port)
    finally:
        await node.close()


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Server processes for bench/exchange.py (loopback only).")
    roles = parser.add_subparsers(dest="role", required=True)
    echo = roles.add_parser("echo", help="bare echo that replaces the department")
    echo.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    echo.add_argument("--reply-bytes", type=int, required=True, help="size of every reply in bytes")
    relay = roles.add_parser("relay", help="bare relay that replaces the aggregator")
    relay.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    relay.add_argument("--upstream", required=True, help="echo address, 127.0.0.1:PORT")
    department = roles.add_parser("department", help="hedui department node with an in-memory adapter")
    department.add_argument("--config", type=pathlib.Path, required=True, help="node configuration file (TOML)")
    department.add_argument("--members", type=int, required=True, help="household members the records are about")
    department.add_argument("--payload-records", type=int, required=True, help="records in every answer")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one server role until SIGTERM."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    runners: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
        "echo": lambda: run_echo(args.port, args.reply_bytes),
        "relay": lambda: run_relay(args.port, args.upstream),
        "department": lambda: run_department(args.config, args.members, args.payload_records),
    }
    asyncio.run(runners[args.role]())
    return 0


if __name__ == "__main__":
    sys.exit(main())

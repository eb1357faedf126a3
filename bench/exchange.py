"""Measure what the hedui gateway costs over a bare gRPC relay on the same path.

Both paths run in one invocation with the same client concurrency, request
count and message sizes, and their runs alternate (bare, hedui, bare, hedui,
...) so that noise on a shared machine hits both alike:

- bare: the client sends raw bytes to a plain grpc.aio relay, which forwards
  them to a plain grpc.aio echo standing in for the department. Nothing is
  signed, checked or logged. The echo's reply is as large as the hedui
  answer, and the request is as large as the hedui request.
- hedui: the SDK client signs each request and calls Verify on an
  aggregating civil affairs node (``hedui node run``), which verifies,
  checks the authorization policy, signs a hop and fans out to one
  department node. The department verifies the chain, checks policy, answers
  from an in-memory adapter, signs, and writes a durable (fsynced) audit
  entry before it replies. The aggregator verifies that answer, signs its
  report and writes its own durable audit entry. The SDK verifies both
  signatures.

Every server runs in its own process on 127.0.0.1; the client runs here. The
last line printed is ``gateway/bare throughput ratio: X.XX``, the best hedui
throughput over the best bare throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import shutil
import sys
import tempfile

import grpc

from _common import (REQUEST_TIMEOUT_SECONDS, RunResult, ServerProcess, bench_authorization, machine_description,
                     measure, positive_int)
from exchange_servers import BARE_METHOD, BARE_SERVICE, DEPARTMENT_CATEGORIES, MAX_MESSAGE_BYTES, bench_members
from hedui.gateway.directory import CIVIL_AFFAIRS, CLIENT, DEPARTMENT, load_signed_directory
from hedui.gateway.federation import NodeSpec, build_federation
from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import utcnow
from hedui.sdk import Client
from hedui.v1 import common_pb2 as C
from hedui.v1 import authorization_pb2, exchange_pb2

AGGREGATOR = "140000/MZ"
CASE_SYSTEM = "140000/MZ/HDXT"
DEPARTMENT_NODE = "140000/RS"
BENCH_DIR = pathlib.Path(__file__).resolve().parent


def federation_specs() -> list[NodeSpec]:
    """Return the aggregating province node, its case system and one department."""
    return [
        NodeSpec(AGGREGATOR, "山西省民政厅", CIVIL_AFFAIRS, issues_for=("140000",)),
        NodeSpec(CASE_SYSTEM, "山西省社会救助家庭经济状况核对系统", CLIENT, parent=AGGREGATOR),
        NodeSpec(DEPARTMENT_NODE, "山西省人力资源和社会保障厅", DEPARTMENT, parent=AGGREGATOR,
                 categories=DEPARTMENT_CATEGORIES),
    ]


class Bench:
    """Starts both paths' servers, runs the alternating load and prints the report."""

    def __init__(self, args: argparse.Namespace, workdir: pathlib.Path) -> None:
        self.args = args
        self.workdir = workdir
        self.processes: dict[str, ServerProcess] = {}
        self.members = bench_members(args.members)

    def start(self, name: str, command: list[str]) -> int:
        process = ServerProcess.start(name, command, self.workdir)
        self.processes[name] = process
        return process.wait_ready()

    def _python(self, node: str) -> list[str]:
        """Return the interpreter command for a node process, under cProfile when --profile-dir is set."""
        if self.args.profile_dir is None:
            return [sys.executable]
        self.args.profile_dir.mkdir(parents=True, exist_ok=True)
        return [sys.executable, "-m", "cProfile", "-o", str(self.args.profile_dir.resolve() / f"{node}.prof")]

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    async def run(self) -> int:
        args = self.args
        # Plaintext, like the bare path; the TLS cost is measured on its own.
        fed = build_federation(self.workdir / "federation", federation_specs(), tls=False)
        servers = str(BENCH_DIR / "exchange_servers.py")
        self.start("department", [*self._python("department"), servers, "department",
                                  "--config", str(fed.configs[DEPARTMENT_NODE]),
                                  "--members", str(args.members), "--payload-records", str(args.payload_records)])
        self.start("aggregator", [*self._python("aggregator"), "-m", "hedui.gateway.cli", "node", "run",
                                  "--config", str(fed.configs[AGGREGATOR])])

        directory = load_signed_directory(fed.directory_file, fed.anchor(), utcnow())
        client = Client(fed.addresses[AGGREGATOR], fed.load_key(CASE_SYSTEM), directory, AGGREGATOR)
        authorization = self._authorization(fed.load_key(AGGREGATOR))
        member_ids = [number for number, _, _ in self.members]
        purpose = C.PURPOSE_INITIAL_ELIGIBILITY

        sample = client.build_request(authorization, member_ids, DEPARTMENT_CATEGORIES, purpose)
        request_bytes = sample.SerializeToString()
        reply_bytes = await self._size_answer(client, fed.addresses[AGGREGATOR], sample)
        self._print_header(len(request_bytes), reply_bytes)

        echo_port = self.start("echo", [sys.executable, servers, "echo", "--reply-bytes", str(reply_bytes)])
        relay_port = self.start("relay", [sys.executable, servers, "relay", "--upstream", f"127.0.0.1:{echo_port}"])
        bare_channel = grpc.aio.insecure_channel(f"127.0.0.1:{relay_port}", options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)])
        bare_stub = bare_channel.unary_unary(f"/{BARE_SERVICE}/{BARE_METHOD}", request_serializer=None,
                                             response_deserializer=None)

        async def bare_call() -> None:
            reply = await bare_stub(request_bytes, timeout=REQUEST_TIMEOUT_SECONDS)
            if len(reply) != reply_bytes:
                raise RuntimeError(f"echo reply has {len(reply)} bytes, expected {reply_bytes}")

        async def hedui_call() -> None:
            report = await client.verify(authorization, member_ids, DEPARTMENT_CATEGORIES, purpose,
                                         timeout=REQUEST_TIMEOUT_SECONDS)
            source = report.sources[0]
            if len(report.sources) != 1 or source.status != "ANSWERED" or not source.signature_verified:
                raise RuntimeError(f"unexpected report: {[(s.node, s.status, s.reason) for s in report.sources]}")
            if len(source.records) != args.payload_records:
                raise RuntimeError(f"answer has {len(source.records)} records, expected {args.payload_records}")

        try:
            bare_processes = {name: self.processes[name] for name in ("relay", "echo")}
            hedui_processes = {name: self.processes[name] for name in ("aggregator", "department")}
            paths = (("bare", bare_call, bare_processes), ("hedui", hedui_call, hedui_processes))
            for path, call, processes in paths:
                warmup = await measure(path, call, args, args.warmup, processes)
                print(f"warm-up {path:<5} {warmup.summary()}", flush=True)
            results: dict[str, list[RunResult]] = {"bare": [], "hedui": []}
            for round_number in range(1, args.rounds + 1):
                for path, call, processes in paths:
                    result = await measure(path, call, args, args.requests, processes)
                    results[path].append(result)
                    print(f"round {round_number} {path:<5} {result.summary()}", flush=True)
        finally:
            await bare_channel.close()
            await client.close()
        return self._print_result(results)

    def _authorization(self, issuer_key: SigningKey) -> authorization_pb2.SignedAuthorization:
        """Return a signed authorization covering the household, the categories and the case system."""
        return bench_authorization(AGGREGATOR, AGGREGATOR, issuer_key, DEPARTMENT_CATEGORIES, self.members)

    async def _size_answer(self, client: Client, address: str, request: exchange_pb2.VerifyRequest) -> int:
        """Send one signed request as raw bytes, check its report with the SDK and return the answer's size."""
        async with grpc.aio.insecure_channel(address) as channel:
            raw_verify = channel.unary_unary("/hedui.v1.ExchangeService/Verify", request_serializer=None,
                                             response_deserializer=None)
            raw = await raw_verify(request.SerializeToString(), timeout=REQUEST_TIMEOUT_SECONDS)
        report = client.open_response(request, exchange_pb2.VerifyResponse.FromString(raw))
        records = sum(len(source.records) for source in report.sources)
        if records != self.args.payload_records:
            raise RuntimeError(f"the sizing answer has {records} records, expected {self.args.payload_records}")
        return len(raw)

    def _print_header(self, request_bytes: int, reply_bytes: int) -> None:
        args = self.args
        print("hedui exchange benchmark (bench/exchange.py)")
        print(f"machine: {machine_description()}")
        print(f"workload: {args.requests} requests per run at concurrency {args.concurrency}, "
              f"{args.rounds} rounds of bare then hedui, warm-up {args.warmup} requests per path, "
              f"{args.members} members and {args.payload_records} records per answer, "
              f"request {request_bytes} B, answer {reply_bytes} B")
        print("bare : client -> grpc.aio relay -> grpc.aio echo; raw bytes, no signing, policy or audit")
        print("hedui: SDK signs and verifies -> aggregator node (hedui node run) -> department node; "
              "signatures, hop chain, replay guard, policy and fsynced audit at both nodes")
        print("department adapter: in-memory (bench/exchange_servers.py MemoryAdapter; no I/O, "
              "records built at start)")
        print(f"work directory: {self.workdir}", flush=True)

    def _print_result(self, results: dict[str, list[RunResult]]) -> int:
        """Print the best run of each path and the ratio line last; return the exit code."""
        best = {path: max(runs, key=lambda run: run.throughput) for path, runs in results.items()}
        for path, run in best.items():
            print(f"best  {path:<5} {run.throughput:8.1f} req/s  p50 {run.percentile_ms(0.50):7.2f} ms  "
                  f"p99 {run.percentile_ms(0.99):7.2f} ms")
        errors = sum(run.errors for runs in results.values() for run in runs)
        if errors:
            print(f"WARNING: {errors} requests failed; the figures above are not valid")
        ratio = best["hedui"].throughput / best["bare"].throughput if best["bare"].throughput else 0.0
        print(f"gateway/bare throughput ratio: {ratio:.2f}", flush=True)
        return 1 if errors else 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Compare hedui Verify with a bare gRPC relay on the same path.")
    parser.add_argument("--requests", type=positive_int(1_000_000), default=2000, help="requests per measured run")
    parser.add_argument("--concurrency", type=positive_int(1024), default=32, help="concurrent client calls")
    parser.add_argument("--payload-records", type=positive_int(4096), default=8, help="records in every answer")
    parser.add_argument("--members", type=positive_int(64), default=3, help="household members per request")
    parser.add_argument("--rounds", type=positive_int(20), default=3, help="alternating bare/hedui rounds")
    parser.add_argument("--warmup", type=positive_int(100_000), default=None,
                        help="warm-up requests per path (default: the smaller of 200 and --requests)")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="time limit of each run in seconds; a run stops dispatching after it")
    parser.add_argument("--profile-dir", type=pathlib.Path, default=None,
                        help="run both node processes under cProfile and write aggregator.prof and department.prof "
                             "here (profiling slows the nodes, so the ratio is then not comparable)")
    parser.add_argument("--keep-workdir", action="store_true", help="keep keys, configs, logs and audit files")
    args = parser.parse_args(argv)
    if args.warmup is None:
        args.warmup = min(200, args.requests)
    if not 0 < args.max_seconds <= 3600:
        parser.error("--max-seconds must be more than 0 and at most 3600")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="hedui-bench-"))
    bench = Bench(args, workdir)
    try:
        return asyncio.run(bench.run())
    finally:
        bench.stop_all()
        if not args.keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

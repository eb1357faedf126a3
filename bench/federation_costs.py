"""Measure what mutual TLS and each extra forwarding hop cost on the hedui Verify path.

Four variants run in one invocation with the same client concurrency,
request count, household and answer size. Their runs alternate round by
round (plain, mTLS, +1 hop, +2 hops, plain, ...), so noise on a shared
machine hits all of them alike:

- plain: the SDK calls the province 140000/MZ, which aggregates from its one
  department 140000/RS. Every hop is plaintext gRPC, as on the hedui path of
  bench/exchange.py.
- mTLS: the same path in a federation laid out with ``tls=True``, so every
  hop, the SDK's included, is mutual TLS.
- +1 hop: mutual TLS, and the SDK calls the city 140100/MZ with the province
  as its target. The city forwards to the province, which aggregates.
- +2 hops: mutual TLS, and a cross-province check. The SDK calls the city
  with the Henan province 410000/MZ as its target. The request goes city ->
  140000/MZ -> ministry link 000000/MZ -> 410000/MZ, which aggregates from
  its department 410000/RS. This path has two more forwarding nodes than
  the +1 hop path.

Departments answer from the in-memory adapter of bench/exchange_servers.py,
and every other node runs ``hedui node run``. Each node is its own process on
127.0.0.1; the client runs here. The last line printed is
``mtls/plain throughput ratio: X.XX``, the best mTLS throughput over the best
plain throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import pathlib
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable

from _common import (REQUEST_TIMEOUT_SECONDS, RunResult, ServerProcess, bench_authorization, machine_description,
                     measure, positive_int)
from exchange_servers import DEPARTMENT_CATEGORIES, bench_members
from hedui.gateway.directory import CIVIL_AFFAIRS, CLIENT, DEPARTMENT, MINISTRY_LINK, load_signed_directory
from hedui.gateway.federation import Federation, NodeSpec, build_federation, slug
from hedui.gateway.timeutil import utcnow
from hedui.sdk import Client
from hedui.v1 import common_pb2 as C

MINISTRY_NODE = "000000/MZ"
PROVINCE = "140000/MZ"
PROVINCE_CASE_SYSTEM = "140000/MZ/HDXT"
PROVINCE_DEPARTMENT = "140000/RS"
CITY = "140100/MZ"
CITY_CASE_SYSTEM = "140100/MZ/HDXT"
OTHER_PROVINCE = "410000/MZ"
OTHER_DEPARTMENT = "410000/RS"
DEPARTMENTS = (PROVINCE_DEPARTMENT, OTHER_DEPARTMENT)
BENCH_DIR = pathlib.Path(__file__).resolve().parent
LAST_LINE_LABEL = "mtls/plain throughput ratio"


@dataclasses.dataclass(frozen=True)
class Variant:
    """One measured path: the case system, the node it calls, the aggregating target and every node passed."""

    name: str
    tls: bool
    caller: str
    entry: str
    target: str
    issuer: str
    path: tuple[str, ...]

    @property
    def department(self) -> str:
        return self.path[-1]


VARIANTS = (
    Variant("plain", False, PROVINCE_CASE_SYSTEM, PROVINCE, PROVINCE, PROVINCE, (PROVINCE, PROVINCE_DEPARTMENT)),
    Variant("mTLS", True, PROVINCE_CASE_SYSTEM, PROVINCE, PROVINCE, PROVINCE, (PROVINCE, PROVINCE_DEPARTMENT)),
    Variant("+1 hop", True, CITY_CASE_SYSTEM, CITY, PROVINCE, CITY, (CITY, PROVINCE, PROVINCE_DEPARTMENT)),
    Variant("+2 hops", True, CITY_CASE_SYSTEM, CITY, OTHER_PROVINCE, CITY,
            (CITY, PROVINCE, MINISTRY_NODE, OTHER_PROVINCE, OTHER_DEPARTMENT)),
)
# (numerator, denominator) of each ratio printed; the first one is also the last line.
RATIOS = (("mTLS", "plain"), ("+1 hop", "mTLS"), ("+2 hops", "+1 hop"), ("+2 hops", "mTLS"))


def bench_specs() -> list[NodeSpec]:
    """Return a ministry link and two provinces with one department each, laid out as in ``full_specs``.

    The anchor signs the ministry link and both provinces. Each province signs
    the segment of the nodes below it: Shanxi its case system, Taiyuan city,
    the city's case system and its department, Henan its department.
    """
    return [
        NodeSpec(MINISTRY_NODE, "民政部部省联网节点", MINISTRY_LINK),
        NodeSpec(PROVINCE, "山西省民政厅", CIVIL_AFFAIRS, parent=MINISTRY_NODE, issues_for=("140000",)),
        NodeSpec(OTHER_PROVINCE, "河南省民政厅", CIVIL_AFFAIRS, parent=MINISTRY_NODE, issues_for=("410000",)),
        NodeSpec(PROVINCE_CASE_SYSTEM, "山西省社会救助家庭经济状况核对系统", CLIENT, parent=PROVINCE, segment=PROVINCE),
        NodeSpec(CITY, "太原市民政局", CIVIL_AFFAIRS, parent=PROVINCE, issues_for=("140100",), segment=PROVINCE),
        NodeSpec(CITY_CASE_SYSTEM, "太原市社会救助家庭经济状况核对系统", CLIENT, parent=CITY, segment=PROVINCE),
        NodeSpec(PROVINCE_DEPARTMENT, "山西省人力资源和社会保障厅", DEPARTMENT, parent=PROVINCE, segment=PROVINCE,
                 categories=DEPARTMENT_CATEGORIES),
        NodeSpec(OTHER_DEPARTMENT, "河南省人力资源和社会保障厅", DEPARTMENT, parent=OTHER_PROVINCE,
                 segment=OTHER_PROVINCE, categories=DEPARTMENT_CATEGORIES),
    ]


class Bench:
    """Starts the nodes of both federations, runs the alternating load and prints the report."""

    def __init__(self, args: argparse.Namespace, workdir: pathlib.Path) -> None:
        self.args = args
        self.workdir = workdir
        self.members = bench_members(args.members)
        # Keyed by (tls, node id), because the plaintext and the TLS federation reuse node ids.
        self.processes: dict[tuple[bool, str], ServerProcess] = {}

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    def _start_nodes(self, fed: Federation, node_ids: set[str]) -> None:
        """Start the listed nodes of a federation together, then wait until each prints READY."""
        started = []
        for node_id in sorted(node_ids):
            config = str(fed.configs[node_id])
            if node_id in DEPARTMENTS:
                command = [sys.executable, str(BENCH_DIR / "exchange_servers.py"), "department", "--config", config,
                           "--members", str(self.args.members), "--payload-records", str(self.args.payload_records)]
            else:
                command = [sys.executable, "-m", "hedui.gateway.cli", "node", "run", "--config", config]
            name = f"{'tls' if fed.tls else 'plain'}-{slug(node_id)}"
            process = ServerProcess.start(name, command, self.workdir)
            self.processes[(fed.tls, node_id)] = process
            started.append(process)
        for process in started:
            process.wait_ready()

    async def run(self) -> int:
        args = self.args
        federations = {tls: build_federation(self.workdir / ("tls" if tls else "plain"), bench_specs(), tls=tls)
                       for tls in (False, True)}
        for tls, fed in federations.items():
            self._start_nodes(fed, {node for variant in VARIANTS if variant.tls == tls for node in variant.path})
        self._print_header()

        clients: list[Client] = []
        try:
            for variant in VARIANTS:
                clients.append(self._client(federations[variant.tls], variant))
            calls = [self._call(variant, federations[variant.tls], client)
                     for variant, client in zip(VARIANTS, clients)]
            for variant, call in zip(VARIANTS, calls):
                warmup = await measure(variant.name, call, args, args.warmup, self._path_processes(variant))
                print(f"warm-up {variant.name:<7} {warmup.summary()}", flush=True)
            results: dict[str, list[RunResult]] = {variant.name: [] for variant in VARIANTS}
            for round_number in range(1, args.rounds + 1):
                for variant, call in zip(VARIANTS, calls):
                    result = await measure(variant.name, call, args, args.requests, self._path_processes(variant))
                    results[variant.name].append(result)
                    print(f"round {round_number} {variant.name:<7} {result.summary()}", flush=True)
        finally:
            for client in clients:
                await client.close()
        return self._print_result(results)

    def _path_processes(self, variant: Variant) -> dict[str, ServerProcess]:
        return {node: self.processes[(variant.tls, node)] for node in variant.path}

    def _client(self, fed: Federation, variant: Variant) -> Client:
        """Return an SDK client that signs as the variant's case system and calls its entry node."""
        directory = load_signed_directory(fed.directory_file, fed.anchor(), utcnow())
        return Client(fed.addresses[variant.entry], fed.load_key(variant.caller), directory, variant.target,
                      tls=fed.tls_material(variant.caller), server_node=variant.entry)

    def _call(self, variant: Variant, fed: Federation, client: Client) -> Callable[[], Awaitable[None]]:
        """Return an async callable that runs one verification on the path and checks the department's answer."""
        args = self.args
        authorization = bench_authorization(variant.issuer, variant.issuer, fed.load_key(variant.issuer),
                                            DEPARTMENT_CATEGORIES, self.members)
        member_ids = [number for number, _, _ in self.members]

        async def call() -> None:
            report = await client.verify(authorization, member_ids, DEPARTMENT_CATEGORIES,
                                         C.PURPOSE_INITIAL_ELIGIBILITY, timeout=REQUEST_TIMEOUT_SECONDS)
            sources = [(s.node, s.status, s.reason) for s in report.sources]
            if len(report.sources) != 1 or report.responder != variant.target:
                raise RuntimeError(f"unexpected report from {report.responder}: {sources}")
            source = report.sources[0]
            if source.node != variant.department or source.status != "ANSWERED" or not source.signature_verified:
                raise RuntimeError(f"unexpected source: {sources}")
            if len(source.records) != args.payload_records:
                raise RuntimeError(f"answer has {len(source.records)} records, expected {args.payload_records}")

        return call

    def _print_header(self) -> None:
        args = self.args
        print("hedui federation costs benchmark (bench/federation_costs.py)")
        print(f"machine: {machine_description()}")
        print(f"workload: {args.requests} requests per run at concurrency {args.concurrency}, "
              f"{args.rounds} rounds of {', '.join(variant.name for variant in VARIANTS)}, "
              f"warm-up {args.warmup} requests per variant, "
              f"{args.members} members and {args.payload_records} records per answer")
        for variant in VARIANTS:
            transport = "mutual TLS" if variant.tls else "plaintext"
            print(f"{variant.name:<7}: {variant.caller} -> {' -> '.join(variant.path)}; "
                  f"target {variant.target}, {transport}")
        print("every node checks signatures, the hop chain, the replay guard and the policy, and writes an "
              "fsynced audit entry; departments use the in-memory adapter of bench/exchange_servers.py")
        print(f"work directory: {self.workdir}", flush=True)

    def _print_result(self, results: dict[str, list[RunResult]]) -> int:
        """Print each variant's best run, its CPU per request over all rounds, the ratios, and the ratio line last."""
        best = {name: max(runs, key=lambda run: run.throughput) for name, runs in results.items()}
        cpu_per_request = {name: _cpu_ms_per_request(runs) for name, runs in results.items()}
        for name, run in best.items():
            processes = ", ".join(f"{process} {ms:.2f}" for process, ms in cpu_per_request[name].items())
            print(f"best  {name:<7} {run.throughput:8.1f} req/s  p50 {run.percentile_ms(0.50):7.2f} ms  "
                  f"p99 {run.percentile_ms(0.99):7.2f} ms  CPU ms/request, all rounds: {processes}, "
                  f"total {sum(cpu_per_request[name].values()):.2f}")
        errors = sum(run.errors for runs in results.values() for run in runs)
        if errors:
            print(f"WARNING: {errors} requests failed; the figures above are not valid")

        def ratio(numerator: str, denominator: str) -> float:
            baseline = best[denominator].throughput
            return best[numerator].throughput / baseline if baseline else 0.0

        for numerator, denominator in RATIOS:
            cpu_after = sum(cpu_per_request[numerator].values())
            cpu_before = sum(cpu_per_request[denominator].values())
            cpu_ratio = cpu_after / cpu_before if cpu_before else float("nan")
            print(f"{numerator}/{denominator} throughput ratio {ratio(numerator, denominator):.2f}, "
                  f"total CPU per request {cpu_after - cpu_before:+.2f} ms ({cpu_ratio:.2f} times)")
        print(f"{LAST_LINE_LABEL}: {ratio('mTLS', 'plain'):.2f}", flush=True)
        return 1 if errors else 0


def _cpu_ms_per_request(runs: list[RunResult]) -> dict[str, float]:
    """Return each process's CPU milliseconds per successful request, summed over the runs."""
    completed = max(sum(run.completed for run in runs), 1)
    names = runs[0].cpu.keys()
    return {name: sum(run.cpu[name] for run in runs) * 1000 / completed for name in names}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure the cost of mutual TLS and of extra forwarding hops on hedui Verify (loopback only).")
    parser.add_argument("--requests", type=positive_int(1_000_000), default=1000, help="requests per measured run")
    parser.add_argument("--concurrency", type=positive_int(1024), default=32, help="concurrent client calls")
    parser.add_argument("--payload-records", type=positive_int(4096), default=8, help="records in every answer")
    parser.add_argument("--members", type=positive_int(64), default=3, help="household members per request")
    parser.add_argument("--rounds", type=positive_int(20), default=2, help="rounds, each running every variant once")
    parser.add_argument("--warmup", type=positive_int(100_000), default=None,
                        help="warm-up requests per variant (default: the smaller of 200 and --requests)")
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="time limit of each run in seconds; a run stops dispatching after it")
    parser.add_argument("--keep-workdir", action="store_true",
                        help="keep keys, certificates, configs, logs and audit files")
    args = parser.parse_args(argv)
    if args.warmup is None:
        args.warmup = min(200, args.requests)
    if not 0 < args.max_seconds <= 3600:
        parser.error("--max-seconds must be more than 0 and at most 3600")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="hedui-bench-federation-"))
    bench = Bench(args, workdir)
    try:
        return asyncio.run(bench.run())
    finally:
        bench.stop_all()
        if not args.keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Measure periodic review throughput: review() at a concurrency against one client.verify call at a time.

One invocation lays out a federation with mutual TLS, starts the province
node (``hedui node run``) and one department node with the in-memory
adapter of ``bench/exchange_servers.py``, each in its own process on
127.0.0.1, and signs one authorization record per household. It then
verifies the same households twice, from this process:

- single: ``await client.verify(...)`` for one household after another,
  the way a script without review() would do it.
- review: ``hedui.sdk.review`` at ``--concurrency``, appending every result
  to a results file (``ResultsFile``) as ``hedui review run`` does.

Each phase is bounded by ``--households`` and ``--max-seconds``. The last
line printed is ``review/single throughput ratio: X.XX``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import pathlib
import shutil
import sys
import tempfile
import time

from _common import REQUEST_TIMEOUT_SECONDS, ServerProcess, machine_description, positive_int
from exchange_servers import DEPARTMENT_CATEGORIES, bench_members
from hedui.gateway.directory import CIVIL_AFFAIRS, CLIENT, DEPARTMENT, load_signed_directory
from hedui.gateway.federation import NodeSpec, build_federation
from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import utcnow
from hedui.sdk import AuthorizationBuilder, Client, ResultsFile, ReviewCase, review, sign_authorization
from hedui.v1 import common_pb2 as C

PROVINCE = "140000/MZ"
CASE_SYSTEM = "140000/MZ/HDXT"
DEPARTMENT_NODE = "140000/RS"
BENCH_DIR = pathlib.Path(__file__).resolve().parent
WARMUP_HOUSEHOLDS = 20


def federation_specs() -> list[NodeSpec]:
    """Return the province, its case system and one department."""
    return [
        NodeSpec(PROVINCE, "山西省民政厅", CIVIL_AFFAIRS, issues_for=("140000",)),
        NodeSpec(CASE_SYSTEM, "山西省社会救助家庭经济状况核对系统", CLIENT, parent=PROVINCE),
        NodeSpec(DEPARTMENT_NODE, "山西省人力资源和社会保障厅", DEPARTMENT, parent=PROVINCE,
                 categories=DEPARTMENT_CATEGORIES),
    ]


def make_cases(prefix: str, count: int, issuer_key: SigningKey, members: list[tuple[str, str, str]]) -> list[ReviewCase]:
    """Sign one periodic review authorization per household, each with its own record id."""
    now = utcnow()
    cases = []
    for index in range(count):
        case_id = f"{prefix}-{index + 1:06d}"
        builder = (AuthorizationBuilder().record_id(f"REC-{case_id}").issuer(PROVINCE).grantee(PROVINCE)
                   .categories(*DEPARTMENT_CATEGORIES).purpose(C.PURPOSE_PERIODIC_REVIEW)
                   .valid(now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))
                   .paper_form(f"bench review letter {case_id}".encode(), "基准测试"))
        for number, name, relation in members:
            builder = builder.member(number, name, relation)
        cases.append(ReviewCase(case_id, sign_authorization(builder.build(), issuer_key),
                                tuple(number for number, _, _ in members), DEPARTMENT_CATEGORIES))
    return cases


async def run_single(client: Client, cases: list[ReviewCase], max_seconds: float) -> tuple[int, int, float]:
    """Verify one household after another; return (ok, failed, elapsed seconds)."""
    ok = failed = 0
    started = time.perf_counter()
    for case in cases:
        if time.perf_counter() - started > max_seconds:
            break
        try:
            report = await client.verify(case.authorization, case.members, case.categories, case.purpose,
                                         timeout=REQUEST_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - counted like review() counts a failed household
            failed += 1
            print(f"    single failed: {type(exc).__name__}: {exc}"[:300])
            continue
        if all(source.status == "ANSWERED" for source in report.sources):
            ok += 1
        else:
            failed += 1
    return ok, failed, time.perf_counter() - started


async def run_review(client: Client, cases: list[ReviewCase], concurrency: int, max_seconds: float,
                     output: pathlib.Path) -> tuple[int, int, float]:
    """Verify through review() into a results file; return (ok, failed, elapsed seconds)."""
    ok = failed = 0
    started = time.perf_counter()
    with ResultsFile.open(output) as results:
        stream = review(client, cases, concurrency=concurrency, done=results.finished, timeout=REQUEST_TIMEOUT_SECONDS)
        async with contextlib.aclosing(stream) as households:
            async for result in households:
                results.append(result)
                if result.status == "ok":
                    ok += 1
                else:
                    failed += 1
                    if failed == 1:
                        print(f"    review failed: {result.case_id} {result.status} {result.reason} {result.message_en}"[:300])
                if time.perf_counter() - started > max_seconds:
                    break
    return ok, failed, time.perf_counter() - started


async def run(args: argparse.Namespace, workdir: pathlib.Path, processes: list[ServerProcess]) -> int:
    fed = build_federation(workdir / "federation", federation_specs())
    department = ServerProcess.start("department", [sys.executable, str(BENCH_DIR / "exchange_servers.py"), "department",
                                                    "--config", str(fed.configs[DEPARTMENT_NODE]), "--members",
                                                    str(args.members), "--payload-records", "8"], workdir)
    processes.append(department)
    province = ServerProcess.start("province", [sys.executable, "-m", "hedui.gateway.cli", "node", "run",
                                                "--config", str(fed.configs[PROVINCE])], workdir)
    processes.append(province)
    department.wait_ready()
    province.wait_ready()

    directory = load_signed_directory(fed.directory_file, fed.anchor(), utcnow())
    members = bench_members(args.members)
    issuer_key = fed.load_key(PROVINCE)
    warmup = make_cases("WARM", WARMUP_HOUSEHOLDS, issuer_key, members)
    single_cases = make_cases("SINGLE", args.households, issuer_key, members)
    review_cases = make_cases("REVIEW", args.households, issuer_key, members)

    print("hedui periodic review benchmark (bench/review.py)")
    print(f"machine: {machine_description()}")
    print(f"workload: {args.households} households per phase, {args.members} members each, 8 records per answer, "
          f"review concurrency {args.concurrency}, time limit {args.max_seconds:.0f} s per phase")
    print("path: SDK (mutual TLS) -> province node (hedui node run) -> department node (in-memory adapter); "
          "signatures, policy and fsynced audit at both nodes")
    print(f"work directory: {workdir}", flush=True)

    async with Client(fed.addresses[PROVINCE], fed.load_key(CASE_SYSTEM), directory, PROVINCE,
                      tls=fed.tls_material(CASE_SYSTEM), server_node=PROVINCE) as client:
        await run_single(client, warmup, args.max_seconds)
        single_ok, single_failed, single_elapsed = await run_single(client, single_cases, args.max_seconds)
        review_ok, review_failed, review_elapsed = await run_review(client, review_cases, args.concurrency,
                                                                    args.max_seconds, workdir / "results.jsonl")

    single_rate = single_ok / single_elapsed if single_elapsed > 0 else 0.0
    review_rate = review_ok / review_elapsed if review_elapsed > 0 else 0.0
    print(f"single: {single_ok} ok, {single_failed} failed in {single_elapsed:.2f} s, {single_rate:.1f} households/s")
    print(f"review: {review_ok} ok, {review_failed} failed in {review_elapsed:.2f} s, {review_rate:.1f} households/s "
          f"(concurrency {args.concurrency})")
    if single_failed or review_failed:
        print(f"WARNING: {single_failed + review_failed} households failed; the figures above are not valid")
    ratio = review_rate / single_rate if single_rate else 0.0
    print(f"review/single throughput ratio: {ratio:.2f}", flush=True)
    return 1 if single_failed or review_failed else 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Compare review() with sequential client.verify calls.")
    parser.add_argument("--households", type=positive_int(100_000), default=600, help="households per phase")
    parser.add_argument("--concurrency", type=positive_int(256), default=16, help="review() concurrency")
    parser.add_argument("--members", type=positive_int(16), default=3, help="members per household")
    parser.add_argument("--max-seconds", type=float, default=40.0,
                        help="time limit of each phase in seconds; a phase stops starting households after it")
    parser.add_argument("--keep-workdir", action="store_true", help="keep keys, configs, logs and the results file")
    args = parser.parse_args(argv)
    if not 0 < args.max_seconds <= 600:
        parser.error("--max-seconds must be more than 0 and at most 600")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="hedui-bench-review-"))
    processes: list[ServerProcess] = []
    try:
        return asyncio.run(run(args, workdir, processes))
    finally:
        for process in reversed(processes):
            process.stop()
        if not args.keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""`hedui demo`: a whole local federation on loopback and real verifications end to end.

The default topology is one province: stand-in department systems, then the
province (140000/MZ), the city (140100/MZ) and thirteen department nodes, one
per department system, as separate processes, so every data category has a
source. The city's case system verifies a synthetic three-member household
across every category. With ``--federation full`` the departments are RS,
BDC and GA only, and a ministry link and a second province (Henan,
410000/MZ, with Zhengzhou and the same three departments) join. The case
system then also checks a member whose household registration is in Henan,
through province → ministry link → Henan. Every node's audit
chain is verified afterwards, and the command exits 0 only if all of that
worked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime
import json
import logging
import os
import pathlib
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from hedui.gateway.demo_process import Process
from hedui.gateway.demo_scripts import write_control_scripts
from hedui.gateway.errors import HeduiError, current_lang
from hedui.gateway.timeutil import utcnow

log = logging.getLogger(__name__)

CITY = "140100/MZ"
PROVINCE = "140000/MZ"
OTHER_PROVINCE = "410000/MZ"
CLIENT = "140100/MZ/HDXT"


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the demo command."""
    demo = subparsers.add_parser("demo", help=_t("在本机回环地址上运行完整的联邦演示", "run a whole local federation on loopback"))
    demo.add_argument("--json", action="store_true", help=_t("以一个 JSON 对象输出报告", "print the report as one JSON object"))
    demo.add_argument("--keep", type=pathlib.Path, metavar="DIR",
                      help=_t("把联邦文件（配置、密钥、证书、数据库、日志）保存到该目录",
                              "keep the federation's files (config, keys, certificates, databases, logs) in DIR"))
    demo.add_argument("--federation", choices=("province", "full"), default="province",
                      help=_t("province：一个省；full：部省联网节点加两个省，并做一次跨省核查",
                              "province: one province; full: a ministry link and two provinces, with a cross-province check"))
    demo.add_argument("--seed", type=int, default=2026, help=_t("合成数据的随机种子", "seed of the synthetic data"))
    demo.add_argument("--html", type=pathlib.Path, metavar="PATH",
                      help=_t("另把核对报告写成可打印的 HTML 文件，不覆盖已有文件",
                              "also write the report as a printable HTML file; an existing file is not overwritten"))
    # SUPPRESS keeps a --lang given before the subcommand from being reset to None.
    demo.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                      help=_t("输出语言（默认中文，或由 HEDUI_LANG 设定）", "output language (default Chinese, or HEDUI_LANG)"))
    demo.set_defaults(handler=run_demo)


def _mentions(dataset: Any) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Count how often each ID number appears in the department tables, and name the tables it appears in."""
    counts: dict[str, int] = {}
    tables_of: dict[str, set[str]] = {}
    for system, tables in dataset.tables.items():
        for table, rows in tables.items():
            for row in rows:
                for value in row.values():
                    if isinstance(value, str) and len(value) == 18:
                        counts[value] = counts.get(value, 0) + 1
                        tables_of.setdefault(value, set()).add(f"{system}.{table}")
    return counts, tables_of


def pick_household(dataset: Any) -> Any:
    """Return the three-member Taiyuan household that the most department tables mention.

    Taiyuan, because the city may issue authorizations only for its own
    division; the most tables, then the most rows, so the report shows every
    kind of answer.
    """
    counts, tables_of = _mentions(dataset)
    candidates = [h for h in dataset.households if len(h.members) == 3 and h.division_code.startswith("1401")]
    if not candidates:
        raise RuntimeError(_t("合成数据中没有太原市的三口之家", "the synthetic data has no three-member Taiyuan household"))

    def coverage(household: Any) -> tuple[int, int]:
        tables = set().union(*(tables_of.get(m.id_number, set()) for m in household.members))
        return len(tables), sum(counts.get(m.id_number, 0) for m in household.members)

    return max(candidates, key=coverage)


def pick_person(dataset: Any) -> Any:
    """Return the person the Henan department tables mention most."""
    mentions, _ = _mentions(dataset)
    return max((m for h in dataset.households for m in h.members), key=lambda m: mentions.get(m.id_number, 0))


@dataclasses.dataclass(frozen=True)
class Standin:
    """A stand-in department service with its dataset, as laid out on disk."""

    folder: str
    dataset: Any
    bdc_database: pathlib.Path
    department_files: bool  # the department files of every stand-in system were copied into the folder


def make_standin(root: pathlib.Path, folder: str, seed: int, counties: Any = None) -> Standin:
    """Generate a dataset, save it for the HTTP service, write the databases and exports, copy department files."""
    from hedui.adapters.standin import copy_department_files, make_dataset, write_department_systems

    # The stand-in data is current as of yesterday in Beijing, like a nightly department extract.
    reference_date = (utcnow() + datetime.timedelta(hours=8)).date() - datetime.timedelta(days=1)
    options = {"counties": counties} if counties is not None else {}
    dataset = make_dataset(seed=seed, households=20, reference_date=reference_date, **options)
    dataset.save(root / folder)
    write_department_systems(dataset, root / folder)
    copied = copy_department_files(root / folder)
    return Standin(folder, dataset, root / folder / "bdc.sqlite", copied)


async def _verify(fed: Any, directory: Any, household: Any, extra_members: list[Any], target: str,
                  members: list[str]) -> tuple[Any, Any]:
    """Sign an authorization for the household (and extra members), verify ``members`` at ``target``.

    Returns the verified report and the authorization record it ran under.
    """
    from hedui.sdk import AuthorizationBuilder, Client, sign_authorization
    from hedui.v1 import common_pb2 as C

    now = utcnow()
    # Every category the home province's departments serve: all of them in the
    # province demo, those of RS, BDC and GA in the full federation.
    categories = sorted(directory.reachable_categories(PROVINCE))
    builder = (AuthorizationBuilder().record_id(f"TY-HD-{now:%Y%m%d}-0001").issuer(CITY, household.division_code)
               .grantee(CITY).categories(*categories).purpose(C.PURPOSE_INITIAL_ELIGIBILITY)
               .assistance_category(C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE)
               .case_reference("TY-2026-DB-0001")
               .valid(now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=90))
               .paper_form(f"scanned authorization letter of household {household.household_number}".encode(), "王晓燕"))
    for member in [*household.members, *extra_members]:
        builder = builder.member(member.id_number, member.name, member.relation_code)
    record = builder.build()
    signed = sign_authorization(record, fed.load_key(CITY))
    async with Client(fed.addresses[CITY], fed.load_key(CLIENT), directory, target,
                      tls=fed.tls_material(CLIENT), server_node=CITY) as client:
        report = await client.verify(signed, members, categories, C.PURPOSE_INITIAL_ELIGIBILITY,
                                     case_reference="TY-2026-DB-0001", questions=demo_questions(categories))
    return report, record


def demo_questions(categories: list[int]) -> list[Any]:
    """Return the threshold questions a Taiyuan case worker would ask, those the categories allow."""
    from hedui.gateway.questions import QUESTION_CATEGORIES
    from hedui.sdk import questions as Q

    # Amounts are in fen; 800 yuan a month is the stand-in data's urban minimum-living standard.
    wanted = [Q.income_per_member_below(80_000), Q.vehicle_value_above(10_000_000), Q.real_estate_beyond_one_home(),
              Q.financial_assets_above(5_000_000), Q.business_capital_above(10_000_000)]
    return [q for q in wanted if QUESTION_CATEGORIES[q.kind] <= set(categories)]


def _audit_chains(fed: Any, directory: Any) -> dict[str, dict[str, Any]]:
    """Verify every node's audit chain, with checkpoint signatures checked against the directory."""
    from hedui.gateway.audit import verify_log
    from hedui.gateway.keys import ED25519, verify_signature
    from hedui.v1 import signature_pb2

    results = {}
    for node_id, config in fed.configs.items():
        def check(key_id: str, message: bytes, signature: bytes, node_id: str = node_id) -> None:
            public_key = directory.public_key(node_id, key_id, utcnow())
            verify_signature(public_key, signature_pb2.Signature(signer=node_id, key_id=key_id, algorithm=ED25519,
                                                                 value=signature), message, f"checkpoint({node_id})")
        result = verify_log(config.parent / "data" / "audit.sqlite", verify_checkpoint=check)
        results[node_id] = {"entries": result.entries, "checkpoints": result.checkpoints, "head": result.head_hash.hex()}
    return results


def html_paths(path: pathlib.Path, topology: str) -> dict[str, pathlib.Path]:
    """Return where --html writes each report: PATH, and for the full federation a -cross-province file beside it."""
    paths = {"local": path}
    if topology == "full":
        paths["cross_province"] = path.with_name(f"{path.stem}-cross-province{path.suffix}")
    return paths


def _check_html_paths(paths: dict[str, pathlib.Path]) -> None:
    """Reject --html before the demo starts when a report file could not be written."""
    for path in paths.values():
        if path.exists():
            raise HeduiError("INVALID_OPTION", f"--html {path}", ("文件已存在，请换一个路径或先移走旧文件",
                                                               "the file exists; choose another path or move it first"))
        if not path.parent.is_dir():
            raise HeduiError("INVALID_OPTION", f"--html {path}", ("所在目录不存在，请先创建该目录",
                                                               "its folder does not exist; create it first"))


def _write_html(paths: dict[str, pathlib.Path], reports: dict[str, Any], directory: Any) -> None:
    """Write each report as the printable HTML report, with names from the authorization and the directory."""
    from hedui.sdk.render_html import CaseDetails, member_names, render_html

    node_names = {node.node_id: node.name for node in directory.nodes()}
    for name, (report, record, _) in reports.items():
        document = render_html(report, lang=current_lang(), case=CaseDetails.from_authorization(record, CITY),
                               names=member_names(record), node_names=node_names)
        try:
            with open(paths[name], "x", encoding="utf-8") as file:
                file.write(document)
        except FileExistsError as exc:
            raise HeduiError("INVALID_OPTION", f"--html {paths[name]}", ("文件在演示运行期间被创建，未覆盖",
                                                                     "the file appeared while the demo ran; "
                                                                     "it was not overwritten")) from exc


async def _run(root: pathlib.Path, seed: int, as_json: bool, topology: str,
               html: dict[str, pathlib.Path] | None = None) -> int:
    from hedui.adapters.standin.divisions import HENAN_COUNTIES
    from hedui.gateway import federation
    from hedui.gateway.directory import load_signed_directory
    from hedui.sdk.render import render_report

    started = time.monotonic()
    say = (lambda text: print(text, file=sys.stderr)) if as_json else print
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    full = topology == "full"

    # 1. Synthetic people in the stand-in department systems, one service per province.
    standins = [make_standin(root, "standin", seed)]
    if full:
        standins.append(make_standin(root, "standin-henan", seed + 1, HENAN_COUNTIES))
    household = pick_household(standins[0].dataset)

    processes: list[Process] = []
    reports: dict[str, Any] = {}
    interrupted = False
    try:
        urls: dict[str, str] = {}
        for standin in standins:
            service = await Process.spawn(standin.folder, [
                "-m", "hedui.adapters.standin.http_service", "--host", "127.0.0.1", "--port", "0",
                "--data", str(root / standin.folder)], logs / f"{standin.folder}.log")
            processes.append(service)
            urls[standin.folder] = await service.ready()
        say(_t(f"部门模拟系统已启动：{', '.join(urls.values())}", f"stand-in department systems at {', '.join(urls.values())}"))

        # 2. Keys, certificates, signed directory segments and configs; then one process per node.
        if full:
            specs = federation.full_specs((urls["standin"], str(standins[0].bdc_database)),
                                          (urls["standin-henan"], str(standins[1].bdc_database)))
        else:
            departments = federation.ALL_DEPARTMENTS if standins[0].department_files else federation.CORE_DEPARTMENTS
            if not standins[0].department_files:
                say(_t("未找到 examples/departments 中的部门配置文件（从源码目录安装时才有），只启动人社、不动产、公安三个部门。",
                       "the department files of examples/departments were not found (only a source checkout has "
                       "them), so only RS, BDC and GA start."))
            specs = federation.demo_specs(urls["standin"], urls["standin"], str(standins[0].bdc_database),
                                          departments=departments, standin_folder=root / standins[0].folder)
        fed = federation.build_federation(root / "federation", specs)
        write_control_scripts(root, urls, fed)
        nodes = []
        for node_id, config in fed.configs.items():
            args = ["-m", "hedui.gateway.cli", "node", "run", "--config", str(config)]
            nodes.append(await Process.spawn(node_id, args, logs / f"{federation.slug(node_id)}.log"))
            # At once, so an interrupt between two spawns still stops the nodes already running.
            processes.append(nodes[-1])
        await asyncio.gather(*(p.ready() for p in nodes))
        say(_t(f"已启动 {len(fed.configs)} 个节点（双向 TLS）：{', '.join(fed.configs)}",
               f"started {len(fed.configs)} nodes (mutual TLS): {', '.join(fed.configs)}"))

        # 3. The city's case system verifies the household in its own province.
        directory = load_signed_directory(fed.directory_file, fed.anchor(), utcnow())
        extra = []
        if full:
            # A member registered in Henan, for example a spouse who moved to Taiyuan.
            person = pick_person(standins[1].dataset)
            extra = [dataclasses.replace(person, relation_code="10")]
        reports["local"] = (*await _verify(fed, directory, household, extra, PROVINCE,
                                           [m.id_number for m in household.members]), household.members)

        # 4. With the full federation, the Henan member is checked through the ministry link.
        if full:
            reports["cross_province"] = (*await _verify(fed, directory, household, extra, OTHER_PROVINCE,
                                                        [extra[0].id_number]), tuple(extra))
    except (asyncio.CancelledError, KeyboardInterrupt):
        # asyncio.run turns Ctrl-C into a cancellation of this coroutine, then into KeyboardInterrupt.
        interrupted = True
        raise
    finally:
        with _sigint_ignored():
            codes = await asyncio.gather(*(p.stop() for p in reversed(processes)))
        _report_exits(list(reversed(processes)), codes, interrupted, say)

    audit_results = _audit_chains(fed, directory)
    elapsed = time.monotonic() - started
    if html:
        _write_html(html, reports, directory)
        say(_t(f"核对报告（HTML）已写入 {', '.join(map(str, html.values()))}",
               f"verification report (HTML) written to {', '.join(map(str, html.values()))}"))
    if as_json:
        document = reports["local"][0].to_dict()
        if full:
            document["cross_province"] = reports["cross_province"][0].to_dict()
        document["audit"] = audit_results
        document["elapsed_seconds"] = round(elapsed, 2)
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0

    titles = {"local": _t("本省核对", "check in the home province"),
              "cross_province": _t("跨省核查（经部省联网节点到河南省）", "cross-province check (through the ministry link to Henan)")}
    for name, (report, _, people) in reports.items():
        names = {m.id_number: (m.name, m.relation_code) for m in people}
        print()
        if full:
            print(f"== {titles[name]} ==")
        print(render_report(report, names))
    print()
    print(_t("审计链验证：", "audit chains:"))
    width = max(len(node_id) for node_id in audit_results)
    for node_id, result in audit_results.items():
        print(_t(f"  {node_id:<{width}}  完整，{result['entries']} 条记录，{result['checkpoints']} 个签名检查点",
                 f"  {node_id:<{width}}  intact: entries {result['entries']}, signed checkpoints {result['checkpoints']}"))
    print(_t(f"演示完成，用时 {elapsed:.1f} 秒。", f"demo finished in {elapsed:.1f} s."))
    return 0


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while the demo stops its processes, so a second Ctrl-C cannot leave some running.

    Stopping is bounded (Process.stop kills after ten seconds). Signal handlers can be set only in
    the main thread; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _report_exits(processes: list[Process], codes: list[int], interrupted: bool, say: Callable[[str], None]) -> None:
    """Name every process that ended with an unexpected exit code; Process.stop counts our own SIGTERM as 0."""
    for process, code in zip(processes, codes):
        if code == 0:
            continue
        if interrupted:
            # Ctrl-C in a terminal sends SIGINT to every child too. A child that is still starting
            # dies of it (-2) or exits with 130, so after an interrupt these codes are expected.
            log.info("demo process %s exited with code %s after the interrupt", process.name, code)
            continue
        say(_t(f"警告：演示进程 {process.name} 异常退出，退出码 {code}。",
               f"warning: demo process {process.name} exited with code {code}."))


def run_demo(args: argparse.Namespace) -> int:
    """Run the demo in a temporary folder, or in --keep DIR; return 130 when Ctrl-C interrupted it."""
    if getattr(args, "lang", None):
        # The child processes and the start.sh written for --keep take the language from here.
        os.environ["HEDUI_LANG"] = args.lang
    try:
        return _run_demo(args)
    except KeyboardInterrupt:
        # _run stops every process it started before the interrupt reaches this point.
        message = _t("演示已中断，所有进程均已停止。", "demo interrupted; every process was stopped.")
        if args.keep is not None:
            message += _t(f"已生成的文件保留在 {args.keep}。", f" The files written so far are kept in {args.keep}.")
        print(message, file=sys.stderr)
        return 130


def _run_demo(args: argparse.Namespace) -> int:
    html = html_paths(args.html, args.federation) if args.html is not None else None
    if html:
        _check_html_paths(html)
    if args.keep is not None:
        root = args.keep.resolve()
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise HeduiError("INVALID_OPTION", f"--keep {root}", ("该目录须为空或不存在", "the folder must be empty or absent"))
        root.mkdir(parents=True, exist_ok=True)
        context: contextlib.AbstractContextManager = contextlib.nullcontext(str(root))
    else:
        context = tempfile.TemporaryDirectory(prefix="hedui-demo-")
    with context as folder:
        try:
            code = asyncio.run(_run(pathlib.Path(folder), args.seed, args.json, args.federation, html))
        except RuntimeError as exc:
            print(_t(f"演示失败：{exc}", f"demo failed: {exc}"), file=sys.stderr)
            return 1
    if args.keep is not None:
        print(_t(f"联邦文件已保存在 {args.keep}", f"federation files kept in {args.keep}"),
              file=sys.stderr if args.json else sys.stdout)
    return code

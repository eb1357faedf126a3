"""`hedui demo`: a whole local federation on loopback and one real verification end to end.

The demo starts a stand-in department service, then the province
(140000/MZ), the city (140100/MZ) and the RS, BDC and GA department nodes as
separate processes, runs one verification of a synthetic three-member
household through the city node, prints the report, checks every node's audit
chain, stops everything and exits 0 only if all of that worked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import logging
import os
import pathlib
import shlex
import signal
import sys
import tempfile
import time
from typing import Any

from hedui.gateway.errors import HeduiError, current_lang
from hedui.gateway.timeutil import utcnow

log = logging.getLogger(__name__)

CITY = "140100/MZ"
PROVINCE = "140000/MZ"
CLIENT = "140100/MZ/HDXT"
START_TIMEOUT_SECONDS = 30.0


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


def pick_household(dataset: Any) -> Any:
    """Return the three-member Taiyuan household that the most department tables mention.

    Taiyuan, because the city may issue authorizations only for its own
    division; the most records, so the report shows every kind of answer.
    """
    mentions: dict[str, int] = {}
    for tables in dataset.tables.values():
        for rows in tables.values():
            for row in rows:
                for value in row.values():
                    if isinstance(value, str) and len(value) == 18:
                        mentions[value] = mentions.get(value, 0) + 1
    candidates = [h for h in dataset.households if len(h.members) == 3 and h.division_code.startswith("1401")]
    if not candidates:
        raise RuntimeError(_t("合成数据中没有太原市的三口之家", "the synthetic data has no three-member Taiyuan household"))
    return max(candidates, key=lambda h: sum(mentions.get(m.id_number, 0) for m in h.members))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the demo command."""
    demo = subparsers.add_parser("demo", help=_t("在本机回环地址上运行完整的联邦演示", "run a whole local federation on loopback"))
    demo.add_argument("--json", action="store_true", help=_t("以一个 JSON 对象输出报告", "print the report as one JSON object"))
    demo.add_argument("--keep", type=pathlib.Path, metavar="DIR",
                      help=_t("把联邦文件（配置、密钥、数据库）保存到该目录", "keep the federation's files (config, keys, databases) in DIR"))
    demo.add_argument("--seed", type=int, default=2026, help=_t("合成数据的随机种子", "seed of the synthetic data"))
    demo.set_defaults(handler=run_demo)


class Process:
    """A child process that prints one READY line when it serves."""

    def __init__(self, name: str, proc: asyncio.subprocess.Process, log_path: pathlib.Path) -> None:
        self.name = name
        self.proc = proc
        self.log_path = log_path

    @classmethod
    async def spawn(cls, name: str, args: list[str], log_path: pathlib.Path) -> "Process":
        stderr = open(log_path, "wb")  # noqa: SIM115 - closed when the process is reaped
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE, stderr=stderr, stdin=asyncio.subprocess.DEVNULL, env=env,
        )
        stderr.close()
        return cls(name, proc, log_path)

    async def ready(self, timeout: float = START_TIMEOUT_SECONDS) -> str:
        """Wait for the READY line and return the rest of it."""
        assert self.proc.stdout is not None
        try:
            while True:
                line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
                if not line:
                    raise RuntimeError(self._failure(_t("进程提前退出", "exited early")))
                text = line.decode().strip()
                if text.startswith("READY"):
                    return text.removeprefix("READY").strip()
        except asyncio.TimeoutError:
            raise RuntimeError(self._failure(_t(f"{timeout:.0f} 秒内未就绪", f"not ready within {timeout:.0f} s"))) from None

    def _failure(self, what: str) -> str:
        tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-1500:] if self.log_path.exists() else ""
        return f"{self.name}: {what}\n{tail}"

    async def stop(self) -> int:
        """Send SIGTERM, wait up to five seconds, then kill."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 5)
            except asyncio.TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode or 0


async def _run(root: pathlib.Path, seed: int, as_json: bool) -> int:
    from hedui.adapters.standin import make_dataset, write_bdc_database
    from hedui.gateway import federation
    from hedui.gateway.audit import verify_log
    from hedui.gateway.directory import load_signed_directory
    from hedui.gateway.keys import verify_signature
    from hedui.sdk import AuthorizationBuilder, Client, sign_authorization
    from hedui.sdk.render import render_report
    from hedui.v1 import common_pb2 as C

    started = time.monotonic()
    say = (lambda text: print(text, file=sys.stderr)) if as_json else print
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    # 1. Synthetic people in the stand-in department systems.
    # The stand-in data is current as of yesterday in Beijing, like a nightly department extract.
    reference_date = (utcnow() + datetime.timedelta(hours=8)).date() - datetime.timedelta(days=1)
    dataset = make_dataset(seed=seed, households=20, reference_date=reference_date)
    standin_dir = root / "standin"
    dataset.save(standin_dir)
    write_bdc_database(dataset, standin_dir / "bdc.sqlite")
    household = pick_household(dataset)

    processes: list[Process] = []
    try:
        service = await Process.spawn("standin", ["-m", "hedui.adapters.standin.http_service", "--host", "127.0.0.1",
                                                  "--port", "0", "--data", str(standin_dir)], logs / "standin.log")
        processes.append(service)
        base_url = await service.ready()
        say(_t(f"部门模拟系统已启动：{base_url}", f"stand-in department systems at {base_url}"))

        # 2. Keys, signed directory and configs; then one process per node.
        specs = federation.demo_specs(base_url, base_url, str(standin_dir / "bdc.sqlite"))
        fed = federation.build_federation(root / "federation", specs)
        write_control_scripts(root, base_url, fed)
        for node_id, config in fed.configs.items():
            args = ["-m", "hedui.gateway.cli", "node", "run", "--config", str(config)]
            processes.append(await Process.spawn(node_id, args, logs / f"{federation.slug(node_id)}.log"))
        await asyncio.gather(*(p.ready() for p in processes[1:]))
        say(_t(f"已启动 {len(fed.configs)} 个节点：{', '.join(fed.configs)}", f"started {len(fed.configs)} nodes: {', '.join(fed.configs)}"))

        # 3. The city's case system asks for the household's verification.
        now = utcnow()
        directory = load_signed_directory(fed.directory_file, fed.anchor(), now)
        categories = [C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION,
                      C.DATA_CATEGORY_UNEMPLOYMENT, C.DATA_CATEGORY_REAL_ESTATE, C.DATA_CATEGORY_VEHICLE]
        builder = (AuthorizationBuilder().record_id(f"TY-HD-{now:%Y%m%d}-0001").issuer(CITY, household.division_code).grantee(CITY)
                   .categories(*categories).purpose(C.PURPOSE_INITIAL_ELIGIBILITY)
                   .assistance_category(C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE)
                   .case_reference("TY-2026-DB-0001")
                   .valid(now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=90))
                   .paper_form(f"scanned authorization letter of household {household.household_number}".encode(), "王晓燕"))
        for member in household.members:
            builder = builder.member(member.id_number, member.name, member.relation_code)
        signed = sign_authorization(builder.build(), fed.load_key(CITY))
        members = [m.id_number for m in household.members]
        async with Client(fed.addresses[CITY], fed.load_key(CLIENT), directory, PROVINCE,
                          tls=fed.tls_material(CLIENT), server_node=CITY) as client:
            report = await client.verify(signed, members, categories, C.PURPOSE_INITIAL_ELIGIBILITY,
                                         case_reference="TY-2026-DB-0001")
    finally:
        codes = await asyncio.gather(*(p.stop() for p in reversed(processes)))
        if any(codes):
            log.warning("a demo process exited with a non-zero code: %s", codes)

    # 4. Every node's audit chain, with checkpoint signatures checked against the directory.
    audit_results = {}
    for node_id, config in fed.configs.items():
        def check(key_id: str, message: bytes, signature: bytes, node_id: str = node_id) -> None:
            from hedui.v1 import signature_pb2
            public_key = directory.public_key(node_id, key_id, utcnow())
            verify_signature(public_key, signature_pb2.Signature(signer=node_id, key_id=key_id, algorithm=1, value=signature),
                             message, f"checkpoint({node_id})")
        result = verify_log(config.parent / "data" / "audit.sqlite", verify_checkpoint=check)
        audit_results[node_id] = {"entries": result.entries, "checkpoints": result.checkpoints,
                                  "head": result.head_hash.hex()}

    elapsed = time.monotonic() - started
    if as_json:
        document = report.to_dict()
        document["audit"] = audit_results
        document["elapsed_seconds"] = round(elapsed, 2)
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        names = {m.id_number: (m.name, m.relation_code) for m in household.members}
        print()
        print(render_report(report, names))
        print()
        print(_t("审计链验证：", "audit chains:"))
        width = max(len(node_id) for node_id in audit_results)
        for node_id, result in audit_results.items():
            print(_t(f"  {node_id:<{width}}  完整，{result['entries']} 条记录，{result['checkpoints']} 个签名检查点",
                     f"  {node_id:<{width}}  intact: entries {result['entries']}, signed checkpoints {result['checkpoints']}"))
        print(_t(f"演示完成，用时 {elapsed:.1f} 秒。", f"demo finished in {elapsed:.1f} s."))
    return 0


def write_control_scripts(root: pathlib.Path, standin_url: str, fed: Any) -> None:
    """Write start.sh and stop.sh so a kept federation can be run again with the same ports."""
    python = shlex.quote(sys.executable)
    port = standin_url.rsplit(":", 1)[1]
    lines = [
        "#!/usr/bin/env bash",
        "# Start the stand-in department systems and every node of this federation in the background.",
        "set -euo pipefail",
        'cd "$(dirname "$0")"',
        "mkdir -p run logs",
        f"{python} -m hedui.adapters.standin.http_service --host 127.0.0.1 --port {port} --data standin "
        "> logs/standin.out 2> logs/standin.log & echo $! > run/standin.pid",
    ]
    for node_id, config in fed.configs.items():
        name = config.parent.name
        relative = config.relative_to(root)
        lines.append(f"{python} -m hedui.gateway.cli node run --config {shlex.quote(str(relative))} "
                     f"> logs/{name}.out 2> logs/{name}.log & echo $! > run/{name}.pid")
    # Wait until every process has printed its READY line, so callers can use the federation at once.
    outs = " ".join(["logs/standin.out"] + [f"logs/{config.parent.name}.out" for config in fed.configs.values()])
    lines += [
        f"for out in {outs}; do",
        '  for _ in $(seq 150); do grep -q READY "$out" 2>/dev/null && break; sleep 0.2; done',
        '  grep -q READY "$out" || { echo "not ready: $out (see logs/)" >&2; exit 1; }',
        "done",
        'echo "started; stop with ./stop.sh"',
    ]
    (root / "start.sh").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stop = [
        "#!/usr/bin/env bash",
        "# Stop every process that start.sh started.",
        'cd "$(dirname "$0")"',
        'for pid_file in run/*.pid; do [ -e "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null; rm -f "$pid_file"; done',
        'echo "stopped"',
    ]
    (root / "stop.sh").write_text("\n".join(stop) + "\n", encoding="utf-8")
    for script in ("start.sh", "stop.sh"):
        (root / script).chmod(0o755)


def run_demo(args: argparse.Namespace) -> int:
    """Run the demo in a temporary folder, or in --keep DIR."""
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
            code = asyncio.run(_run(pathlib.Path(folder), args.seed, args.json))
        except RuntimeError as exc:
            print(_t(f"演示失败：{exc}", f"demo failed: {exc}"), file=sys.stderr)
            return 1
    if args.keep is not None:
        print(_t(f"联邦文件已保存在 {args.keep}", f"federation files kept in {args.keep}"),
              file=sys.stderr if args.json else sys.stdout)
    return code


__all__ = ["register", "run_demo"]

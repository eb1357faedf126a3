"""`hedui review run` and `hedui review sample`: periodic review (定期复核) of many households from a file.

``run`` reads one household per line of a JSON Lines input file (the format
is described in ``hedui.sdk._review_input``), verifies them through one
client at a bounded concurrency and appends one result line per household
to the output file. Run again with the same files after an interruption, it
skips the households already in the output. ``sample`` writes an input file
from a federation kept by ``hedui demo --keep DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import pathlib
import shlex
import signal
import sys
import time
from typing import Any, TextIO

from hedui.gateway.errors import HeduiError, current_lang

DEMO_CITY = "140100/MZ"
DEMO_CASE_SYSTEM = "140100/MZ/HDXT"
DEMO_PROVINCE = "140000/MZ"
DEMO_CATEGORIES = ("HOUSEHOLD_REGISTRATION", "SOCIAL_INSURANCE", "PENSION", "UNEMPLOYMENT", "REAL_ESTATE", "VEHICLE")
MAX_CONCURRENCY = 256
MAX_SAMPLE_HOUSEHOLDS = 1_000_000
PROGRESS_INTERVAL_SECONDS = 1.0
EXIT_FAILED_HOUSEHOLDS = 1
EXIT_USAGE = 2


def _t(zh: str, en: str, lang: str | None = None) -> str:
    return en if (lang or current_lang()) == "en" else zh


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the review run and review sample commands."""
    review = subparsers.add_parser("review", help=_t("定期复核：按文件批量核对家庭", "periodic review: verify many households from a file"))
    commands = review.add_subparsers(dest="review_command", required=True)

    run = commands.add_parser("run", help=_t("批量核对输入文件中的家庭，结果逐行追加到输出文件；中断后可续跑",
                                             "verify the households of an input file and append one result line each; "
                                             "resumes after an interruption"))
    run.add_argument("--input", type=pathlib.Path, required=True, metavar="FILE",
                     help=_t("输入文件（JSON Lines，每行一户）", "input file (JSON Lines, one household a line)"))
    run.add_argument("--output", type=pathlib.Path, required=True, metavar="FILE",
                     help=_t("结果文件（JSON Lines，每户一行；已有的行会被跳过）",
                             "results file (JSON Lines, one line a household; households already in it are skipped)"))
    run.add_argument("--concurrency", type=_bounded_int(1, MAX_CONCURRENCY), default=16, metavar="N",
                     help=_t(f"同时进行的核对数（1 至 {MAX_CONCURRENCY}，默认 16）",
                             f"verifications in flight at once (1 to {MAX_CONCURRENCY}, default 16)"))
    run.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                     help=_t("每户核对的时限，单位秒（默认 15）", "time limit of each household's verification in seconds (default 15)"))
    run.add_argument("--retry-failed", action="store_true",
                     help=_t("重新核对结果文件中失败的家庭", "verify again the households that failed in the results file"))
    run.add_argument("--retry-partial", action="store_true",
                     help=_t("重新核对结果文件中部分来源未应答的家庭", "verify again the households whose report lacked some sources"))
    _add_client_options(run)
    _add_lang(run)
    run.set_defaults(handler=run_review)

    sample = commands.add_parser("sample", help=_t("用 hedui demo --keep 保存的联邦生成复核输入文件",
                                                   "write a review input file from a federation kept by hedui demo --keep"))
    sample.add_argument("--demo", type=pathlib.Path, required=True, metavar="DIR",
                        help=_t("hedui demo --keep 保存的目录", "folder written by hedui demo --keep"))
    sample.add_argument("--output", type=pathlib.Path, required=True, metavar="FILE",
                        help=_t("要写入的输入文件（不得已存在）", "input file to write (must not exist)"))
    sample.add_argument("--households", type=_bounded_int(1, MAX_SAMPLE_HOUSEHOLDS), default=100, metavar="N",
                        help=_t("户数（默认 100；超过模拟数据的户数时循环使用）",
                                "number of households (default 100; the stand-in households repeat when N is larger)"))
    _add_lang(sample)
    sample.set_defaults(handler=run_sample)


def _add_client_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_t("客户端", "client"))
    group.add_argument("--key", type=pathlib.Path, required=True, metavar="FILE",
                       help=_t("调用方（核对系统）的签名私钥文件", "the caller's (case system's) signing key file"))
    group.add_argument("--caller", required=True, metavar="NODE_ID",
                       help=_t("调用方节点标识，例如 140100/MZ/HDXT", "the caller's node id, for example 140100/MZ/HDXT"))
    group.add_argument("--directory", type=pathlib.Path, required=True, metavar="FILE",
                       help=_t("签名后的联邦目录文件", "signed federation directory file"))
    group.add_argument("--anchor", type=pathlib.Path, required=True, metavar="FILE",
                       help=_t("信任锚公钥文件", "trust anchor public key file"))
    group.add_argument("--server-node", required=True, metavar="NODE_ID",
                       help=_t("所连接的节点，例如 140100/MZ；地址取自目录", "the node to call, for example 140100/MZ; its address comes from the directory"))
    group.add_argument("--address", metavar="HOST:PORT",
                       help=_t("改用此地址连接 --server-node（默认用目录中的地址）",
                               "call --server-node at this address instead of the directory's"))
    group.add_argument("--target", required=True, metavar="NODE_ID",
                       help=_t("汇总核对的节点，例如省级 140000/MZ", "the node that aggregates, for example the province 140000/MZ"))
    group.add_argument("--tls-ca", type=pathlib.Path, metavar="FILE", help=_t("联邦 CA 证书", "federation CA certificate"))
    group.add_argument("--tls-cert", type=pathlib.Path, metavar="FILE", help=_t("调用方的 TLS 证书", "the caller's TLS certificate"))
    group.add_argument("--tls-key", type=pathlib.Path, metavar="FILE", help=_t("调用方的 TLS 私钥", "the caller's TLS private key"))
    group.add_argument("--plaintext", action="store_true",
                       help=_t("不用 TLS（仅用于开发环境的明文联邦）", "no TLS (only for a plaintext development federation)"))


def _add_lang(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --lang given before the subcommand from being reset to None.
    parser.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=_t("输出语言", "output language"))


def _bounded_int(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(_t(f"应为 {low} 至 {high} 的整数：{text}", f"must be an integer from {low} to {high}: {text}"))
        return value
    return parse


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or current_lang()


class ProgressPrinter:
    """Prints a progress line at most once per interval, and always when a known total is reached."""

    def __init__(self, lang: str, earlier_failed: int, stream: TextIO = sys.stderr,
                 interval: float = PROGRESS_INTERVAL_SECONDS) -> None:
        self.lang = lang
        self.earlier_failed = earlier_failed
        self.stream = stream
        self.interval = interval
        self._last = float("-inf")

    def __call__(self, progress: Any) -> None:
        now = time.monotonic()
        if now - self._last < self.interval and progress.done != progress.total:
            return
        self._last = now
        print(self.line(progress), file=self.stream, flush=True)

    def line(self, progress: Any) -> str:
        """Return one progress line, for example 已完成 120/5000 户，失败 2 户，每秒 35.2 户."""
        done = f"{progress.done}/{progress.total}" if progress.total is not None else str(progress.done)
        failed = self.earlier_failed + progress.failed
        partial_zh = f"，部分来源未应答 {progress.partial} 户" if progress.partial else ""
        partial_en = f", {progress.partial} with missing sources" if progress.partial else ""
        return _t(f"已完成 {done} 户，失败 {failed} 户{partial_zh}，每秒 {progress.rate:.1f} 户",
                  f"done {done} households, {failed} failed{partial_en}, {progress.rate:.1f} households/s", self.lang)


class _RunState:
    """Counts of a stopped run, for the interruption message."""

    written = 0
    output: pathlib.Path | None = None


def run_review(args: argparse.Namespace) -> int:
    """Run a review; return 0 when no household failed, 1 when some did, 2 on bad input, 130 or 143 when stopped."""
    from hedui.sdk import ReviewFileError

    lang = _lang(args)
    state = _RunState()
    try:
        return asyncio.run(_review(args, lang, state))
    except ReviewFileError as exc:
        print(_t("错误", "error", lang) + f" [{exc.reason}]: {exc.message(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyboardInterrupt, asyncio.CancelledError) as exc:
        code = 130 if isinstance(exc, KeyboardInterrupt) else 143
        print(_t(f"已中断：本次 {state.written} 户的结果已保存在 {state.output}。用同样的命令重新运行即可从中断处继续。",
                 f"Interrupted: the results of {state.written} households of this run are saved in {state.output}. "
                 "Run the same command again to continue where it stopped.", lang), file=sys.stderr)
        return code


async def _review(args: argparse.Namespace, lang: str, state: _RunState) -> int:
    from hedui.sdk import ResultsFile, check_cases, read_cases, review

    # SIGTERM (a service manager stopping the run) ends it like Ctrl-C: every finished line is on disk.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)

    # 1. Check every input line first, so a bad line stops the run before any household is verified.
    if args.output.exists() and args.input.exists() and args.output.resolve() == args.input.resolve():
        from hedui.sdk import ReviewFileError
        raise ReviewFileError("REVIEW_SAME_FILE", str(args.input))
    case_ids, errors = check_cases(args.input)
    if errors:
        for error in errors:
            print(_t("错误", "error", lang) + f" [{error.reason}]: {error.message(lang)}", file=sys.stderr)
        print(_t(f"输入文件有 {len(errors)} 处错误（最多列出 20 处），未核对任何家庭，结果文件未改动。",
                 f"The input file has {len(errors)} errors (at most 20 are listed); no household was verified and "
                 "the results file is unchanged.", lang), file=sys.stderr)
        return EXIT_USAGE

    # 2. The client before the results file, so a wrong key or directory changes nothing on disk.
    client = _client(args, lang)
    retry = {status for status, wanted in (("failed", args.retry_failed), ("partial", args.retry_partial)) if wanted}
    state.output = args.output
    try:
        results = ResultsFile.open(args.output, retry=retry)
    except BaseException:
        await client.close()
        raise

    # 3. Verify, appending each result as it arrives.
    async with client:
        with results:
            earlier = {case_id: status for case_id, status in results.finished.items() if case_id in case_ids}
            _print_start(lang, len(case_ids), earlier, results, args)
            printer = ProgressPrinter(lang, sum(1 for status in earlier.values() if status == "failed"))
            stream = review(client, read_cases(args.input), concurrency=args.concurrency, progress=printer,
                            done=results.finished, total=len(case_ids), timeout=args.timeout)
            started = time.monotonic()
            async with contextlib.aclosing(stream) as households:
                async for result in households:
                    results.append(result)
                    state.written += 1
            elapsed = time.monotonic() - started
            statuses = [status for case_id, status in results.finished.items() if case_id in case_ids]

    failed = statuses.count("failed")
    print(_t(f"复核完成：本次核对 {state.written} 户，用时 {elapsed:.1f} 秒。结果文件 {args.output} 中共 {len(statuses)} 户："
             f"成功 {statuses.count('ok')}，部分来源未应答 {statuses.count('partial')}，失败 {failed}。",
             f"Review finished: {state.written} households verified in this run in {elapsed:.1f} s. The results file "
             f"{args.output} holds {len(statuses)} households: {statuses.count('ok')} ok, {statuses.count('partial')} "
             f"partial, {failed} failed.", lang))
    if failed:
        print(_t("失败的家庭可用 --retry-failed 重新核对。", "Verify the failed households again with --retry-failed.", lang))
    return EXIT_FAILED_HOUSEHOLDS if failed else 0


def _print_start(lang: str, total: int, earlier: dict[str, str], results: Any, args: argparse.Namespace) -> None:
    if results.dropped_line:
        print(_t(f"结果文件第 {results.dropped_line} 行不完整（上次运行在写入时中断），已丢弃，该户将重新核对。",
                 f"Line {results.dropped_line} of the results file was cut short by an interruption and was dropped; "
                 "that household is verified again.", lang), file=sys.stderr)
    if results.removed:
        print(_t(f"已从结果文件中移除 {results.removed} 户待重新核对的结果。",
                 f"Removed {results.removed} results to verify again from the results file.", lang), file=sys.stderr)
    print(_t(f"开始复核：共 {total} 户，此前已完成 {len(earlier)} 户（跳过），本次核对 {total - len(earlier)} 户，并发 {args.concurrency}。",
             f"Starting the review: {total} households, {len(earlier)} already done (skipped), "
             f"{total - len(earlier)} to verify, concurrency {args.concurrency}.", lang), file=sys.stderr, flush=True)


def _client(args: argparse.Namespace, lang: str) -> Any:
    """Build the SDK client from the command's client options."""
    from hedui.sdk import Client, load_directory, load_key, load_tls

    tls_files = (args.tls_ca, args.tls_cert, args.tls_key)
    if args.plaintext and any(tls_files):
        raise HeduiError("INVALID_OPTION", "--plaintext", ("不能与 --tls-ca、--tls-cert、--tls-key 同时使用",
                                                          "cannot be combined with --tls-ca, --tls-cert or --tls-key"))
    if not args.plaintext and not all(tls_files):
        raise HeduiError("INVALID_OPTION", "--tls-ca --tls-cert --tls-key",
                         ("须同时给出这三项，或者对明文联邦使用 --plaintext", "give all three, or --plaintext for a plaintext federation"))
    directory = load_directory(args.directory, args.anchor)
    key = load_key(args.key, args.caller)
    tls = None if args.plaintext else load_tls(args.tls_ca, args.tls_cert, args.tls_key)
    address = args.address
    if address is None:
        try:
            address = directory.node(args.server_node).address
        except (KeyError, HeduiError) as exc:
            raise HeduiError("ROUTE_NOT_FOUND", args.server_node, ("目录中没有该节点，请检查 --server-node",
                                                                   "the directory has no such node; check --server-node")) from exc
    return Client(address, key, directory, args.target, tls=tls, server_node=args.server_node)


def run_sample(args: argparse.Namespace) -> int:
    """Write an input file of signed authorizations for the stand-in households of a kept demo federation."""
    from hedui.adapters.standin import Dataset
    from hedui.gateway.timeutil import utcnow
    from hedui.sdk import case_to_json, load_key
    from hedui.v1 import common_pb2 as C

    lang = _lang(args)
    root = args.demo.resolve()
    federation = root / "federation"
    _check_demo_folder(root)
    households = [h for h in Dataset.load(root / "standin").households if h.division_code.startswith(DEMO_CITY[:4])]
    if not households:
        raise HeduiError("INVALID_OPTION", f"--demo {root}", ("模拟数据中没有太原市的家庭", "the stand-in data has no Taiyuan household"))
    city_key = load_key(federation / "keys" / "140100_MZ.key", DEMO_CITY)
    categories = [C.DataCategory.Value(f"DATA_CATEGORY_{name}") for name in DEMO_CATEGORIES]

    now = utcnow()
    stamp = (now + datetime.timedelta(hours=8)).strftime("%Y%m%d%H%M%S")
    # "x" mode: never overwrite a file the user already has.
    try:
        handle = args.output.open("x", encoding="utf-8")
    except FileExistsError as exc:
        raise HeduiError("FILE_EXISTS", str(args.output), ("请换一个文件名或先删除该文件", "choose another name or delete the file first")) from exc
    try:
        with handle:
            for index in range(args.households):
                household = households[index % len(households)]
                case = _sample_case(f"{stamp}-{index + 1:06d}", household, categories, city_key, now)
                handle.write(case_to_json(case) + "\n")
    except BaseException:
        args.output.unlink(missing_ok=True)
        raise

    print(_t(f"已写入 {args.households} 户的复核输入：{args.output}", f"wrote the review input of {args.households} households: {args.output}", lang))
    print(_t(f"先启动联邦：{root / 'start.sh'}；然后运行：", f"Start the federation with {root / 'start.sh'}, then run:", lang))
    print("  " + shlex.join(_demo_run_command(root, args.output)))
    return 0


# Files that `hedui demo --keep DIR` writes and `review sample` reads, relative to DIR.
DEMO_FILES = ("standin/households.json", "federation/keys/140100_MZ.key", "federation/directory.json")


def _check_demo_folder(root: pathlib.Path) -> None:
    """Reject a --demo folder that `hedui demo --keep` did not write, naming the first file it lacks."""
    missing = next((name for name in DEMO_FILES if not (root / name).is_file()), None)
    if missing is None:
        return
    if not root.is_dir():
        found = ("该目录不存在", "the folder does not exist")
    else:
        found = (f"缺少 {missing}", f"{missing} is missing")
    raise HeduiError("INVALID_OPTION", f"--demo {root}", (
        f"不是 hedui demo --keep 保存的联邦目录（{found[0]}）。请先运行 hedui demo --keep DIR，"
        "再把同一个 DIR 传给 --demo",
        f"not a federation folder kept by hedui demo --keep ({found[1]}). Run hedui demo --keep DIR first, "
        "then pass the same DIR to --demo"))


def _sample_case(serial: str, household: Any, categories: list[int], city_key: Any, now: datetime.datetime) -> Any:
    """Return a review case with an authorization signed by the demo city for one stand-in household."""
    from hedui.sdk import AuthorizationBuilder, ReviewCase, sign_authorization
    from hedui.v1 import common_pb2 as C

    case_id = f"FC-{serial}"
    case_reference = f"TY-DB-{household.household_number}"
    builder = (AuthorizationBuilder().record_id(f"SQ-{serial}")
               .issuer(DEMO_CITY, household.division_code).grantee(DEMO_CITY)
               .categories(*categories).purpose(C.PURPOSE_PERIODIC_REVIEW)
               .valid(now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30))
               .case_reference(case_reference)
               .paper_form(f"periodic review letter {case_id}".encode(), "王晓燕"))
    for member in household.members:
        builder = builder.member(member.id_number, member.name, member.relation_code)
    signed = sign_authorization(builder.build(), city_key)
    return ReviewCase(case_id, signed, tuple(m.id_number for m in household.members), tuple(categories),
                      C.PURPOSE_PERIODIC_REVIEW, case_reference)


def _demo_run_command(root: pathlib.Path, input_file: pathlib.Path) -> list[str]:
    """Return the `hedui review run` command line for a kept demo federation."""
    federation = root / "federation"
    return [
        "hedui", "review", "run", "--input", str(input_file), "--output", str(input_file.with_name("results.jsonl")),
        "--key", str(federation / "keys" / "140100_MZ_HDXT.key"), "--caller", DEMO_CASE_SYSTEM,
        "--directory", str(federation / "directory.json"), "--anchor", str(federation / "keys" / "anchor.pub"),
        "--server-node", DEMO_CITY, "--target", DEMO_PROVINCE,
        "--tls-ca", str(federation / "tls" / "ca.crt"), "--tls-cert", str(federation / "tls" / "140100_MZ_HDXT.crt"),
        "--tls-key", str(federation / "tls" / "140100_MZ_HDXT.tls.key"),
    ]

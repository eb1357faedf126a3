"""`hedui audit verify` and `hedui audit find` commands."""

from __future__ import annotations

import argparse
import base64
import json
import pathlib
import sys
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hedui.gateway._audit_codec import checkpoint_fields, parse_time
from hedui.gateway.audit import AuditChainError, AuditError, StoredEntry, find_entries, verify_log
from hedui.gateway.errors import HeduiError, current_lang, os_error_detail, render_detail
from hedui.gateway.identifiers import mask_id_number, normalize_id_number
from hedui.gateway.timeutil import iso, utcnow

CheckpointVerifier = Callable[[str, bytes, bytes], None]


def _t(zh: str, en: str, lang: str | None = None) -> str:
    return en if (lang or current_lang()) == "en" else zh


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the audit verify and audit find commands."""
    audit = subparsers.add_parser("audit", help=_t("审计日志", "audit log")).add_subparsers(dest="audit_command", required=True)

    verify = audit.add_parser("verify", help=_t("验证审计日志的哈希链和签名检查点", "verify the audit log's hash chain and signed checkpoints"))
    verify.add_argument("--db", type=pathlib.Path, required=True, help=_t("审计日志数据库文件", "audit log database file"))
    verify.add_argument("--directory", type=pathlib.Path, help=_t("签名后的联邦目录，用于查找检查点公钥", "signed federation directory for looking up checkpoint keys"))
    verify.add_argument("--anchor", type=pathlib.Path, help=_t("信任锚公钥文件（与 --directory 一起使用）", "trust anchor public key file (with --directory)"))
    verify.add_argument("--public-key", type=pathlib.Path, action="append", default=[], metavar="PUBFILE",
                        help=_t("节点公钥文件（hedui keys generate 生成的 .pub），可重复", "node public key file (.pub from hedui keys generate); repeatable"))
    _add_lang(verify)
    verify.set_defaults(handler=run_verify)

    find = audit.add_parser("find", help=_t("按身份证号查找审计记录", "find audit entries by ID number"))
    find.add_argument("--db", type=pathlib.Path, required=True, help=_t("审计日志数据库文件", "audit log database file"))
    find.add_argument("--key", type=pathlib.Path, required=True, help=_t("节点审计密钥文件", "the node's audit key file"))
    find.add_argument("--id-number", required=True, metavar="N",
                      help=_t("身份证号；传 - 则从标准输入读取，避免号码留在命令历史中", "ID number; pass - to read it from standard input and keep it out of shell history"))
    _add_lang(find)
    find.set_defaults(handler=run_find)


def _add_lang(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --lang given before the subcommand from being reset to None.
    parser.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=_t("输出语言", "output language"))


def _lang(args: argparse.Namespace) -> str:
    # The environment is read, never written, so one run cannot change the language of another.
    return getattr(args, "lang", None) or current_lang()


def run_verify(args: argparse.Namespace) -> int:
    """Verify the log and print the result; return 0 when intact, 1 when tampered, 2 on a usage error."""
    lang = _lang(args)
    try:
        _check_log_file(args.db)
        verifier = _build_verifier(args)
        result = verify_log(args.db, verify_checkpoint=verifier)
    except AuditChainError as exc:
        print(exc.message(lang))
        return 1
    except (AuditError, HeduiError, OSError) as exc:
        _print_error(exc, ("无法验证审计日志", "cannot verify the audit log"), lang)
        return 2

    print(_t(
        f"审计链完整：共 {result.entries} 条记录，{result.checkpoints} 个签名检查点，链头 {result.head_hash.hex()}",
        f"Audit chain intact: {result.entries} entries, {result.checkpoints} signed checkpoints, head {result.head_hash.hex()}",
        lang,
    ))
    if not result.signatures_verified:
        print(_t("注意：未提供公钥或目录，检查点签名未经验证。",
                 "Note: no public key or directory was given, so checkpoint signatures were not verified.", lang))
    return 0


def run_find(args: argparse.Namespace) -> int:
    """Print the entries about one ID number; the number itself is shown masked."""
    lang = _lang(args)
    id_number = sys.stdin.readline().strip() if args.id_number == "-" else args.id_number
    try:
        _check_log_file(args.db)
        entries = find_entries(args.db, digest_key=_read_file(args.key), id_number=id_number)
    except (AuditError, HeduiError, OSError) as exc:
        _print_error(exc, ("无法查询审计日志", "cannot search the audit log"), lang)
        return 2

    shown = mask_id_number(id_number.strip().upper())
    try:
        normalize_id_number(id_number)
    except HeduiError as exc:
        print(_t(f"注意：{exc.message('zh')}", f"Note: {exc.message('en')}", lang), file=sys.stderr)
    print(_t(f"身份证号 {shown} 共有 {len(entries)} 条审计记录", f"{len(entries)} audit entries for ID number {shown}", lang))
    for entry in entries:
        print(_format_entry(entry, lang))
    return 0


ACTION_NAMES = {"verify": "汇总核对", "answer": "部门应答", "forward": "转发", "publish_revocations": "发布撤销列表"}
OUTCOME_NAMES = {"ok": "成功", "partial": "部分来源未应答", "rejected": "拒绝"}


def _format_entry(entry: StoredEntry, lang: str) -> str:
    from hedui.sdk.render import category_label

    categories = ",".join(category_label(category, lang) for category in entry.categories) or "-"
    reason = f" {entry.reason}" if entry.reason else ""
    action_zh = ACTION_NAMES.get(entry.action, entry.action)
    outcome_zh = OUTCOME_NAMES.get(entry.outcome, entry.outcome)
    return _t(
        f"#{entry.seq} {iso(entry.occurred_at)} {action_zh} 调用方 {entry.caller} 授权 {entry.authorization_id or '-'} "
        f"类别 {categories} 结果 {outcome_zh}{reason}",
        f"#{entry.seq} {iso(entry.occurred_at)} {entry.action} caller {entry.caller} authorization {entry.authorization_id or '-'} "
        f"categories {categories} outcome {entry.outcome}{reason}",
        lang,
    )


def _print_error(exc: AuditError | HeduiError | OSError, action: tuple[str, str], lang: str) -> None:
    """Print an error as every hedui command does, 错误 [REASON]: message, with the failed action first."""
    if isinstance(exc, (AuditError, HeduiError)):
        reason, message = exc.reason, exc.message(lang)
    else:
        # A file error that no check turned into a HeduiError, for example a read that failed midway.
        reason = "IO_ERROR"
        message = f"{exc.filename or ''} {render_detail(os_error_detail(exc), lang)}".strip()
    print(_t(f"错误 [{reason}]: {action[0]}：{message}", f"error [{reason}]: {action[1]}: {message}", lang),
          file=sys.stderr)


def _check_log_file(path: pathlib.Path) -> None:
    """Raise CONFIG_MISSING, naming where a node keeps its audit log, when ``path`` is not a file."""
    if path.is_file():
        return
    problem = ("这是一个目录，不是文件", "it is a folder, not a file") if path.is_dir() else ("文件不存在", "no such file")
    raise HeduiError("CONFIG_MISSING", str(path), (
        f"{problem[0]}；节点的审计日志是其 data_dir 目录下的 audit.sqlite",
        f"{problem[1]}; a node keeps its audit log in audit.sqlite under its data_dir"))


def _read_file(path: pathlib.Path) -> bytes:
    """Read a file given on the command line; raise CONFIG_MISSING naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise HeduiError("CONFIG_MISSING", str(path), os_error_detail(exc)) from exc


def _build_verifier(args: argparse.Namespace) -> CheckpointVerifier | None:
    if args.directory is not None or args.anchor is not None:
        if args.directory is None or args.anchor is None:
            raise HeduiError("INVALID_OPTION", "--directory --anchor", ("两项须同时提供", "give both or neither"))
        return _directory_verifier(args.directory, args.anchor)
    if args.public_key:
        return _public_key_verifier([_read_public_key(path) for path in args.public_key])
    return None


def _read_public_key(path: pathlib.Path) -> tuple[str, str, bytes]:
    """Read (node id, key id, raw Ed25519 key) from a public key file written by `hedui keys generate`."""
    data = _read_file(path)
    try:
        document = json.loads(data.decode("utf-8"))
        return document["node_id"], document["key_id"], base64.b64decode(document["public_key"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise HeduiError("KEY_INVALID", str(path), ("不是 hedui keys generate 写出的公钥文件（.pub）",
                                                   "not a public key file (.pub) written by hedui keys generate")) from exc


def _public_key_verifier(keys: list[tuple[str, str, bytes]]) -> CheckpointVerifier:
    by_id = {(node, key_id): raw for node, key_id, raw in keys}

    def verify(key_id: str, message: bytes, signature: bytes) -> None:
        node = checkpoint_fields(message)["node"]
        raw = by_id.get((node, key_id))
        if raw is None:
            raise InvalidSignature(f"no public key for node {node} key {key_id}")
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)

    return verify


def _directory_verifier(directory_path: pathlib.Path, anchor_path: pathlib.Path) -> CheckpointVerifier:
    from hedui.gateway.directory import TrustAnchor, load_signed_directory

    view = load_signed_directory(directory_path, TrustAnchor.load(anchor_path), utcnow())

    def verify(key_id: str, message: bytes, signature: bytes) -> None:
        fields = checkpoint_fields(message)
        # The key must have been valid when the checkpoint was signed, not necessarily today.
        raw = view.public_key(fields["node"], key_id, parse_time(fields["created_at"]), include_revoked=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)

    return verify


def main(argv: list[str] | None = None) -> int:
    """Run the audit commands on their own, as `python -m hedui.gateway.cli_audit verify ...`."""
    parser = argparse.ArgumentParser(prog="hedui")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["audit", *(sys.argv[1:] if argv is None else argv)])
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())

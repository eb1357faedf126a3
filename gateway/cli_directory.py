"""`hedui keys` and `hedui directory` commands."""

from __future__ import annotations

import argparse
import pathlib

from google.protobuf import json_format

from hedui.gateway import identifiers
from hedui.gateway.directory import (TrustAnchor, load_signed_directory, read_directory_source, save_signed,
                                     sign_directory, sign_segment, write_public_key)
from hedui.gateway.errors import HeduiError, Reason, current_lang
from hedui.gateway.federation import slug
from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import from_timestamp, iso, utcnow
from hedui.sdk.render import category_label
from hedui.v1 import directory_pb2


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the keys and directory commands."""
    keys = subparsers.add_parser("keys", help=_t("签名密钥管理", "signing keys")).add_subparsers(dest="keys_command", required=True)
    generate = keys.add_parser("generate", help=_t("为节点生成 Ed25519 签名密钥", "generate an Ed25519 signing key for a node"))
    generate.add_argument("--node", required=True, help=_t("节点标识，例如 140100/MZ", "node id, for example 140100/MZ"))
    generate.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."), help=_t("输出目录", "output folder"))
    generate.set_defaults(handler=run_keys_generate)

    directory = subparsers.add_parser("directory", help=_t("联邦目录", "federation directory")).add_subparsers(
        dest="directory_command", required=True)
    sign = directory.add_parser("sign", help=_t("用信任锚密钥签署目录", "sign a directory with the trust anchor key"))
    sign.add_argument("source", type=pathlib.Path, help=_t("目录源文件（protobuf JSON）", "directory source (protobuf JSON)"))
    sign.add_argument("--key", type=pathlib.Path, required=True,
                      help=_t("信任锚私钥；签署下级分段时为签署节点的私钥", "trust anchor private key, or the signing node's key for a segment"))
    sign.add_argument("--signer", metavar="NODE_ID",
                      help=_t("以该节点身份签署下级目录分段（省签署本省的市、县和部门）",
                              "sign a delegated segment as this node (a province signs its cities, counties and departments)"))
    sign.add_argument("--out", type=pathlib.Path, required=True, help=_t("签名后的目录文件", "signed directory file"))
    sign.set_defaults(handler=run_directory_sign)

    for name, handler, help_text in (
        ("verify", run_directory_verify, _t("验证目录签名和有效期", "verify a directory's signature and expiry")),
        ("show", run_directory_show, _t("验证并显示目录内容", "verify and show a directory")),
    ):
        command = directory.add_parser(name, help=help_text)
        command.add_argument("signed", type=pathlib.Path, help=_t("签名后的目录文件", "signed directory file"))
        command.add_argument("--anchor", type=pathlib.Path, required=True, help=_t("信任锚公钥文件", "trust anchor public key file"))
        command.set_defaults(handler=handler)
    publish = directory.add_parser("publish", help=_t("把本节点签署的目录分段提交给上级节点",
                                                      "hand this node's signed segment to its parent node"))
    publish.add_argument("segment", type=pathlib.Path, help=_t("本节点签署的目录分段文件", "segment file signed by this node"))
    publish.add_argument("--config", type=pathlib.Path, required=True, help=_t("本节点的配置文件", "this node's configuration file"))
    publish.set_defaults(handler=run_directory_publish)

    show = directory.choices["show"]
    show.add_argument("--json", action="store_true",
                      help=_t("输出目录源文件（protobuf JSON），可修改后重新签署", "print the directory source (protobuf JSON) to edit and sign again"))
    show.add_argument("--segment", metavar="NODE_ID",
                      help=_t("与 --json 同用：只输出该节点签署的分段（root 表示根分段）",
                              "with --json: print only the segment this node signed (root for the root segment)"))


def run_keys_generate(args: argparse.Namespace) -> int:
    """Write NODE.key (private, mode 0600) and NODE.pub into the output folder; never overwrite."""
    identifiers.check_node_id(args.node)
    if args.out.exists() and not args.out.is_dir():
        raise HeduiError(Reason.INVALID_OPTION, f"--out {args.out}", ("不是目录", "not a folder"))
    private_path = args.out / f"{slug(args.node)}.key"
    public_path = args.out / f"{slug(args.node)}.pub"
    for path in (private_path, public_path):
        if path.exists():
            raise HeduiError(Reason.FILE_EXISTS, str(path))

    args.out.mkdir(parents=True, exist_ok=True)
    key = SigningKey.generate(args.node)
    key.save(private_path)
    write_public_key(public_path, key)
    print(_t(f"已生成节点 {args.node} 的签名密钥", f"generated a signing key for {args.node}"))
    print(_t(f"  密钥标识：{key.key_id}", f"  key id: {key.key_id}"))
    print(_t(f"  私钥：{private_path}（仅所有者可读）", f"  private key: {private_path} (owner-only)"))
    print(_t(f"  公钥：{public_path}", f"  public key: {public_path}"))
    return 0


def run_directory_sign(args: argparse.Namespace) -> int:
    """Sign a directory source file with the trust anchor key, or a segment with a node's key."""
    directory = read_directory_source(args.source)
    if args.signer:
        identifiers.check_node_id(args.signer)
        key = SigningKey.load(args.key, args.signer)
        save_signed(args.out, sign_segment(directory, key, utcnow()))
        print(_t(f"已以 {args.signer} 身份签署目录分段，版本 {directory.version}，共 {len(directory.nodes)} 个节点：{args.out}",
                 f"signed a segment as {args.signer}, version {directory.version}, {len(directory.nodes)} nodes: {args.out}"))
        return 0
    owner = _key_owner(args.key)
    if owner and owner != federation_anchor_id():
        raise HeduiError(Reason.INVALID_OPTION, f"--key {args.key}",
                         (f"这是节点 {owner} 的密钥，不是信任锚密钥；签署本级分段请加 --signer {owner}",
                          f"this is node {owner}'s key, not the trust anchor's; add --signer {owner} to sign a segment"))
    anchor = SigningKey.load(args.key, federation_anchor_id())
    save_signed(args.out, sign_directory(directory, anchor, utcnow()))
    print(_t(f"已签署目录 {directory.federation} 版本 {directory.version}，共 {len(directory.nodes)} 个节点：{args.out}",
             f"signed directory {directory.federation} version {directory.version} with {len(directory.nodes)} nodes: {args.out}"))
    return 0


def _segment_source(view, signer: str) -> directory_pb2.Directory:
    """Return the verified segment signed by ``signer`` ("root" for the anchor's) as a Directory."""
    def find(signed: directory_pb2.SignedDirectory) -> directory_pb2.SignedDirectory | None:
        for child in signed.delegations:
            if child.signature.signer == signer:
                return child
            found = find(child)
            if found is not None:
                return found
        return None

    assert view.signed is not None
    segment = view.signed if signer == "root" else find(view.signed)
    if segment is None:
        raise HeduiError(Reason.INVALID_OPTION, f"--segment {signer}", ("目录中没有该节点签署的分段", "no segment signed by this node"))
    return directory_pb2.Directory.FromString(segment.directory)


def federation_anchor_id() -> str:
    """Return the node id under which the trust anchor key is generated."""
    from hedui.gateway.federation import ANCHOR_ID

    return ANCHOR_ID


def _key_owner(path: pathlib.Path) -> str:
    """Return the node id a key file's header names, or "" when it has none."""
    try:
        first = path.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return ""
    prefix = "# hedui signing key for "
    return first[len(prefix):].split(",")[0].strip() if first.startswith(prefix) else ""


def run_directory_publish(args: argparse.Namespace) -> int:
    """Send a segment this node signed to its parent with PublishDirectory."""
    import asyncio

    import grpc

    from hedui.gateway.config import load_config
    from hedui.gateway.directory_sync import read_signed
    from hedui.gateway.errors import from_rpc_error
    from hedui.gateway.transport import TlsMaterial, Transport
    from hedui.v1 import exchange_pb2, exchange_pb2_grpc

    config = load_config(args.config)
    segment = read_signed(args.segment)
    if segment.signature.signer != config.node_id:
        raise HeduiError(Reason.INVALID_OPTION, f"--config {args.config}",
                         (f"该配置属于节点 {config.node_id}，而分段由 {segment.signature.signer} 签署；请用签署节点的配置",
                          f"the configuration is node {config.node_id}'s but {segment.signature.signer} signed the segment; use the signer's configuration"))
    view = load_signed_directory(config.directory_file, TrustAnchor.load(config.trust_anchor_file), utcnow())
    parent_id = view.node(config.node_id).parent
    if not parent_id:
        raise HeduiError(Reason.ROUTE_NOT_FOUND, config.node_id, ("本节点没有上级节点", "this node has no parent"))
    parent = view.node(parent_id)
    tls = None
    if config.tls_ca and config.tls_cert and config.tls_key:
        tls = TlsMaterial.load(config.tls_ca, config.tls_cert, config.tls_key)

    async def send() -> int:
        async with Transport(tls).channel(parent.address, parent.node_id) as channel:
            try:
                response = await exchange_pb2_grpc.ExchangeServiceStub(channel).PublishDirectory(
                    exchange_pb2.PublishDirectoryRequest(segment=segment), timeout=15)
            except grpc.aio.AioRpcError as exc:
                raise from_rpc_error(exc, parent.node_id) from exc
        return response.version

    version = asyncio.run(send())
    print(_t(f"上级节点 {parent.node_id} 已采用本节点的目录分段，版本 {version}。下级节点将在下次刷新时取得。",
             f"parent {parent.node_id} adopted this node's segment, version {version}; nodes below get it on their next refresh."))
    return 0


def run_directory_verify(args: argparse.Namespace) -> int:
    """Verify a signed directory; exit 0 only if it is valid now."""
    view = load_signed_directory(args.signed, TrustAnchor.load(args.anchor), utcnow())
    print(_t(f"目录有效：{view.directory.federation} 版本 {view.version}，{len(view.nodes())} 个节点，有效至 {iso(view.expires_at)}",
             f"directory valid: {view.directory.federation} version {view.version}, {len(view.nodes())} nodes, until {iso(view.expires_at)}"))
    return 0


def run_directory_show(args: argparse.Namespace) -> int:
    """Verify a signed directory and print its nodes as a table."""
    view = load_signed_directory(args.signed, TrustAnchor.load(args.anchor), utcnow())
    if args.json:
        shown = view.directory if not args.segment else _segment_source(view, args.segment)
        print(json_format.MessageToJson(shown, indent=2, ensure_ascii=False))
        return 0
    run_directory_verify(args)
    roles = {
        directory_pb2.NODE_ROLE_CIVIL_AFFAIRS: _t("民政", "civil affairs"),
        directory_pb2.NODE_ROLE_DEPARTMENT: _t("部门", "department"),
        directory_pb2.NODE_ROLE_CLIENT: _t("客户端", "client"),
        directory_pb2.NODE_ROLE_MINISTRY_LINK: _t("部省联网", "ministry link"),
    }
    versions = ", ".join(f"{signer or _t('根', 'root')} v{version}" for signer, version in view.segment_versions.items())
    print(_t(f"分段版本：{versions}", f"segment versions: {versions}"))
    for entry in view.directory.nodes:
        categories = ", ".join(category_label(c) for c in entry.categories)
        revoked = _t("  【已吊销】", "  [REVOKED]") if entry.revoked else ""
        print(f"- {entry.node_id}  {entry.name}  [{roles.get(entry.role, '?')}]{revoked}")
        print(_t(f"    地址：{entry.address or '无'}  上级：{entry.parent or '无'}",
                 f"    address: {entry.address or 'none'}  parent: {entry.parent or 'none'}"))
        for key in entry.keys:
            print(_t(f"    签名密钥 {key.key_id}  {_window(key)}", f"    signing key {key.key_id}  {_window(key)}"))
        for cert in entry.tls_certificates:
            print(_t(f"    TLS 证书 {cert.sha256.hex()[:16]}…  {_window(cert)}",
                     f"    TLS certificate {cert.sha256.hex()[:16]}...  {_window(cert)}"))
        if categories:
            print(_t(f"    数据类别：{categories}", f"    categories: {categories}"))
        if entry.issues_for_divisions:
            print(_t(f"    可签发授权的区划：{', '.join(entry.issues_for_divisions)}",
                     f"    issues authorizations for: {', '.join(entry.issues_for_divisions)}"))
    return 0


def _window(item: directory_pb2.PublicKey | directory_pb2.TlsCertificate) -> str:
    """Return a key's or binding's validity window for display, in UTC+8."""
    start = iso(from_timestamp(item.not_before)) if item.HasField("not_before") else _t("不限", "open")
    end = iso(from_timestamp(item.not_after)) if item.HasField("not_after") else _t("不限", "open")
    return _t(f"有效期 {start} 至 {end}", f"valid {start} to {end}")



"""`hedui pki` commands: a federation CA and TLS certificates for nodes."""

from __future__ import annotations

import argparse
import base64
import datetime
import pathlib

from cryptography import x509

from hedui.gateway import identifiers
from hedui.gateway.errors import HeduiError, Reason, current_lang, os_error_detail
from hedui.gateway.federation import slug
from hedui.gateway.pki import CertificateAuthority, certificate_sha256, node_id_of, tls_server_name
from hedui.gateway.timeutil import iso

CA_CERT = "ca.crt"
CA_KEY = "ca.key"


def _t(zh: str, en: str) -> str:
    return en if current_lang() == "en" else zh


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the pki command and its init, issue and show subcommands."""
    pki = subparsers.add_parser("pki", help=_t("节点间双向 TLS 证书", "certificates for mutual TLS between nodes"))
    commands = pki.add_subparsers(dest="pki_command", required=True)

    init = commands.add_parser("init", help=_t("创建联邦 CA（ca.crt 和 ca.key）", "create a federation CA (ca.crt and ca.key)"))
    init.add_argument("--out", type=pathlib.Path, required=True, help=_t("输出目录", "output folder"))
    init.add_argument("--name", default="hedui federation CA", help=_t("CA 证书的名称", "name of the CA certificate"))
    init.add_argument("--days", type=int, default=3650, help=_t("有效天数（默认 3650）", "validity in days (default 3650)"))
    init.set_defaults(handler=run_pki_init)

    issue = commands.add_parser("issue", help=_t("为节点签发 TLS 证书", "issue a TLS certificate for a node"))
    issue.add_argument("--ca-dir", type=pathlib.Path, required=True,
                       help=_t("存放 ca.crt 和 ca.key 的目录", "folder with ca.crt and ca.key"))
    issue.add_argument("--node", required=True, help=_t("节点标识，例如 140100/MZ", "node id, for example 140100/MZ"))
    issue.add_argument("--out", type=pathlib.Path, required=True, help=_t("输出目录", "output folder"))
    issue.add_argument("--days", type=int, default=365, help=_t("有效天数（默认 365）", "validity in days (default 365)"))
    issue.set_defaults(handler=run_pki_issue)

    show = commands.add_parser("show", help=_t("显示证书内容", "show a certificate"))
    show.add_argument("cert", type=pathlib.Path, help=_t("PEM 格式的证书文件", "PEM certificate file"))
    show.set_defaults(handler=run_pki_show)


def run_pki_init(args: argparse.Namespace) -> int:
    """Create a CA in the output folder; never overwrite."""
    validity = _days(args.days)
    cert_path, key_path = args.out / CA_CERT, args.out / CA_KEY
    if not _free(args.out, cert_path, key_path):
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    ca = CertificateAuthority.create(args.name, valid_for=validity)
    ca.save(cert_path, key_path)
    certificate = x509.load_pem_x509_certificate(ca.cert_pem)
    print(_t(f"已创建联邦 CA：{args.name}", f"created federation CA: {args.name}"))
    print(_t(f"  证书：{cert_path}", f"  certificate: {cert_path}"))
    print(_t(f"  私钥：{key_path}（仅所有者可读，请离线保管）", f"  private key: {key_path} (owner-only; keep it offline)"))
    _print_validity(certificate, "  ")
    print(_t(f"  SHA-256 指纹：{certificate_sha256(ca.cert_pem).hex()}",
             f"  SHA-256 fingerprint: {certificate_sha256(ca.cert_pem).hex()}"))
    return 0


def run_pki_issue(args: argparse.Namespace) -> int:
    """Issue a node certificate and key with the CA in --ca-dir; never overwrite."""
    identifiers.check_node_id(args.node)
    validity = _days(args.days)
    cert_path = args.out / f"{slug(args.node)}.crt"
    key_path = args.out / f"{slug(args.node)}.tls.key"
    if not _free(args.out, cert_path, key_path):
        return 1
    ca = CertificateAuthority.load(args.ca_dir / CA_CERT, args.ca_dir / CA_KEY)
    try:
        issued = ca.issue(args.node, valid_for=validity)
    except ValueError as exc:
        # After the checks above, issue() raises ValueError only for a CA that is not valid now.
        raise HeduiError(Reason.KEY_INVALID, str(args.ca_dir / CA_CERT),
                         ("CA 证书不在有效期内，请用 hedui pki init 创建新的 CA",
                          "the CA certificate is not valid now; create a new CA with hedui pki init")) from exc
    args.out.mkdir(parents=True, exist_ok=True)
    issued.save(cert_path, key_path)
    print(_t(f"已为节点 {args.node} 签发 TLS 证书", f"issued a TLS certificate for {args.node}"))
    print(_t(f"  证书：{cert_path}", f"  certificate: {cert_path}"))
    print(_t(f"  私钥：{key_path}（仅所有者可读）", f"  private key: {key_path} (owner-only)"))
    print(_t(f"  服务器名：{tls_server_name(args.node)}", f"  server name: {tls_server_name(args.node)}"))
    print(_t(f"  有效期：{iso(issued.not_before)} 至 {iso(issued.not_after)}",
             f"  valid: {iso(issued.not_before)} to {iso(issued.not_after)}"))
    print(_t(f"  SHA-256 指纹：{issued.sha256.hex()}", f"  SHA-256 fingerprint: {issued.sha256.hex()}"))
    # The directory source is protobuf JSON, where bytes fields are base64.
    print(_t(f"  目录 tls_certificates 中的 sha256 值（base64）：{base64.b64encode(issued.sha256).decode()}",
             f"  sha256 value for tls_certificates in the directory (base64): {base64.b64encode(issued.sha256).decode()}"))
    return 0


def run_pki_show(args: argparse.Namespace) -> int:
    """Print a certificate's subject, node id, names, validity, fingerprint and issuer."""
    try:
        data = args.cert.read_bytes()
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, str(args.cert), os_error_detail(exc)) from exc
    try:
        certificate = x509.load_pem_x509_certificate(data)
        node_id = node_id_of(data)
    except ValueError as exc:
        raise HeduiError(Reason.KEY_INVALID, str(args.cert), ("不是 PEM 格式的证书", "not a PEM certificate")) from exc
    print(_t(f"主体：{certificate.subject.rfc4514_string()}", f"subject: {certificate.subject.rfc4514_string()}"))
    print(_t(f"节点标识：{node_id or '无'}", f"node id: {node_id or 'none'}"))
    print(_t(f"备用名称：{', '.join(_alternative_names(certificate)) or '无'}",
             f"subject alternative names: {', '.join(_alternative_names(certificate)) or 'none'}"))
    _print_validity(certificate, "")
    print(_t(f"SHA-256 指纹：{certificate_sha256(data).hex()}", f"SHA-256 fingerprint: {certificate_sha256(data).hex()}"))
    print(_t(f"签发者：{certificate.issuer.rfc4514_string()}", f"issuer: {certificate.issuer.rfc4514_string()}"))
    return 0


def _days(days: int) -> datetime.timedelta:
    """Return --days as a validity period; raise INVALID_OPTION unless it is positive."""
    if days <= 0:
        raise HeduiError(Reason.INVALID_OPTION, f"--days {days}", ("须为正整数", "must be a positive whole number"))
    return datetime.timedelta(days=days)


def _free(folder: pathlib.Path, *paths: pathlib.Path) -> bool:
    """Return True if the files can be written without overwriting; raise FILE_EXISTS otherwise."""
    if folder.exists() and not folder.is_dir():
        raise HeduiError(Reason.INVALID_OPTION, f"--out {folder}", ("不是目录", "not a folder"))
    for path in paths:
        if path.exists():
            raise HeduiError(Reason.FILE_EXISTS, str(path))
    return True


def _alternative_names(certificate: x509.Certificate) -> list[str]:
    """Return the DNS names and URIs of a certificate's SAN extension."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return ([f"DNS:{name}" for name in names.get_values_for_type(x509.DNSName)]
            + [f"URI:{uri}" for uri in names.get_values_for_type(x509.UniformResourceIdentifier)])


def _print_validity(certificate: x509.Certificate, indent: str) -> None:
    print(indent + _t(f"有效期：{iso(certificate.not_valid_before_utc)} 至 {iso(certificate.not_valid_after_utc)}",
             f"valid: {iso(certificate.not_valid_before_utc)} to {iso(certificate.not_valid_after_utc)}"))

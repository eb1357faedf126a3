"""Node configuration from TOML; frozen once loaded."""

from __future__ import annotations

import dataclasses
import ipaddress
import pathlib
import tomllib
from typing import Any

from hedui.gateway import identifiers
from hedui.gateway.errors import HeduiError, Reason, os_error_detail

EXAMPLE = """\
[node]
id = "140000/MZ"                    # DIVISION/ORG node id from the directory
listen = "127.0.0.1:7443"           # gRPC listen address
data_dir = "."                      # audit log and state databases live here
key_file = "keys/140000_MZ.key"     # this node's Ed25519 signing key
directory = "directory.json"        # signed federation directory
trust_anchor = "keys/anchor.pub"    # public key that signs the directory
audit_key_file = "audit.key"        # HMAC key for ID-number digests in the audit log
clock_skew_seconds = 300
tls_ca = "tls/ca.crt"               # federation CA certificate
tls_cert = "tls/140000_MZ.crt"      # this node's certificate, bound in the directory
tls_key = "tls/140000_MZ.tls.key"

# Optional HTTP/JSON API for this organisation's own systems, loopback only:
# [local_api]
# listen = "127.0.0.1:8780"          # or "[::1]:8780" or "unix:/run/hedui/api.sock"
# callers_file = "api_callers.json"  # token digests written by `hedui api token add`

# Department nodes only:
# [adapter]
# kind = "rs_http"
# base_url = "http://127.0.0.1:8080"
"""


@dataclasses.dataclass(frozen=True)
class LocalApiConfig:
    """Settings of the node's local HTTP/JSON API.

    ``host`` and ``port`` are set for a TCP address, ``unix_path`` for a Unix socket.
    """

    listen: str
    callers_file: pathlib.Path
    host: str | None = None
    port: int | None = None
    unix_path: pathlib.Path | None = None
    max_body_bytes: int = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class NodeConfig:
    """Settings of one node; paths are resolved against the configuration file's folder."""

    node_id: str
    listen: str
    data_dir: pathlib.Path
    key_file: pathlib.Path
    directory_file: pathlib.Path
    trust_anchor_file: pathlib.Path
    audit_key_file: pathlib.Path
    clock_skew_seconds: int = 300
    fanout_timeout_seconds: float = 10.0
    directory_refresh_seconds: float = 300.0
    tls_ca: pathlib.Path | None = None
    tls_cert: pathlib.Path | None = None
    tls_key: pathlib.Path | None = None
    adapter: dict[str, Any] | None = None
    local_api: LocalApiConfig | None = None
    base_dir: pathlib.Path = pathlib.Path(".")
    path: pathlib.Path | None = None  # the configuration file itself, for messages


NODE_KEYS = frozenset({
    "id", "listen", "data_dir", "key_file", "directory", "trust_anchor", "audit_key_file",
    "clock_skew_seconds", "fanout_timeout_seconds", "directory_refresh_seconds", "tls_ca", "tls_cert", "tls_key", "plaintext",
})
TLS_KEYS = ("tls_ca", "tls_cert", "tls_key")
LOCAL_API_KEYS = frozenset({"listen", "callers_file", "max_body_bytes"})
UNIX_PREFIX = "unix:"


def _require(table: dict[str, Any], key: str, source: str) -> Any:
    if key not in table:
        raise HeduiError(Reason.CONFIG_INVALID, source, (f"缺少 node.{key}", f"node.{key} is missing"), key)
    return table[key]


def load_config(path: pathlib.Path) -> NodeConfig:
    """Read a node configuration file, or raise CONFIG_INVALID naming the key."""
    path = pathlib.Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, source, os_error_detail(exc)) from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise HeduiError(Reason.CONFIG_INVALID, source, str(exc)) from exc

    node = document.get("node")
    if not isinstance(node, dict):
        raise HeduiError(Reason.CONFIG_INVALID, source, ("缺少 [node] 表", "the [node] table is missing"), "node")
    unknown = sorted(set(node) - NODE_KEYS)
    if unknown:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         (f"[node] 中的键 {unknown[0]} 无法识别；可用的键：{', '.join(sorted(NODE_KEYS))}",
                          f"unknown key {unknown[0]} in [node]; known keys: {', '.join(sorted(NODE_KEYS))}"), unknown[0])
    extra_tables = sorted(set(document) - {"node", "adapter", "local_api"})
    if extra_tables:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         (f"无法识别的表 [{extra_tables[0]}]", f"unknown table [{extra_tables[0]}]"), extra_tables[0])
    base = path.parent.resolve()

    def resolve(key: str) -> pathlib.Path:
        return (base / str(_require(node, key, source))).resolve()

    node_id = str(_require(node, "id", source))
    identifiers.check_node_id(node_id)
    skew = node.get("clock_skew_seconds", 300)
    if not isinstance(skew, int) or not 1 <= skew <= 3600:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         ("node.clock_skew_seconds 须为 1 到 3600 的整数", "node.clock_skew_seconds must be an integer from 1 to 3600"),
                         "clock_skew_seconds")
    plaintext = node.get("plaintext", False)
    if not isinstance(plaintext, bool):
        raise HeduiError(Reason.CONFIG_INVALID, source, ("node.plaintext 须为 true 或 false", "node.plaintext must be true or false"), "plaintext")
    tls = {key: resolve(key) for key in TLS_KEYS if key in node}
    if not plaintext and len(tls) != len(TLS_KEYS):
        missing = next(key for key in TLS_KEYS if key not in tls)
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         (f"缺少 node.{missing}：节点之间须使用双向 TLS（仅在开发环境可设 plaintext = true）",
                          f"node.{missing} is missing: nodes talk mutual TLS (set plaintext = true only for development)"), missing)
    adapter = document.get("adapter")
    local_api = _local_api(document.get("local_api"), base, source)
    return NodeConfig(
        node_id=node_id,
        listen=str(_require(node, "listen", source)),
        data_dir=resolve("data_dir"),
        key_file=resolve("key_file"),
        directory_file=resolve("directory"),
        trust_anchor_file=resolve("trust_anchor"),
        audit_key_file=resolve("audit_key_file"),
        clock_skew_seconds=skew,
        fanout_timeout_seconds=float(node.get("fanout_timeout_seconds", 10.0)),
        directory_refresh_seconds=float(node.get("directory_refresh_seconds", 300.0)),
        tls_ca=None if plaintext else tls["tls_ca"],
        tls_cert=None if plaintext else tls["tls_cert"],
        tls_key=None if plaintext else tls["tls_key"],
        adapter=dict(adapter) if isinstance(adapter, dict) else None,
        local_api=local_api,
        base_dir=base,
        path=path.resolve(),
    )


def _local_api(table: Any, base: pathlib.Path, source: str) -> LocalApiConfig | None:
    """Check the optional [local_api] table; its listen address must be loopback or a Unix socket."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise HeduiError(Reason.CONFIG_INVALID, source, ("local_api 须为表 [local_api]", "local_api must be a table, [local_api]"), "local_api")
    unknown = sorted(set(table) - LOCAL_API_KEYS)
    if unknown:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         (f"[local_api] 中的键 {unknown[0]} 无法识别；可用的键：{', '.join(sorted(LOCAL_API_KEYS))}",
                          f"unknown key {unknown[0]} in [local_api]; known keys: {', '.join(sorted(LOCAL_API_KEYS))}"),
                         f"local_api.{unknown[0]}")
    if "listen" not in table:
        raise HeduiError(Reason.CONFIG_INVALID, source, ("缺少 local_api.listen", "local_api.listen is missing"), "local_api.listen")
    listen = table["listen"]
    if not isinstance(listen, str):
        raise HeduiError(Reason.CONFIG_INVALID, source, ("local_api.listen 须为字符串", "local_api.listen must be a string"), "local_api.listen")
    callers = table.get("callers_file", "api_callers.json")
    if not isinstance(callers, str) or not callers:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         ("local_api.callers_file 须为文件路径", "local_api.callers_file must be a file path"), "local_api.callers_file")
    max_body = table.get("max_body_bytes", LocalApiConfig.max_body_bytes)
    if isinstance(max_body, bool) or not isinstance(max_body, int) or not 1024 <= max_body <= 16 * 1024 * 1024:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         ("local_api.max_body_bytes 须为 1024 到 16777216 的整数",
                          "local_api.max_body_bytes must be an integer from 1024 to 16777216"), "local_api.max_body_bytes")

    callers_file = (base / callers).resolve()
    if listen.startswith(UNIX_PREFIX):
        path = listen[len(UNIX_PREFIX):]
        if not path:
            raise HeduiError(Reason.CONFIG_INVALID, source,
                             ("local_api.listen 的 unix: 后须跟套接字路径", "local_api.listen needs a socket path after unix:"), "local_api.listen")
        return LocalApiConfig(listen, callers_file, unix_path=(base / path).resolve(), max_body_bytes=max_body)
    if listen.startswith("/"):
        return LocalApiConfig(listen, callers_file, unix_path=pathlib.Path(listen), max_body_bytes=max_body)
    host, port = _loopback_address(listen, source)
    return LocalApiConfig(listen, callers_file, host=host, port=port, max_body_bytes=max_body)


def _loopback_address(listen: str, source: str) -> tuple[str, int]:
    """Split HOST:PORT or [HOST]:PORT and raise CONFIG_INVALID unless HOST is a loopback IP address.

    Only the literal addresses 127.0.0.1 and ::1 are taken. A name such as
    localhost is rejected, because what it resolves to depends on the machine.
    """
    usage = ("，请使用 127.0.0.1:端口、[::1]:端口 或 unix:套接字路径",
             "; use 127.0.0.1:PORT, [::1]:PORT or unix:SOCKET_PATH")
    host, separator, port_text = listen.rpartition(":")
    if not separator or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         (f"local_api.listen = {listen!r} 不是“地址:端口”形式" + usage[0],
                          f"local_api.listen = {listen!r} is not HOST:PORT" + usage[1]), "local_api.listen")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or str(address) not in ("127.0.0.1", "::1"):
        raise HeduiError(Reason.CONFIG_INVALID, source,
                         (f"local_api.listen 的地址 {host} 不是本机回环地址：本地 API 只供本机系统调用" + usage[0],
                          f"local_api.listen address {host} is not loopback: the local API serves this machine only" + usage[1]),
                         "local_api.listen")
    return str(address), int(port_text)

"""Node configuration from TOML; frozen once loaded."""

from __future__ import annotations

import dataclasses
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

# Department nodes only:
# [adapter]
# kind = "rs_http"
# base_url = "http://127.0.0.1:8080"
"""


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
    base_dir: pathlib.Path = pathlib.Path(".")
    path: pathlib.Path | None = None  # the configuration file itself, for messages


NODE_KEYS = frozenset({
    "id", "listen", "data_dir", "key_file", "directory", "trust_anchor", "audit_key_file",
    "clock_skew_seconds", "fanout_timeout_seconds", "directory_refresh_seconds", "tls_ca", "tls_cert", "tls_key", "plaintext",
})
TLS_KEYS = ("tls_ca", "tls_cert", "tls_key")


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
    extra_tables = sorted(set(document) - {"node", "adapter"})
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
        base_dir=base,
        path=path.resolve(),
    )

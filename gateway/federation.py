"""Lay out a local federation on disk: keys, a signed directory and one config per node.

Used by ``hedui demo``, the tests and the benchmark. Real deployments
write their directory source by hand and sign it with ``hedui directory sign``.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import pathlib
import re
import socket
from typing import Any

from hedui.gateway.directory import (CIVIL_AFFAIRS, CLIENT, DEPARTMENT, MINISTRY_LINK, TrustAnchor, save_signed,
                                     sign_directory, write_public_key)
from hedui.gateway.keys import ED25519, SigningKey
from hedui.gateway.pki import CertificateAuthority
from hedui.gateway.transport import TlsMaterial
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import common_pb2, directory_pb2

C = common_pb2

ANCHOR_ID = "000000/MZ/ANCHOR"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclasses.dataclass(frozen=True)
class NodeSpec:
    """One node of a federation to lay out."""

    node_id: str
    name: str
    role: int
    parent: str = ""
    categories: tuple[int, ...] = ()
    issues_for: tuple[str, ...] = ()
    adapter: dict[str, Any] | None = None
    segment: str = ""  # node that signs this entry's directory segment; "" is the anchor's root segment


def slug(node_id: str) -> str:
    """Return a file-name form of a node id: 140000/MZ -> 140000_MZ."""
    return node_id.replace("/", "_")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The departments a demo federation runs: the three with built-in adapters,
# or every department of the stand-in systems.
CORE_DEPARTMENTS = "core"
ALL_DEPARTMENTS = "all"

# The departments beyond RS, BDC and GA: (node id after the division, name after
# the province's name, categories, department file, whether it is served over
# HTTP). Civil affairs' own systems are subsystems of the province node.
MORE_DEPARTMENTS: tuple[tuple[str, str, tuple[int, ...], str, bool], ...] = (
    ("MZ/HYBZ", "民政厅婚姻登记与殡葬管理系统", (C.DATA_CATEGORY_MARRIAGE, C.DATA_CATEGORY_CREMATION),
     "mz_hybz.toml", False),
    ("MZ/DB", "低收入人口动态监测信息平台", (C.DATA_CATEGORY_LOW_INCOME_REGISTRY,), "mz_db.toml", False),
    ("YB", "医疗保障局", (C.DATA_CATEGORY_MEDICAL_INSURANCE,), "yb.toml", True),
    ("GJJ", "住房公积金管理中心", (C.DATA_CATEGORY_HOUSING_PROVIDENT_FUND,), "gjj.toml", True),
    ("SW", "税务局", (C.DATA_CATEGORY_TAX,), "sw.toml", True),
    ("SCJG", "市场监督管理局", (C.DATA_CATEGORY_BUSINESS_REGISTRATION,), "scjg.toml", False),
    ("CL", "残疾人联合会", (C.DATA_CATEGORY_DISABILITY,), "cl.toml", False),
    ("WJ", "卫生健康委员会", (C.DATA_CATEGORY_HEALTH,), "wj.toml", False),
    ("JR", "金融资产核对服务", (C.DATA_CATEGORY_BANK_DEPOSIT, C.DATA_CATEGORY_SECURITIES,
                         C.DATA_CATEGORY_COMMERCIAL_INSURANCE), "jr.toml", False),
    ("XCZX", "乡村振兴局", (C.DATA_CATEGORY_RURAL_MONITORING,), "xczx.toml", False),
)


def more_department_specs(province: str, name: str, standin_url: str, folder: pathlib.Path,
                          segment: str = "") -> list[NodeSpec]:
    """Return a province's department nodes beyond RS, BDC and GA, each with a declarative adapter.

    ``folder`` holds the department files next to the stand-in databases and
    exports they name (see ``hedui.adapters.standin.copy_department_files``);
    the HTTP departments are pointed at ``standin_url``.
    """
    division = province[:6]
    specs = []
    for org, title, categories, file_name, http in MORE_DEPARTMENTS:
        adapter: dict[str, Any] = {"kind": "declarative", "file": str(pathlib.Path(folder).resolve() / file_name)}
        if http:
            adapter["source"] = {"base_url": standin_url, "timeout_seconds": 3.0, "retries": 2}
        specs.append(NodeSpec(f"{division}/{org}", f"{name}{title}", DEPARTMENT, parent=province, segment=segment,
                              categories=categories, adapter=adapter))
    return specs


def demo_specs(rs_url: str, ga_url: str, bdc_database: str, *, departments: str = CORE_DEPARTMENTS,
               standin_folder: pathlib.Path | None = None) -> list[NodeSpec]:
    """Return the demo federation: Shanxi province, Taiyuan city, its case system and its departments.

    With ``departments`` "core" the departments are RS, BDC and GA, which is
    what most tests need and start fastest. With "all" the ten departments of
    ``MORE_DEPARTMENTS`` join, reading the stand-in systems in
    ``standin_folder`` and the HTTP stand-in at ``rs_url``, so every data
    category has a source.
    """
    if departments not in (CORE_DEPARTMENTS, ALL_DEPARTMENTS):
        raise ValueError(f"departments must be {CORE_DEPARTMENTS!r} or {ALL_DEPARTMENTS!r}, not {departments!r}")
    if departments == ALL_DEPARTMENTS and standin_folder is None:
        raise ValueError("departments='all' needs the standin_folder with the department files")
    core = [
        NodeSpec("140000/MZ", "山西省民政厅", CIVIL_AFFAIRS, issues_for=("140000",)),
        NodeSpec("140100/MZ", "太原市民政局", CIVIL_AFFAIRS, parent="140000/MZ", issues_for=("140100",)),
        NodeSpec("140100/MZ/HDXT", "太原市社会救助家庭经济状况核对系统", CLIENT, parent="140100/MZ"),
        NodeSpec("140000/RS", "山西省人力资源和社会保障厅", DEPARTMENT, parent="140000/MZ",
                 categories=(C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT),
                 adapter={"kind": "rs_http", "base_url": rs_url, "timeout_seconds": 3.0, "retries": 2}),
        NodeSpec("140000/BDC", "山西省不动产登记中心", DEPARTMENT, parent="140000/MZ",
                 categories=(C.DATA_CATEGORY_REAL_ESTATE,),
                 adapter={"kind": "bdc_sql", "database": bdc_database}),
        NodeSpec("140000/GA", "山西省公安厅", DEPARTMENT, parent="140000/MZ",
                 categories=(C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_VEHICLE),
                 adapter={"kind": "ga_http", "base_url": ga_url, "timeout_seconds": 3.0, "retries": 2}),
    ]
    if departments == CORE_DEPARTMENTS:
        return core
    assert standin_folder is not None
    return core + more_department_specs("140000/MZ", "山西省", rs_url, standin_folder)


def _departments(province: str, name: str, rs_url: str, ga_url: str, bdc_database: str,
                 segment: str = "") -> list[NodeSpec]:
    """Return a province's RS, BDC and GA department nodes."""
    division = province[:6]
    return [
        NodeSpec(f"{division}/RS", f"{name}人力资源和社会保障厅", DEPARTMENT, parent=province, segment=segment,
                 categories=(C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT),
                 adapter={"kind": "rs_http", "base_url": rs_url, "timeout_seconds": 3.0, "retries": 2}),
        NodeSpec(f"{division}/BDC", f"{name}不动产登记中心", DEPARTMENT, parent=province, segment=segment,
                 categories=(C.DATA_CATEGORY_REAL_ESTATE,),
                 adapter={"kind": "bdc_sql", "database": bdc_database}),
        NodeSpec(f"{division}/GA", f"{name}公安厅", DEPARTMENT, parent=province, segment=segment,
                 categories=(C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_VEHICLE),
                 adapter={"kind": "ga_http", "base_url": ga_url, "timeout_seconds": 3.0, "retries": 2}),
    ]


def full_specs(shanxi: tuple[str, str], henan: tuple[str, str]) -> list[NodeSpec]:
    """Return a ministry link and two provinces, each with a city and three departments, and one county.

    ``shanxi`` and ``henan`` are (stand-in URL, real-estate database path).
    The anchor signs the ministry link and the provinces; each province signs
    the segment with its own city, case system and departments.
    """
    return [
        NodeSpec("000000/MZ", "民政部部省联网节点", MINISTRY_LINK),
        NodeSpec("140000/MZ", "山西省民政厅", CIVIL_AFFAIRS, parent="000000/MZ", issues_for=("140000",)),
        NodeSpec("410000/MZ", "河南省民政厅", CIVIL_AFFAIRS, parent="000000/MZ", issues_for=("410000",)),
        NodeSpec("140100/MZ", "太原市民政局", CIVIL_AFFAIRS, parent="140000/MZ", issues_for=("140100",),
                 segment="140000/MZ"),
        NodeSpec("140100/MZ/HDXT", "太原市社会救助家庭经济状况核对系统", CLIENT, parent="140100/MZ", segment="140000/MZ"),
        NodeSpec("140105/MZ", "太原市小店区民政局", CIVIL_AFFAIRS, parent="140100/MZ", issues_for=("140105",),
                 segment="140000/MZ"),
        NodeSpec("140105/MZ/HDXT", "小店区核对系统", CLIENT, parent="140105/MZ", segment="140000/MZ"),
        *_departments("140000/MZ", "山西省", shanxi[0], shanxi[0], shanxi[1], segment="140000/MZ"),
        NodeSpec("410100/MZ", "郑州市民政局", CIVIL_AFFAIRS, parent="410000/MZ", issues_for=("410100",),
                 segment="410000/MZ"),
        *_departments("410000/MZ", "河南省", henan[0], henan[0], henan[1], segment="410000/MZ"),
    ]


@dataclasses.dataclass(frozen=True)
class Federation:
    """Paths of a laid-out federation."""

    root: pathlib.Path
    directory_file: pathlib.Path
    anchor_file: pathlib.Path
    addresses: dict[str, str]
    configs: dict[str, pathlib.Path]
    tls: bool = True

    def key_file(self, node_id: str) -> pathlib.Path:
        return self.root / "keys" / f"{slug(node_id)}.key"

    def load_key(self, node_id: str) -> SigningKey:
        return SigningKey.load(self.key_file(node_id), node_id)

    def anchor(self) -> TrustAnchor:
        return TrustAnchor.load(self.anchor_file)

    def tls_material(self, node_id: str) -> TlsMaterial | None:
        """Return a node's or client's TLS files, or None for a plaintext federation."""
        if not self.tls:
            return None
        folder = self.root / "tls"
        return TlsMaterial.load(folder / "ca.crt", folder / f"{slug(node_id)}.crt", folder / f"{slug(node_id)}.tls.key")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        # An inline table, such as the source overrides of a declarative adapter.
        items = ", ".join(f"{_toml_key(key)} = {_toml_value(item)}" for key, item in value.items())
        return f"{{ {items} }}" if items else "{}"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    """Return a bare key where TOML allows one, else a quoted key."""
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _write_config(path: pathlib.Path, spec: NodeSpec, address: str, root: pathlib.Path,
                  options: dict[str, Any], tls: bool) -> None:
    lines = [
        "[node]",
        f"id = {_toml_value(spec.node_id)}",
        f"listen = {_toml_value(address)}",
        f"data_dir = {_toml_value('data')}",
        f"key_file = {_toml_value(str(root / 'keys' / (slug(spec.node_id) + '.key')))}",
        f"directory = {_toml_value(str(root / 'directory.json'))}",
        f"trust_anchor = {_toml_value(str(root / 'keys' / 'anchor.pub'))}",
        f"audit_key_file = {_toml_value('audit.key')}",
    ]
    if tls:
        lines += [
            f"tls_ca = {_toml_value(str(root / 'tls' / 'ca.crt'))}",
            f"tls_cert = {_toml_value(str(root / 'tls' / (slug(spec.node_id) + '.crt')))}",
            f"tls_key = {_toml_value(str(root / 'tls' / (slug(spec.node_id) + '.tls.key')))}",
        ]
    else:
        lines.append("plaintext = true")
    lines += [f"{key} = {_toml_value(value)}" for key, value in options.items()]
    if spec.adapter is not None:
        lines.append("")
        lines.append("[adapter]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in spec.adapter.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _sign_segments(specs: list[NodeSpec], entries: dict[str, directory_pb2.NodeEntry], keys: dict[str, SigningKey],
                   anchor: SigningKey, now: datetime.datetime, valid_for: datetime.timedelta
                   ) -> directory_pb2.SignedDirectory:
    """Sign the root segment with the anchor and each delegated segment with its signer's key."""
    def segment(signer: str) -> directory_pb2.SignedDirectory:
        members = [spec for spec in specs if spec.segment == signer]
        directory = directory_pb2.Directory(
            federation="hedui-local", version=1, issued_at=to_timestamp(now),
            expires_at=to_timestamp(now + valid_for), nodes=[entries[spec.node_id] for spec in members],
        )
        data = directory.SerializeToString(deterministic=True)
        signed = directory_pb2.SignedDirectory(
            directory=data, signature=(anchor if not signer else keys[signer]).sign(data))
        for spec in members:
            if any(other.segment == spec.node_id for other in specs):
                signed.delegations.add().CopyFrom(segment(spec.node_id))
        return signed

    root = segment("")
    # The root goes through sign_directory for its schema, expiry and key checks.
    checked = sign_directory(directory_pb2.Directory.FromString(root.directory), anchor, now)
    checked.delegations.extend(root.delegations)
    return checked


def build_federation(root: pathlib.Path, specs: list[NodeSpec], *, ports: dict[str, int] | None = None,
                     valid_for: datetime.timedelta = datetime.timedelta(days=30),
                     node_options: dict[str, Any] | None = None, tls: bool = True) -> Federation:
    """Generate keys and TLS certificates, sign the directory segments and write each node's config.

    With ``tls`` False the nodes talk plaintext, which only the benchmark's
    comparison and development use.
    """
    root = pathlib.Path(root).resolve()
    (root / "keys").mkdir(parents=True, exist_ok=True)
    anchor = SigningKey.generate(ANCHOR_ID)
    anchor.save(root / "keys" / "anchor.key")
    write_public_key(root / "keys" / "anchor.pub", anchor)
    authority = None
    if tls:
        (root / "tls").mkdir(exist_ok=True)
        authority = CertificateAuthority.create("hedui-local federation CA")
        authority.save(root / "tls" / "ca.crt", root / "tls" / "ca.key")

    now = utcnow()
    addresses: dict[str, str] = {}
    entries: dict[str, directory_pb2.NodeEntry] = {}
    keys: dict[str, SigningKey] = {}
    for spec in specs:
        key = SigningKey.generate(spec.node_id)
        key.save(root / "keys" / f"{slug(spec.node_id)}.key")
        write_public_key(root / "keys" / f"{slug(spec.node_id)}.pub", key)
        keys[spec.node_id] = key
        address = ""
        if spec.role != CLIENT:
            port = (ports or {}).get(spec.node_id) or free_port()
            address = f"127.0.0.1:{port}"
            addresses[spec.node_id] = address
        entry = directory_pb2.NodeEntry(
            node_id=spec.node_id, name=spec.name, role=spec.role, address=address, parent=spec.parent,
            categories=list(spec.categories), issues_for_divisions=list(spec.issues_for),
            keys=[directory_pb2.PublicKey(key_id=key.key_id, algorithm=ED25519, public_key=key.public_key,
                                          not_before=to_timestamp(now - datetime.timedelta(minutes=5)))],
        )
        if authority is not None:
            certificate = authority.issue(spec.node_id, now=now - datetime.timedelta(minutes=5),
                                          valid_for=valid_for + datetime.timedelta(minutes=5))
            certificate.save(root / "tls" / f"{slug(spec.node_id)}.crt", root / "tls" / f"{slug(spec.node_id)}.tls.key")
            entry.tls_certificates.add(sha256=certificate.sha256, not_before=to_timestamp(certificate.not_before),
                                       not_after=to_timestamp(certificate.not_after))
        entries[spec.node_id] = entry

    directory_file = root / "directory.json"
    save_signed(directory_file, _sign_segments(specs, entries, keys, anchor, now, valid_for))

    configs = {}
    for spec in specs:
        if spec.role == CLIENT:
            continue
        node_dir = root / "nodes" / slug(spec.node_id)
        node_dir.mkdir(parents=True, exist_ok=True)
        _write_config(node_dir / "node.toml", spec, addresses[spec.node_id], root, node_options or {}, tls)
        configs[spec.node_id] = node_dir / "node.toml"
    return Federation(root, directory_file, root / "keys" / "anchor.pub", addresses, configs, tls)

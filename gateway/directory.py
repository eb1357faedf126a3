"""The signed federation directory: loading, verification and look-ups.

Verification of a signed directory file:

1. The file must be a SignedDirectory; a bare Directory is "unsigned".
2. The signature must verify over the exact ``directory`` bytes with the
   trust anchor's public key, which the operator supplies out of band.
3. Only then are the bytes parsed, strictly, and checked against the schema.
4. The directory must not have expired, and node ids must be unique.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import json
import logging
import pathlib

from google.protobuf import json_format

from hedui.gateway import identifiers
from hedui.gateway.errors import HeduiError, Reason, VerificationError, os_error_detail
from hedui.gateway.keys import SigningKey, VerifyKey, key_id_for, load_public_key, verify_signature
from hedui.gateway.messages import check_rules, parse_strict
from hedui.gateway.timeutil import from_timestamp, iso
from hedui.v1 import directory_pb2, signature_pb2

log = logging.getLogger(__name__)

CIVIL_AFFAIRS = directory_pb2.NODE_ROLE_CIVIL_AFFAIRS
DEPARTMENT = directory_pb2.NODE_ROLE_DEPARTMENT
CLIENT = directory_pb2.NODE_ROLE_CLIENT
MINISTRY_LINK = directory_pb2.NODE_ROLE_MINISTRY_LINK


@dataclasses.dataclass(frozen=True)
class TrustAnchor:
    """The public key that signs directories."""

    key_id: str
    public_key: bytes

    @classmethod
    def load(cls, path: pathlib.Path) -> "TrustAnchor":
        """Read a public key file written by ``hedui keys generate``; raise CONFIG_MISSING or KEY_INVALID."""
        path = pathlib.Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc
        except UnicodeDecodeError as exc:
            raise HeduiError(Reason.KEY_INVALID, str(path), ("不是公钥文件", "not a public key file")) from exc
        try:
            public_key = base64.b64decode(json.loads(text)["public_key"], validate=True)
        except (ValueError, KeyError, TypeError) as exc:
            raise HeduiError(Reason.KEY_INVALID, str(path),
                             ("不是 hedui keys generate 生成的 .pub 公钥文件", "not a .pub file written by hedui keys generate")) from exc
        if len(public_key) != 32:
            raise HeduiError(Reason.KEY_INVALID, str(path), ("公钥不是 32 字节", "the public key is not 32 bytes"))
        return cls(key_id_for(public_key), public_key)


def write_public_key(path: pathlib.Path, key: SigningKey) -> None:
    """Write a key's public half as JSON: node id, key id, algorithm and base64 bytes."""
    document = {
        "node_id": key.node_id,
        "key_id": key.key_id,
        "algorithm": "ed25519",
        "public_key": base64.b64encode(key.public_key).decode(),
    }
    pathlib.Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def sign_directory(directory: directory_pb2.Directory, anchor: SigningKey,
                   now: datetime.datetime | None = None) -> directory_pb2.SignedDirectory:
    """Check a directory's schema, expiry and keys, then sign its serialized bytes.

    A directory that nodes would reject, or one that lists the signing key as
    a node's key (a node key used by mistake as the anchor), is not signed.
    """
    check_rules(directory, "Directory")
    view = DirectoryView(directory, directory.federation)
    if now is not None and from_timestamp(directory.expires_at) <= now:
        raise HeduiError(Reason.DIRECTORY_EXPIRED, directory.federation, iso(from_timestamp(directory.expires_at)))
    for entry in view.nodes():
        if any(key.key_id == anchor.key_id for key in entry.keys):
            raise HeduiError(Reason.DIRECTORY_INVALID, directory.federation,
                             (f"签名密钥是节点 {entry.node_id} 的密钥，不是信任锚密钥", f"the signing key belongs to node {entry.node_id}, not the trust anchor"))
    data = directory.SerializeToString(deterministic=True)
    return directory_pb2.SignedDirectory(directory=data, signature=anchor.sign(data))


def sign_segment(directory: directory_pb2.Directory, signer: SigningKey,
                 now: datetime.datetime) -> directory_pb2.SignedDirectory:
    """Check a delegated segment's schema and expiry and sign it with the delegating node's key.

    Whether the signer may vouch for these nodes is checked where the segment
    is verified, against the directory above it.
    """
    check_rules(directory, "Directory")
    DirectoryView(directory, directory.federation)
    if from_timestamp(directory.expires_at) <= now:
        raise HeduiError(Reason.DIRECTORY_EXPIRED, directory.federation, iso(from_timestamp(directory.expires_at)))
    data = directory.SerializeToString(deterministic=True)
    return directory_pb2.SignedDirectory(directory=data, signature=signer.sign(data))


def save_signed(path: pathlib.Path, signed: directory_pb2.SignedDirectory) -> None:
    """Write a signed directory as protobuf JSON (the bytes base64-encoded)."""
    text = json_format.MessageToJson(signed, indent=2)
    pathlib.Path(path).write_text(text + "\n", encoding="utf-8")


def read_directory_source(path: pathlib.Path) -> directory_pb2.Directory:
    """Read an unsigned directory written as protobuf JSON, for signing."""
    directory = directory_pb2.Directory()
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc
    try:
        json_format.Parse(text, directory)
    except (json_format.ParseError, ValueError) as exc:
        raise HeduiError(Reason.DIRECTORY_INVALID, str(path), str(exc)) from exc
    return directory


@dataclasses.dataclass(frozen=True)
class _DirectoryKey:
    """A public key from a node entry, parsed once, with its validity window."""

    raw: bytes
    loaded: VerifyKey | None  # None when the raw bytes are not an Ed25519 public key
    not_before: datetime.datetime | None
    not_after: datetime.datetime | None

    @classmethod
    def from_entry(cls, key: directory_pb2.PublicKey) -> "_DirectoryKey":
        try:
            loaded: VerifyKey | None = load_public_key(key.public_key)
        except ValueError:
            # The directory still loads, and a signature check with this key raises SIGNATURE_INVALID.
            loaded = None
        return cls(
            raw=key.public_key,
            loaded=loaded,
            not_before=from_timestamp(key.not_before) if key.HasField("not_before") else None,
            not_after=from_timestamp(key.not_after) if key.HasField("not_after") else None,
        )

    def valid_at(self, at: datetime.datetime) -> bool:
        """Return True unless ``at`` is before not_before or after not_after."""
        if self.not_before is not None and at < self.not_before:
            return False
        return self.not_after is None or at <= self.not_after


class DirectoryView:
    """A verified directory with the look-ups a node needs. Read-only."""

    def __init__(self, directory: directory_pb2.Directory, source: str = "",
                 signed: directory_pb2.SignedDirectory | None = None,
                 segment_versions: dict[str, int] | None = None) -> None:
        self.directory = directory
        self.source = source
        self.signed = signed
        self.version = directory.version
        # Version of each segment by signer; the root segment is under "".
        self.segment_versions = dict(segment_versions or {"": directory.version})
        self.expires_at = from_timestamp(directory.expires_at)
        self._nodes: dict[str, directory_pb2.NodeEntry] = {}
        for entry in directory.nodes:
            if entry.node_id in self._nodes:
                raise HeduiError(Reason.DIRECTORY_INVALID, source,
                                 (f"节点 {entry.node_id} 重复", f"node {entry.node_id} appears twice"))
            identifiers.check_node_id(entry.node_id)
            for key in entry.keys:
                if key.key_id != key_id_for(key.public_key):
                    raise HeduiError(Reason.DIRECTORY_INVALID, source,
                                     (f"节点 {entry.node_id} 的密钥标识 {key.key_id} 与公钥不符",
                                      f"key id {key.key_id} of node {entry.node_id} does not match its public key"))
            self._nodes[entry.node_id] = entry
        # TLS fingerprints map to their entries, so a peer check is one look-up.
        self._certificates: dict[bytes, list[tuple[directory_pb2.NodeEntry, directory_pb2.TlsCertificate]]] = {}
        for entry in directory.nodes:
            for cert in entry.tls_certificates:
                self._certificates.setdefault(cert.sha256, []).append((entry, cert))
        # Each key is parsed once here rather than on every signature check.
        self._keys: dict[tuple[str, str], _DirectoryKey] = {}
        for entry in directory.nodes:
            for key in entry.keys:
                self._keys.setdefault((entry.node_id, key.key_id), _DirectoryKey.from_entry(key))

    def __contains__(self, node_id: str) -> bool:
        entry = self._nodes.get(node_id)
        return entry is not None and not entry.revoked

    def directory_ids(self) -> set[str]:
        """Return every node id listed, revoked ones included."""
        return set(self._nodes)

    def nodes(self) -> list[directory_pb2.NodeEntry]:
        """Return every node entry in directory order."""
        return list(self.directory.nodes)

    def node(self, node_id: str) -> directory_pb2.NodeEntry:
        """Return a node's entry, or raise UNKNOWN_CALLER if it is absent and NODE_REVOKED if revoked."""
        entry = self._nodes.get(node_id)
        if entry is None:
            raise HeduiError(Reason.UNKNOWN_CALLER, node_id[:80])
        if entry.revoked:
            raise HeduiError(Reason.NODE_REVOKED, node_id, str(self.version))
        return entry

    def node_for_certificate(self, sha256: bytes, at: datetime.datetime) -> directory_pb2.NodeEntry:
        """Return the node the directory binds a TLS certificate to at ``at``, or raise TLS_PEER_UNKNOWN."""
        for entry, cert in self._certificates.get(sha256, ()):
            if cert.HasField("not_before") and at < from_timestamp(cert.not_before):
                continue
            if cert.HasField("not_after") and at > from_timestamp(cert.not_after):
                continue
            return self.node(entry.node_id)
        raise HeduiError(Reason.TLS_PEER_UNKNOWN, sha256.hex()[:16])

    def public_key(self, node_id: str, key_id: str, at: datetime.datetime, *, include_revoked: bool = False) -> bytes:
        """Return the raw public key of node_id with key_id valid at ``at``, or raise UNKNOWN_KEY.

        ``include_revoked`` lets an auditor check what a node signed before it
        was revoked; request handling never sets it.
        """
        if include_revoked and node_id in self._nodes and self._nodes[node_id].revoked:
            key = self._keys.get((node_id, key_id))
            if key is None or not key.valid_at(at):
                raise HeduiError(Reason.UNKNOWN_KEY, node_id, key_id[:64])
            return key.raw
        return self._valid_key(node_id, key_id, at).raw

    def _valid_key(self, node_id: str, key_id: str, at: datetime.datetime) -> "_DirectoryKey":
        """Return node_id's first key listed under key_id if it is valid at ``at``, or raise UNKNOWN_KEY."""
        self.node(node_id)
        key = self._keys.get((node_id, key_id))
        if key is None or not key.valid_at(at):
            raise HeduiError(Reason.UNKNOWN_KEY, node_id, key_id[:64])
        return key

    def verify(self, signature: signature_pb2.Signature, data: bytes, expected_signer: str | None,
               what: str, at: datetime.datetime) -> None:
        """Verify a detached signature with the signer's key from this directory.

        The key is chosen by the signature's signer and key id and looked up
        here, never taken from the payload; ``expected_signer``, when given,
        must match the signer.
        """
        if expected_signer is not None and signature.signer != expected_signer:
            raise VerificationError(Reason.SIGNATURE_INVALID, what,
                                    (f"签名者 {signature.signer} 不是 {expected_signer}",
                                     f"signer {signature.signer} is not {expected_signer}"))
        key = self._valid_key(signature.signer, signature.key_id, at)
        verify_signature(key.loaded if key.loaded is not None else key.raw, signature, data, what)

    def children(self, node_id: str) -> list[directory_pb2.NodeEntry]:
        """Return the entries whose parent is node_id, leaving out revoked nodes."""
        return [entry for entry in self.directory.nodes if entry.parent == node_id and not entry.revoked]

    def departments_under(self, node_id: str, categories: set[int]) -> list[directory_pb2.NodeEntry]:
        """Return the department children of node_id that serve any of the categories."""
        return [
            entry for entry in self.children(node_id)
            if entry.role == DEPARTMENT and categories.intersection(entry.categories)
        ]

    def reachable_categories(self, node_id: str) -> set[int]:
        """Return the categories served by node_id itself or any descendant."""
        found = set(self.node(node_id).categories)
        for child in self.children(node_id):
            found |= self.reachable_categories(child.node_id)
        return found

    def ancestors(self, node_id: str) -> list[str]:
        """Return the parent chain of node_id, nearest first."""
        chain: list[str] = []
        current = self.node(node_id).parent
        while current and current not in chain:
            chain.append(current)
            current = self._nodes[current].parent if current in self._nodes else ""
        return chain

    def next_hop(self, self_id: str, target: str) -> directory_pb2.NodeEntry:
        """Return the neighbour a request for ``target`` goes to next, or raise ROUTE_NOT_FOUND.

        Requests travel along the parent tree: down to the child whose
        subtree contains the target, otherwise up to the parent.
        """
        if target not in self._nodes:
            raise HeduiError(Reason.ROUTE_NOT_FOUND, target[:80], ("目标节点不在联邦目录中", "the target is not in the directory"))
        target_chain = [target, *self.ancestors(target)]
        if self_id in target_chain:
            index = target_chain.index(self_id)
            hop = self._nodes[target_chain[index - 1]]
        else:
            parent = self.node(self_id).parent
            if not parent:
                raise HeduiError(Reason.ROUTE_NOT_FOUND, target, ("本节点没有上级节点", "this node has no parent"))
            hop = self.node(parent)
        if not hop.address:
            raise HeduiError(Reason.ROUTE_NOT_FOUND, target, (f"节点 {hop.node_id} 没有地址", f"node {hop.node_id} has no address"))
        return hop

    def may_issue_for(self, issuer: str, division: str) -> bool:
        """Return True if the directory lets ``issuer`` issue authorizations for ``division``."""
        entry = self._nodes.get(identifiers.base_node(issuer)) or self._nodes.get(issuer)
        if entry is None or entry.role != CIVIL_AFFAIRS:
            return False
        return any(identifiers.division_contains(scope, division) for scope in entry.issues_for_divisions)


def load_signed_directory(path: pathlib.Path, anchor: TrustAnchor, now: datetime.datetime) -> DirectoryView:
    """Read, verify and return a signed directory file; raise with the reason otherwise."""
    name = str(path)
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, name, os_error_detail(exc)) from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise HeduiError(Reason.DIRECTORY_INVALID, name, (f"无法读取：{exc}", f"cannot be read: {exc}")) from exc

    # Step 1: a bare Directory (it has "nodes" at the top level) is unsigned.
    if not isinstance(document, dict) or "signature" not in document or "directory" not in document:
        raise HeduiError(Reason.DIRECTORY_UNSIGNED, name)
    signed = directory_pb2.SignedDirectory()
    try:
        json_format.ParseDict(document, signed)
    except json_format.ParseError as exc:
        raise HeduiError(Reason.DIRECTORY_INVALID, name, str(exc)) from exc
    return verify_signed_directory(signed, anchor, now, name)


def verify_signed_directory(signed: directory_pb2.SignedDirectory, anchor: TrustAnchor,
                            now: datetime.datetime, name: str = "directory") -> DirectoryView:
    """Verify a SignedDirectory message (steps 2 to 4 of the module docstring)."""
    # Step 2: the anchor's signature over the exact bytes.
    if signed.signature.key_id != anchor.key_id:
        raise HeduiError(Reason.DIRECTORY_SIGNATURE_INVALID, name,
                         (f"签名密钥 {signed.signature.key_id} 不是信任锚 {anchor.key_id}，请确认信任锚公钥文件是否正确",
                          f"signing key {signed.signature.key_id} is not the trust anchor {anchor.key_id}; check the anchor file too"))
    try:
        verify_signature(anchor.public_key, signed.signature, signed.directory, name)
    except VerificationError as exc:
        raise HeduiError(Reason.DIRECTORY_SIGNATURE_INVALID, name, ("签名与内容不符", "signature does not match")) from exc

    # Step 3: parse only verified bytes.
    try:
        directory = parse_strict(directory_pb2.Directory, signed.directory, "Directory")
    except HeduiError as exc:
        raise HeduiError(Reason.DIRECTORY_INVALID, name, exc.detail) from exc

    # Step 4: expiry and uniqueness.
    expires_at = from_timestamp(directory.expires_at)
    if now >= expires_at:
        raise HeduiError(Reason.DIRECTORY_EXPIRED, name, iso(expires_at))
    view = DirectoryView(directory, name, signed)

    # Step 5: each delegated segment, verified with keys of the segments already accepted.
    for delegation in signed.delegations:
        view = accept_delegation(view, delegation, now, name)
    log.info("directory verified source=%s version=%s nodes=%s segments=%s",
             name, directory.version, len(view.directory.nodes), len(view.segment_versions))
    return view


from hedui.gateway.directory_segments import accept_delegation  # noqa: E402  (needs DirectoryView)

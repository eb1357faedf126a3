"""A small X.509 certificate authority for mutual TLS between nodes.

The federation CA signs one certificate per node. A node certificate names
the node three ways: the subject common name, a DNS name that TLS clients
check (see ``tls_server_name``) and a ``urn:hedui:node:`` URI that a server
reads from the peer certificate. The directory pins each node's certificate
by the SHA-256 of its DER encoding, so a node can check a peer against the
directory as well as against the CA.

Keys are ECDSA P-256, which gRPC's TLS accepts. gRPC does not accept SM2
certificates, so the national algorithms (SM2/SM3) stay at the message layer.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from hedui.gateway.errors import HeduiError, Reason, os_error_detail
from hedui.gateway.identifiers import check_node_id
from hedui.gateway.timeutil import utcnow

logger = logging.getLogger(__name__)

NODE_URI_PREFIX = "urn:hedui:node:"
SERVER_NAME_SUFFIX = ".node.hedui"
ORGANIZATION = "hedui"

# Certificates start this long before the issue time, so a peer whose clock
# runs a little behind the CA's still accepts a certificate issued just now.
CLOCK_SKEW_ALLOWANCE = datetime.timedelta(minutes=5)


def tls_server_name(node_id: str) -> str:
    """Return the DNS name in a node's certificate: 140000/MZ -> 140000-mz.node.hedui."""
    # The node id pattern allows only digits, upper-case letters and "/",
    # so the result is one DNS label of at most 32 characters.
    return check_node_id(node_id).lower().replace("/", "-") + SERVER_NAME_SUFFIX


def certificate_sha256(cert_pem_or_der: bytes) -> bytes:
    """Return the SHA-256 of a PEM or DER certificate's DER encoding; raise ValueError for other bytes."""
    return _parse_certificate(cert_pem_or_der).fingerprint(hashes.SHA256())


def node_id_of(cert_pem: bytes) -> str | None:
    """Return the node id in a certificate's urn:hedui:node: URI, or None if it has none.

    Raises ValueError if the bytes are not a certificate, and HeduiError
    INVALID_NODE_ID if the URI contains something other than a valid node id.
    """
    certificate = _parse_certificate(cert_pem)
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    for uri in names.get_values_for_type(x509.UniformResourceIdentifier):
        if uri.startswith(NODE_URI_PREFIX):
            return check_node_id(uri[len(NODE_URI_PREFIX):])
    return None


@dataclasses.dataclass(frozen=True)
class CertificateAuthority:
    """The federation CA: a self-signed certificate and its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes = dataclasses.field(repr=False)

    @classmethod
    def create(cls, name: str = "hedui federation CA", *, valid_for: datetime.timedelta = datetime.timedelta(days=3650),
               now: datetime.datetime | None = None) -> "CertificateAuthority":
        """Generate a CA key and a self-signed certificate that may sign node certificates only."""
        if not name:
            raise ValueError("the CA name must not be empty")
        not_before, not_after = _window(now, None, valid_for)
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION)])
        usage = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            # Path length 0: the CA signs node certificates, never another CA.
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        )
        certificate = builder.sign(key, hashes.SHA256())
        logger.debug("created CA %s valid until %s", name, not_after.isoformat())
        return cls(certificate.public_bytes(serialization.Encoding.PEM), _private_pem(key))

    @classmethod
    def load(cls, cert_path: pathlib.Path, key_path: pathlib.Path) -> "CertificateAuthority":
        """Read a CA written by save(); raise CONFIG_MISSING or KEY_INVALID naming the file."""
        certificate, cert_pem = _load_certificate(pathlib.Path(cert_path))
        _, key_pem = _load_key(pathlib.Path(key_path), certificate)
        if not _is_ca(certificate):
            raise HeduiError(Reason.KEY_INVALID, str(cert_path), ("不是 CA 证书", "not a CA certificate"))
        return cls(cert_pem, key_pem)

    def save(self, cert_path: pathlib.Path, key_path: pathlib.Path) -> None:
        """Write the certificate and the private key; the key file gets mode 0600."""
        _write_pair(self.cert_pem, self.key_pem, pathlib.Path(cert_path), pathlib.Path(key_path))

    def issue(self, node_id: str, *, valid_for: datetime.timedelta = datetime.timedelta(days=365),
              now: datetime.datetime | None = None,
              not_before: datetime.datetime | None = None) -> "NodeCertificate":
        """Generate a key for a node and sign its TLS certificate for both server and client use.

        The certificate is valid from ``not_before`` (default: ``now`` less
        CLOCK_SKEW_ALLOWANCE) until ``not_before`` or ``now`` plus
        ``valid_for``, cut to the CA's own validity window.
        """
        check_node_id(node_id)
        ca_certificate = x509.load_pem_x509_certificate(self.cert_pem)
        ca_key = serialization.load_pem_private_key(self.key_pem, password=None)
        start, end = _window(now, not_before, valid_for)
        # Validators check every certificate of a chain, so time outside the CA's window is never usable.
        start = max(start, ca_certificate.not_valid_before_utc)
        end = min(end, ca_certificate.not_valid_after_utc)
        if end <= start:
            raise ValueError(f"the certificate window {start.isoformat()} to {end.isoformat()} "
                             "lies outside the CA's validity")

        key = ec.generate_private_key(ec.SECP256R1())
        names = x509.SubjectAlternativeName([x509.DNSName(tls_server_name(node_id)),
                                             x509.UniformResourceIdentifier(NODE_URI_PREFIX + node_id)])
        usage = x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, node_id),
                                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION)]))
            .issuer_name(ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(names, critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(_authority_key_id(ca_certificate), critical=False)
        )
        certificate = builder.sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
        logger.debug("issued a TLS certificate for %s, serial %x, valid %s to %s", node_id,
                     certificate.serial_number, start.isoformat(), end.isoformat())
        return NodeCertificate(node_id, certificate.public_bytes(serialization.Encoding.PEM), _private_pem(key))


@dataclasses.dataclass(frozen=True)
class NodeCertificate:
    """A node's TLS certificate and private key, both PEM."""

    node_id: str
    cert_pem: bytes
    key_pem: bytes = dataclasses.field(repr=False)

    @property
    def sha256(self) -> bytes:
        """SHA-256 of the DER certificate: the fingerprint the directory pins."""
        return certificate_sha256(self.cert_pem)

    @property
    def not_before(self) -> datetime.datetime:
        """Start of the validity window, aware UTC."""
        return x509.load_pem_x509_certificate(self.cert_pem).not_valid_before_utc

    @property
    def not_after(self) -> datetime.datetime:
        """End of the validity window, aware UTC."""
        return x509.load_pem_x509_certificate(self.cert_pem).not_valid_after_utc

    def save(self, cert_path: pathlib.Path, key_path: pathlib.Path) -> None:
        """Write the certificate and the private key; the key file gets mode 0600."""
        _write_pair(self.cert_pem, self.key_pem, pathlib.Path(cert_path), pathlib.Path(key_path))

    @classmethod
    def load(cls, cert_path: pathlib.Path, key_path: pathlib.Path, node_id: str | None = None) -> "NodeCertificate":
        """Read a node certificate and key; raise CONFIG_MISSING or KEY_INVALID naming the file.

        With ``node_id``, the certificate must name that node.
        """
        certificate, cert_pem = _load_certificate(pathlib.Path(cert_path))
        _, key_pem = _load_key(pathlib.Path(key_path), certificate)
        found = node_id_of(cert_pem)
        if found is None:
            raise HeduiError(Reason.KEY_INVALID, str(cert_path),
                             ("证书中没有节点标识（urn:hedui:node: URI）", "the certificate names no node (urn:hedui:node: URI)"))
        if node_id is not None and found != node_id:
            raise HeduiError(Reason.KEY_INVALID, str(cert_path),
                             (f"证书属于节点 {found}，不是 {node_id}", f"the certificate is for node {found}, not {node_id}"))
        return cls(found, cert_pem, key_pem)


def _window(now: datetime.datetime | None, not_before: datetime.datetime | None,
            valid_for: datetime.timedelta) -> tuple[datetime.datetime, datetime.datetime]:
    """Return (not before, not after) in whole seconds, since X.509 times carry no fractions."""
    if valid_for <= datetime.timedelta(0):
        raise ValueError("valid_for must be positive")
    for moment in (now, not_before):
        if moment is not None and moment.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
    issued = (now or utcnow()).astimezone(datetime.timezone.utc).replace(microsecond=0)
    if not_before is None:
        return issued - CLOCK_SKEW_ALLOWANCE, issued + valid_for
    start = not_before.astimezone(datetime.timezone.utc).replace(microsecond=0)
    return start, start + valid_for


def _parse_certificate(data: bytes) -> x509.Certificate:
    """Parse a PEM or DER certificate; raise ValueError if it is neither."""
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def _authority_key_id(ca_certificate: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    """Return the AKI for certificates this CA signs, copied from the CA's SKI when it has one."""
    try:
        key_id = ca_certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key())  # type: ignore[arg-type]
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(key_id)


def _is_ca(certificate: x509.Certificate) -> bool:
    """Return whether the certificate's BasicConstraints allow it to sign certificates."""
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    """Return the key as unencrypted PKCS#8 PEM.

    NOTE: the PEM is not encrypted, which suits tests and pilots; keep
    production CA keys offline or in an HSM.
    """
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _read(path: pathlib.Path) -> bytes:
    """Return a file's bytes; raise CONFIG_MISSING naming the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc


def _load_certificate(path: pathlib.Path) -> tuple[x509.Certificate, bytes]:
    """Read a PEM certificate; return it parsed and as PEM, or raise KEY_INVALID naming the file."""
    data = _read(path)
    try:
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError as exc:
        raise HeduiError(Reason.KEY_INVALID, str(path), ("不是 PEM 格式的证书", "not a PEM certificate")) from exc
    return certificate, certificate.public_bytes(serialization.Encoding.PEM)


def _load_key(path: pathlib.Path, certificate: x509.Certificate) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """Read the PEM private key that belongs to ``certificate``, or raise KEY_INVALID naming the file."""
    data = _read(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise HeduiError(Reason.KEY_INVALID, str(path),
                         ("不是未加密的 PEM 私钥，可能误用了 .crt 证书文件", "not an unencrypted PEM private key; was a .crt file given?")) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise HeduiError(Reason.KEY_INVALID, str(path), ("不是 ECDSA P-256 私钥", "not an ECDSA P-256 private key"))
    if key.public_key() != certificate.public_key():
        raise HeduiError(Reason.KEY_INVALID, str(path),
                         ("私钥与证书不匹配", "the private key does not belong to the certificate"))
    return key, _private_pem(key)


def _write_pair(cert_pem: bytes, key_pem: bytes, cert_path: pathlib.Path, key_path: pathlib.Path) -> None:
    """Write a private key with mode 0600 and its certificate with the default mode, replacing old files."""
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        # os.open applies the mode only to a new file, so tighten a file that already existed.
        os.fchmod(handle.fileno(), 0o600)
        handle.write(key_pem)
    cert_path.write_bytes(cert_pem)

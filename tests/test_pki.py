"""The federation CA, node TLS certificates, the `hedui pki` commands and a real mutual-TLS handshake."""

from __future__ import annotations

import datetime
import hashlib
import os
import pathlib
import re
import stat
import subprocess
import sys
from collections.abc import AsyncIterator

import grpc
import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import ClientVerifier, PolicyBuilder, Store, VerificationError
from grpc_health.v1 import health_pb2, health_pb2_grpc

from exchange_helpers import CJK
from hedui.gateway.errors import HeduiError
from hedui.gateway.pki import (CLOCK_SKEW_ALLOWANCE, CertificateAuthority, NodeCertificate, certificate_sha256,
                               node_id_of, tls_server_name)

UTC = datetime.timezone.utc
PROVINCE = "140000/MZ"
CITY = "140100/MZ"
DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    """One federation CA shared by the tests of this module."""
    return CertificateAuthority.create()


def parsed(pem: bytes) -> x509.Certificate:
    """Return the parsed certificate."""
    return x509.load_pem_x509_certificate(pem)


def extension(certificate: x509.Certificate, kind: type) -> x509.Extension:
    """Return one extension of a certificate by its class."""
    return certificate.extensions.get_extension_for_class(kind)


def mode(path: pathlib.Path) -> int:
    """Return a file's permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


# --- names ---------------------------------------------------------------


@pytest.mark.parametrize(("node_id", "expected"), [
    ("140000/MZ", "140000-mz.node.hedui"),
    ("140100/MZ/HDXT", "140100-mz-hdxt.node.hedui"),
    ("000000/MZ", "000000-mz.node.hedui"),
])
def test_server_name_form(node_id: str, expected: str) -> None:
    name = tls_server_name(node_id)
    assert name == expected
    assert all(DNS_LABEL.match(label) for label in name.split("."))


def test_server_name_rejects_bad_node_id() -> None:
    with pytest.raises(HeduiError) as caught:
        tls_server_name("140000/mz")
    assert caught.value.reason == "INVALID_NODE_ID"


# --- the CA --------------------------------------------------------------


def test_ca_certificate_is_ca(ca: CertificateAuthority) -> None:
    certificate = parsed(ca.cert_pem)
    constraints = extension(certificate, x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert constraints.value.path_length == 0
    usage = extension(certificate, x509.KeyUsage)
    assert usage.critical
    assert usage.value.key_cert_sign
    assert usage.value.crl_sign
    assert not usage.value.digital_signature
    assert extension(certificate, x509.SubjectKeyIdentifier).value == \
        x509.SubjectKeyIdentifier.from_public_key(certificate.public_key())
    assert certificate.issuer == certificate.subject
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "hedui federation CA"
    certificate.verify_directly_issued_by(certificate)


def test_ca_key_is_p256(ca: CertificateAuthority) -> None:
    key = serialization.load_pem_private_key(ca.key_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert isinstance(key.curve, ec.SECP256R1)


def test_ca_validity_from_now() -> None:
    now = datetime.datetime(2025, 3, 1, 8, 30, 15, 999, tzinfo=UTC)
    certificate = parsed(CertificateAuthority.create("测试 CA", valid_for=datetime.timedelta(days=10), now=now).cert_pem)
    assert certificate.not_valid_before_utc == now.replace(microsecond=0) - CLOCK_SKEW_ALLOWANCE
    assert certificate.not_valid_after_utc == now.replace(microsecond=0) + datetime.timedelta(days=10)


def test_ca_repr_hides_key(ca: CertificateAuthority) -> None:
    assert b"PRIVATE" in ca.key_pem
    assert "PRIVATE" not in repr(ca)


# --- node certificates ---------------------------------------------------


def test_node_certificate_chains_to_ca(ca: CertificateAuthority) -> None:
    ca_certificate = parsed(ca.cert_pem)
    certificate = parsed(ca.issue(CITY).cert_pem)
    certificate.verify_directly_issued_by(ca_certificate)
    assert certificate.issuer == ca_certificate.subject
    authority_key = extension(certificate, x509.AuthorityKeyIdentifier).value
    assert authority_key.key_identifier == extension(ca_certificate, x509.SubjectKeyIdentifier).value.digest


def test_node_certificate_passes_path_validation(ca: CertificateAuthority) -> None:
    certificate = parsed(ca.issue(CITY).cert_pem)
    builder = PolicyBuilder().store(Store([parsed(ca.cert_pem)]))
    server_chain = builder.build_server_verifier(x509.DNSName(tls_server_name(CITY))).verify(certificate, [])
    assert server_chain[-1] == parsed(ca.cert_pem)
    client = builder.build_client_verifier().verify(certificate, [])
    assert client.subjects is not None
    assert x509.UniformResourceIdentifier(f"urn:hedui:node:{CITY}") in client.subjects


def test_node_certificate_from_other_ca_rejected(ca: CertificateAuthority) -> None:
    stranger = CertificateAuthority.create().issue(CITY)
    with pytest.raises(InvalidSignature):
        parsed(stranger.cert_pem).verify_directly_issued_by(parsed(ca.cert_pem))
    builder = PolicyBuilder().store(Store([parsed(ca.cert_pem)]))
    with pytest.raises(VerificationError):
        builder.build_client_verifier().verify(parsed(stranger.cert_pem), [])


def test_node_certificate_names(ca: CertificateAuthority) -> None:
    issued = ca.issue("140100/MZ/HDXT")
    certificate = parsed(issued.cert_pem)
    assert issued.node_id == "140100/MZ/HDXT"
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "140100/MZ/HDXT"
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "hedui"
    names = extension(certificate, x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["140100-mz-hdxt.node.hedui"]
    assert names.get_values_for_type(x509.UniformResourceIdentifier) == ["urn:hedui:node:140100/MZ/HDXT"]
    assert node_id_of(issued.cert_pem) == "140100/MZ/HDXT"


def test_node_certificate_usages(ca: CertificateAuthority) -> None:
    certificate = parsed(ca.issue(CITY).cert_pem)
    assert list(extension(certificate, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.SERVER_AUTH,
                                                                        ExtendedKeyUsageOID.CLIENT_AUTH]
    constraints = extension(certificate, x509.BasicConstraints)
    assert constraints.critical
    assert not constraints.value.ca
    assert extension(certificate, x509.KeyUsage).value.digital_signature
    assert extension(certificate, x509.SubjectKeyIdentifier).value == \
        x509.SubjectKeyIdentifier.from_public_key(certificate.public_key())


def test_node_keys_and_serials_differ(ca: CertificateAuthority) -> None:
    first, second = ca.issue(CITY), ca.issue(CITY)
    assert first.key_pem != second.key_pem
    assert parsed(first.cert_pem).serial_number != parsed(second.cert_pem).serial_number


def test_issue_rejects_bad_node_id(ca: CertificateAuthority) -> None:
    with pytest.raises(HeduiError) as caught:
        ca.issue("14/MZ")
    assert caught.value.reason == "INVALID_NODE_ID"


def test_node_id_of_ca_is_none(ca: CertificateAuthority) -> None:
    assert node_id_of(ca.cert_pem) is None


def test_node_repr_hides_key(ca: CertificateAuthority) -> None:
    assert "PRIVATE" not in repr(ca.issue(CITY))


# --- fingerprints --------------------------------------------------------


def test_fingerprint_is_sha256_of_der(ca: CertificateAuthority) -> None:
    issued = ca.issue(CITY)
    der = parsed(issued.cert_pem).public_bytes(serialization.Encoding.DER)
    assert issued.sha256 == hashlib.sha256(der).digest()
    assert certificate_sha256(issued.cert_pem) == issued.sha256
    assert certificate_sha256(der) == issued.sha256
    assert len(issued.sha256) == 32


def test_fingerprint_stable_after_reload(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    issued = ca.issue(CITY)
    issued.save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    assert NodeCertificate.load(tmp_path / "city.crt", tmp_path / "city.tls.key").sha256 == issued.sha256


def test_fingerprint_differs_per_node(ca: CertificateAuthority) -> None:
    fingerprints = {ca.issue(node).sha256 for node in (PROVINCE, CITY, "140000/RS")}
    assert len(fingerprints) == 3


def test_fingerprint_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        certificate_sha256(b"not a certificate")


# --- validity windows ----------------------------------------------------


def verifier_at(ca: CertificateAuthority, moment: datetime.datetime) -> ClientVerifier:
    """Return a client-certificate verifier that checks validity at a fixed time."""
    return PolicyBuilder().store(Store([parsed(ca.cert_pem)])).time(moment).build_client_verifier()


def test_validity_window_from_now(ca: CertificateAuthority) -> None:
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    issued = ca.issue(CITY, valid_for=datetime.timedelta(days=30), now=now)
    assert issued.not_before == now - CLOCK_SKEW_ALLOWANCE
    assert issued.not_after == now + datetime.timedelta(days=30)
    assert issued.not_before.tzinfo is not None
    assert issued.not_before.utcoffset() == datetime.timedelta(0)


def test_validity_window_from_not_before(ca: CertificateAuthority) -> None:
    start = datetime.datetime.now(UTC).replace(microsecond=0) + datetime.timedelta(days=2)
    issued = ca.issue(CITY, valid_for=datetime.timedelta(days=1), not_before=start)
    assert issued.not_before == start
    assert issued.not_after == start + datetime.timedelta(days=1)


def test_expired_certificate_rejected() -> None:
    now = datetime.datetime.now(UTC)
    ca = CertificateAuthority.create(now=now - datetime.timedelta(days=10))
    issued = ca.issue(CITY, valid_for=datetime.timedelta(days=1), not_before=now - datetime.timedelta(days=3))
    certificate = parsed(issued.cert_pem)
    verifier_at(ca, now - datetime.timedelta(days=2)).verify(certificate, [])
    with pytest.raises(VerificationError):
        verifier_at(ca, now).verify(certificate, [])


def test_not_yet_valid_certificate_rejected(ca: CertificateAuthority) -> None:
    now = datetime.datetime.now(UTC)
    issued = ca.issue(CITY, not_before=now + datetime.timedelta(days=1))
    certificate = parsed(issued.cert_pem)
    verifier_at(ca, now + datetime.timedelta(days=2)).verify(certificate, [])
    with pytest.raises(VerificationError):
        verifier_at(ca, now).verify(certificate, [])


def test_validity_cut_to_ca_window() -> None:
    now = datetime.datetime.now(UTC)
    short_ca = CertificateAuthority.create(valid_for=datetime.timedelta(days=10), now=now)
    issued = short_ca.issue(CITY, valid_for=datetime.timedelta(days=365), not_before=now - datetime.timedelta(days=1))
    assert issued.not_before == parsed(short_ca.cert_pem).not_valid_before_utc
    assert issued.not_after == parsed(short_ca.cert_pem).not_valid_after_utc


def test_issue_after_ca_expiry_rejected() -> None:
    now = datetime.datetime.now(UTC)
    old_ca = CertificateAuthority.create(valid_for=datetime.timedelta(days=1), now=now - datetime.timedelta(days=5))
    with pytest.raises(ValueError):
        old_ca.issue(CITY, now=now)


def test_naive_time_rejected(ca: CertificateAuthority) -> None:
    with pytest.raises(ValueError):
        ca.issue(CITY, now=datetime.datetime(2025, 1, 1))


def test_non_positive_validity_rejected(ca: CertificateAuthority) -> None:
    with pytest.raises(ValueError):
        ca.issue(CITY, valid_for=datetime.timedelta(0))


# --- files ---------------------------------------------------------------


def test_ca_save_load_round_trip(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.save(tmp_path / "ca.crt", tmp_path / "ca.key")
    assert mode(tmp_path / "ca.key") == 0o600
    assert CertificateAuthority.load(tmp_path / "ca.crt", tmp_path / "ca.key") == ca


def test_node_save_load_round_trip(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    issued = ca.issue(CITY)
    issued.save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    assert mode(tmp_path / "city.tls.key") == 0o600
    assert NodeCertificate.load(tmp_path / "city.crt", tmp_path / "city.tls.key", CITY) == issued


def test_save_tightens_existing_key_file(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    key_path = tmp_path / "city.tls.key"
    key_path.write_bytes(b"old")
    key_path.chmod(0o644)
    ca.issue(CITY).save(tmp_path / "city.crt", key_path)
    assert mode(key_path) == 0o600


def test_load_missing_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(HeduiError) as caught:
        CertificateAuthority.load(tmp_path / "ca.crt", tmp_path / "ca.key")
    assert caught.value.reason == "CONFIG_MISSING"
    assert str(tmp_path / "ca.crt") in caught.value.message()


def test_load_key_as_certificate(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.save(tmp_path / "ca.crt", tmp_path / "ca.key")
    with pytest.raises(HeduiError) as caught:
        CertificateAuthority.load(tmp_path / "ca.key", tmp_path / "ca.crt")
    assert caught.value.reason == "KEY_INVALID"
    assert str(tmp_path / "ca.key") in caught.value.message()


def test_load_key_of_other_certificate(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.issue(CITY).save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    ca.issue(PROVINCE).save(tmp_path / "province.crt", tmp_path / "province.tls.key")
    with pytest.raises(HeduiError) as caught:
        NodeCertificate.load(tmp_path / "city.crt", tmp_path / "province.tls.key")
    assert caught.value.reason == "KEY_INVALID"
    assert str(tmp_path / "province.tls.key") in caught.value.message()


def test_load_certificate_of_other_node(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.issue(CITY).save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    with pytest.raises(HeduiError) as caught:
        NodeCertificate.load(tmp_path / "city.crt", tmp_path / "city.tls.key", PROVINCE)
    assert caught.value.reason == "KEY_INVALID"


def test_load_node_certificate_as_ca(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.issue(CITY).save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    with pytest.raises(HeduiError) as caught:
        CertificateAuthority.load(tmp_path / "city.crt", tmp_path / "city.tls.key")
    assert caught.value.reason == "KEY_INVALID"


def test_load_ca_as_node_certificate(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.save(tmp_path / "ca.crt", tmp_path / "ca.key")
    with pytest.raises(HeduiError) as caught:
        NodeCertificate.load(tmp_path / "ca.crt", tmp_path / "ca.key")
    assert caught.value.reason == "KEY_INVALID"


# --- command line --------------------------------------------------------


def hedui(*args: object, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the hedui command line (Chinese unless ``lang`` is given) and return the finished process."""
    env = {key: value for key, value in os.environ.items() if key != "HEDUI_LANG"}
    if lang:
        env["HEDUI_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "hedui.gateway.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=30, env=env)


def test_cli_init_writes_ca(tmp_path: pathlib.Path) -> None:
    result = hedui("pki", "init", "--out", tmp_path / "ca", "--name", "山西测试 CA", "--days", "30")
    assert result.returncode == 0, result.stderr
    assert CJK.search(result.stdout)
    assert "已创建联邦 CA" in result.stdout
    assert mode(tmp_path / "ca" / "ca.key") == 0o600
    ca = CertificateAuthority.load(tmp_path / "ca" / "ca.crt", tmp_path / "ca" / "ca.key")
    assert parsed(ca.cert_pem).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "山西测试 CA"


def test_cli_init_does_not_overwrite(tmp_path: pathlib.Path) -> None:
    assert hedui("pki", "init", "--out", tmp_path).returncode == 0
    before = (tmp_path / "ca.key").read_bytes()
    result = hedui("pki", "init", "--out", tmp_path)
    assert result.returncode != 0
    assert "FILE_EXISTS" in result.stderr
    assert "未覆盖" in result.stderr
    assert (tmp_path / "ca.key").read_bytes() == before


def test_cli_issue_writes_node_certificate(tmp_path: pathlib.Path) -> None:
    assert hedui("pki", "init", "--out", tmp_path / "ca").returncode == 0
    result = hedui("pki", "issue", "--ca-dir", tmp_path / "ca", "--node", "140100/MZ/HDXT", "--out", tmp_path / "tls",
                   "--days", "90")
    assert result.returncode == 0, result.stderr
    cert_path, key_path = tmp_path / "tls" / "140100_MZ_HDXT.crt", tmp_path / "tls" / "140100_MZ_HDXT.tls.key"
    assert mode(key_path) == 0o600
    issued = NodeCertificate.load(cert_path, key_path, "140100/MZ/HDXT")
    assert issued.sha256.hex() in result.stdout
    assert "140100-mz-hdxt.node.hedui" in result.stdout
    assert "有效期" in result.stdout
    assert issued.not_after - issued.not_before == datetime.timedelta(days=90) + CLOCK_SKEW_ALLOWANCE
    ca_certificate = parsed((tmp_path / "ca" / "ca.crt").read_bytes())
    parsed(issued.cert_pem).verify_directly_issued_by(ca_certificate)


def test_cli_issue_does_not_overwrite(tmp_path: pathlib.Path) -> None:
    assert hedui("pki", "init", "--out", tmp_path / "ca").returncode == 0
    issue = ("pki", "issue", "--ca-dir", tmp_path / "ca", "--node", CITY, "--out", tmp_path / "tls")
    assert hedui(*issue).returncode == 0
    before = (tmp_path / "tls" / "140100_MZ.crt").read_bytes()
    result = hedui(*issue)
    assert result.returncode != 0
    assert "FILE_EXISTS" in result.stderr
    assert "未覆盖" in result.stderr
    assert (tmp_path / "tls" / "140100_MZ.crt").read_bytes() == before


def test_cli_issue_without_ca(tmp_path: pathlib.Path) -> None:
    result = hedui("pki", "issue", "--ca-dir", tmp_path / "none", "--node", CITY, "--out", tmp_path / "tls")
    assert result.returncode == 2
    assert "CONFIG_MISSING" in result.stderr
    assert str(tmp_path / "none" / "ca.crt") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "tls").exists()


def test_cli_issue_rejects_bad_days(tmp_path: pathlib.Path) -> None:
    assert hedui("pki", "init", "--out", tmp_path / "ca").returncode == 0
    result = hedui("pki", "issue", "--ca-dir", tmp_path / "ca", "--node", CITY, "--out", tmp_path, "--days", "0")
    assert result.returncode == 2
    assert "INVALID_OPTION" in result.stderr


def test_cli_show_in_chinese(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    issued = ca.issue(CITY)
    issued.save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    result = hedui("pki", "show", tmp_path / "city.crt")
    assert result.returncode == 0, result.stderr
    for label in ("主体", "节点标识", "备用名称", "有效期", "SHA-256 指纹", "签发者"):
        assert label in result.stdout
    assert f"节点标识：{CITY}" in result.stdout
    assert "DNS:140100-mz.node.hedui" in result.stdout
    assert f"URI:urn:hedui:node:{CITY}" in result.stdout
    assert issued.sha256.hex() in result.stdout
    assert "CN=hedui federation CA" in result.stdout


def test_cli_show_in_english(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.issue(CITY).save(tmp_path / "city.crt", tmp_path / "city.tls.key")
    for result in (hedui("--lang", "en", "pki", "show", tmp_path / "city.crt"),
                   hedui("pki", "show", tmp_path / "city.crt", lang="en")):
        assert result.returncode == 0, result.stderr
        assert f"node id: {CITY}" in result.stdout
        assert not CJK.search(result.stdout)


def test_cli_show_rejects_key_file(ca: CertificateAuthority, tmp_path: pathlib.Path) -> None:
    ca.save(tmp_path / "ca.crt", tmp_path / "ca.key")
    result = hedui("pki", "show", tmp_path / "ca.key")
    assert result.returncode == 2
    assert "KEY_INVALID" in result.stderr
    assert "Traceback" not in result.stderr


# --- mutual TLS over gRPC ------------------------------------------------


class PeerRecordingHealth(health_pb2_grpc.HealthServicer):
    """A health service that records each caller's certificate fingerprint and node id.

    Under TLS, ``context.auth_context()`` returns a dict of str keys to lists
    of bytes (grpcio 1.85). Its key ``"x509_pem_cert"`` (a str, not bytes)
    maps to a one-item list: the client's leaf certificate as PEM bytes.
    gRPC also fills ``"peer_uri"`` and ``"peer_dns"`` from the certificate's SAN.
    """

    def __init__(self) -> None:
        self.peers: list[tuple[bytes, str | None]] = []
        self.auth_contexts: list[dict[str, list[bytes]]] = []

    async def Check(self, request: health_pb2.HealthCheckRequest,
                    context: grpc.aio.ServicerContext) -> health_pb2.HealthCheckResponse:
        auth_context = context.auth_context()
        self.auth_contexts.append(auth_context)
        pem = auth_context["x509_pem_cert"][0]
        self.peers.append((certificate_sha256(pem), node_id_of(pem)))
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


@pytest.fixture
async def tls_server(ca: CertificateAuthority) -> AsyncIterator[tuple[int, PeerRecordingHealth]]:
    """Start a health server for the province on 127.0.0.1 that requires client certificates."""
    issued = ca.issue(PROVINCE)
    credentials = grpc.ssl_server_credentials([(issued.key_pem, issued.cert_pem)], root_certificates=ca.cert_pem,
                                              require_client_auth=True)
    service = PeerRecordingHealth()
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(service, server)
    port = server.add_secure_port("127.0.0.1:0", credentials)
    await server.start()
    yield port, service
    await server.stop(None)


async def check_health(port: int, credentials: grpc.ChannelCredentials,
                       server_name: str = tls_server_name(PROVINCE)) -> health_pb2.HealthCheckResponse:
    """Call Health.Check on 127.0.0.1:port, checking the server certificate against server_name."""
    options = [("grpc.ssl_target_name_override", server_name)]
    async with grpc.aio.secure_channel(f"127.0.0.1:{port}", credentials, options=options) as channel:
        return await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)


async def test_mutual_tls_accepts_node(ca: CertificateAuthority,
        tls_server: tuple[int, PeerRecordingHealth]) -> None:
    port, service = tls_server
    client = ca.issue(CITY)
    credentials = grpc.ssl_channel_credentials(ca.cert_pem, client.key_pem, client.cert_pem)
    response = await check_health(port, credentials)
    assert response.status == health_pb2.HealthCheckResponse.SERVING
    assert service.peers == [(client.sha256, CITY)]
    auth_context = service.auth_contexts[0]
    assert auth_context["x509_pem_cert"] == [client.cert_pem]
    assert auth_context["peer_uri"] == [f"urn:hedui:node:{CITY}".encode()]
    assert auth_context["peer_dns"] == [tls_server_name(CITY).encode()]


async def test_mutual_tls_rejects_other_ca(ca: CertificateAuthority,
        tls_server: tuple[int, PeerRecordingHealth]) -> None:
    port, service = tls_server
    stranger = CertificateAuthority.create().issue(CITY)
    credentials = grpc.ssl_channel_credentials(ca.cert_pem, stranger.key_pem, stranger.cert_pem)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await check_health(port, credentials)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert service.peers == []


async def test_mutual_tls_rejects_no_client_cert(ca: CertificateAuthority,
        tls_server: tuple[int, PeerRecordingHealth]) -> None:
    port, service = tls_server
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await check_health(port, grpc.ssl_channel_credentials(ca.cert_pem))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert service.peers == []


async def test_mutual_tls_checks_server_name(ca: CertificateAuthority,
        tls_server: tuple[int, PeerRecordingHealth]) -> None:
    port, service = tls_server
    client = ca.issue(CITY)
    credentials = grpc.ssl_channel_credentials(ca.cert_pem, client.key_pem, client.cert_pem)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await check_health(port, credentials, server_name=tls_server_name("140000/RS"))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert service.peers == []

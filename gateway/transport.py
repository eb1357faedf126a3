"""Node-to-node transport: gRPC over mutual TLS, with peers pinned by the directory.

Every node presents a certificate from the federation CA and requires one
from its peer. gRPC checks the chain and, through the target name override,
that a server's certificate carries the expected node's name. The servicer
then looks the client certificate's SHA-256 up in the signed directory, so a
certificate the directory does not bind to the sending node is refused
whatever CA signed it.
"""

from __future__ import annotations

import dataclasses
import logging
import pathlib
from typing import Any

import grpc

from hedui.gateway.errors import HeduiError, Reason, os_error_detail
from hedui.gateway.pki import certificate_sha256, tls_server_name

log = logging.getLogger(__name__)

CHANNEL_OPTIONS = (
    ("grpc.max_receive_message_length", 8 * 1024 * 1024),
    ("grpc.max_send_message_length", 8 * 1024 * 1024),
)
# The auth_context key under which gRPC exposes the peer's PEM certificate.
PEER_CERT_KEY = "x509_pem_cert"


@dataclasses.dataclass(frozen=True)
class TlsMaterial:
    """The federation CA certificate and this node's certificate and key, as PEM."""

    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes = dataclasses.field(repr=False)

    @classmethod
    def load(cls, ca: pathlib.Path, cert: pathlib.Path, key: pathlib.Path) -> "TlsMaterial":
        """Read the three PEM files; raise CONFIG_MISSING naming a missing one."""
        def read(path: pathlib.Path) -> bytes:
            try:
                return pathlib.Path(path).read_bytes()
            except OSError as exc:
                raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc

        return cls(read(ca), read(cert), read(key))


class Transport:
    """Creates server credentials and client channels, with TLS or, for development, without.

    ``update`` swaps in a new certificate: the server's credentials ask for
    it on each new handshake, so a node rolls its certificate without a
    restart, and channels opened afterwards present the new one.
    """

    def __init__(self, tls: TlsMaterial | None) -> None:
        self.tls = tls
        self._served: TlsMaterial | None = tls

    def update(self, tls: TlsMaterial) -> bool:
        """Use a new certificate from now on; return True if it differs from the current one."""
        if self.tls is None or tls == self.tls:
            return False
        self.tls = tls
        return True

    def _certificate_config(self) -> Any:
        assert self.tls is not None
        return grpc.ssl_server_certificate_configuration(
            [(self.tls.key_pem, self.tls.cert_pem)], root_certificates=self.tls.ca_pem)

    def _fetch_certificate_config(self) -> Any:
        """Return a new server certificate configuration after an update, else None (keep the current one)."""
        if self.tls is self._served:
            return None
        self._served = self.tls
        log.info("serving a renewed TLS certificate")
        return self._certificate_config()

    @property
    def secure(self) -> bool:
        return self.tls is not None

    def add_port(self, server: grpc.aio.Server, listen: str) -> int:
        """Bind the server's port, requiring client certificates when TLS is on; return the port."""
        if self.tls is None:
            return server.add_insecure_port(listen)
        credentials = grpc.dynamic_ssl_server_credentials(
            self._certificate_config(), self._fetch_certificate_config, require_client_authentication=True,
        )
        return server.add_secure_port(listen, credentials)

    def channel(self, address: str, node_id: str) -> grpc.aio.Channel:
        """Open a channel to the node ``node_id`` at ``address``."""
        if self.tls is None:
            return grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
        credentials = grpc.ssl_channel_credentials(self.tls.ca_pem, self.tls.key_pem, self.tls.cert_pem)
        options = (*CHANNEL_OPTIONS, ("grpc.ssl_target_name_override", tls_server_name(node_id)))
        return grpc.aio.secure_channel(address, credentials, options=options)


def peer_certificate_sha256(context: Any) -> bytes | None:
    """Return the SHA-256 of the client's certificate on this call, or None on a plaintext call."""
    auth = context.auth_context() or {}
    pems = auth.get(PEER_CERT_KEY) or auth.get(PEER_CERT_KEY.encode()) or []
    if not pems:
        return None
    return certificate_sha256(pems[0])

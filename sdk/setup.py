"""Loading an integrator's key and the federation directory from files."""

from __future__ import annotations

import pathlib

from hedui.gateway.directory import DirectoryView, TrustAnchor, load_signed_directory
from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import utcnow
from hedui.gateway.transport import TlsMaterial


def load_key(path: str | pathlib.Path, node_id: str) -> SigningKey:
    """Read a signing key written by ``hedui keys generate`` for node_id."""
    return SigningKey.load(pathlib.Path(path), node_id)


def load_directory(path: str | pathlib.Path, anchor: str | pathlib.Path) -> DirectoryView:
    """Read and verify a signed directory with the trust anchor's public key file."""
    return load_signed_directory(pathlib.Path(path), TrustAnchor.load(pathlib.Path(anchor)), utcnow())


def load_tls(ca: str | pathlib.Path, cert: str | pathlib.Path, key: str | pathlib.Path) -> TlsMaterial:
    """Read the federation CA certificate and the caller's TLS certificate and key (PEM files)."""
    return TlsMaterial.load(pathlib.Path(ca), pathlib.Path(cert), pathlib.Path(key))

"""Ed25519 signing keys with key ids, and detached signatures over exact bytes."""

from __future__ import annotations

import hashlib
import os
import pathlib

import nacl.exceptions
import nacl.signing
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.signing import VerifyKey

from hedui.gateway.errors import HeduiError, Reason, VerificationError, os_error_detail
from hedui.v1 import signature_pb2

ED25519 = signature_pb2.SIGNATURE_ALGORITHM_ED25519


def key_id_for(public_key: bytes) -> str:
    """Return the key id of a raw public key: "ed25519-" and 16 hex digits of its SHA-256."""
    return "ed25519-" + hashlib.sha256(public_key).hexdigest()[:16]


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    """Return the 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class SigningKey:
    """A node's private signing key; it signs and never leaves this object.

    Instances cannot be pickled, so a key does not leak into a process pool
    or a cache by accident.
    """

    def __init__(self, node_id: str, private_key: Ed25519PrivateKey) -> None:
        self.node_id = node_id
        self._private_key = private_key
        # libsodium signs and verifies Ed25519 about twice as fast as OpenSSL here;
        # the signatures are identical because Ed25519 signing is deterministic.
        seed = private_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        self._sodium_key = nacl.signing.SigningKey(seed)
        self.public_key = raw_public_key(private_key.public_key())
        self.key_id = key_id_for(self.public_key)

    def __reduce__(self) -> None:  # type: ignore[override]
        raise TypeError("SigningKey cannot be pickled")

    def __repr__(self) -> str:
        return f"SigningKey(node_id={self.node_id!r}, key_id={self.key_id!r})"

    @classmethod
    def generate(cls, node_id: str) -> "SigningKey":
        """Create a fresh random key for a node."""
        return cls(node_id, Ed25519PrivateKey.generate())

    def sign(self, data: bytes) -> signature_pb2.Signature:
        """Return a detached signature over exactly these bytes."""
        return signature_pb2.Signature(
            signer=self.node_id,
            key_id=self.key_id,
            algorithm=ED25519,
            value=self._sodium_key.sign(data).signature,
        )

    def sign_raw(self, data: bytes) -> tuple[str, bytes]:
        """Return (key id, signature bytes) for stores that keep their own format."""
        return self.key_id, self._sodium_key.sign(data).signature

    def save(self, path: pathlib.Path) -> None:
        """Write the key as unencrypted PKCS#8 PEM with owner-only permissions.

        NOTE: the PEM is not encrypted; production nodes should keep keys in
        an HSM or encrypted store, which this version does not support yet.
        """
        pem = self._private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        header = f"# hedui signing key for {self.node_id}, key id {self.key_id}\n".encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(header + pem)

    @classmethod
    def load(cls, path: pathlib.Path, node_id: str) -> "SigningKey":
        """Read a PEM key written by save(); raise CONFIG_MISSING or KEY_INVALID with the path."""
        path = pathlib.Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise HeduiError(Reason.CONFIG_MISSING, str(path), os_error_detail(exc)) from exc
        start = data.find(b"-----BEGIN")
        try:
            key = serialization.load_pem_private_key(data[max(start, 0):], password=None)
        except (ValueError, TypeError) as exc:
            raise HeduiError(Reason.KEY_INVALID, str(path),
                             ("不是 PEM 格式的私钥，可能误用了 .pub 公钥文件", "not a PEM private key; was a .pub file given?")) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise HeduiError(Reason.KEY_INVALID, str(path), ("不是 Ed25519 私钥", "not an Ed25519 private key"))
        return cls(node_id, key)


def load_public_key(public_key: bytes) -> VerifyKey:
    """Return the key object for 32 raw public key bytes; raise ValueError if they are not one."""
    if len(public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    try:
        return VerifyKey(public_key)
    except nacl.exceptions.CryptoError as exc:
        raise ValueError(str(exc)) from exc


def verify_signature(public_key: bytes | VerifyKey, signature: signature_pb2.Signature, data: bytes,
                     what: str) -> None:
    """Raise VerificationError(SIGNATURE_INVALID) unless the signature is valid over data.

    ``public_key`` is the raw key or one loaded with ``load_public_key``.
    ``what`` names the signed object for the message; the error carries no
    detail that would help forge a signature.
    """
    if signature.algorithm != ED25519:
        raise VerificationError(Reason.SIGNATURE_INVALID, what, ("不支持的签名算法", "unsupported algorithm"))
    try:
        if isinstance(public_key, bytes):
            public_key = load_public_key(public_key)
        public_key.verify(data, signature.value)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.CryptoError, ValueError, TypeError):
        raise VerificationError(Reason.SIGNATURE_INVALID, what, ("签名与内容不符", "signature does not match")) from None

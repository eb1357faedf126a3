"""Signed envelopes and hop chains.

The caller signs ``signing_input(header, body)``: a domain tag, then the
header and body bytes, each with an 8-byte big-endian length prefix. Each
forwarding node appends a SignedHop whose ``received_sha256`` is
``chain_digest(envelope, i)``: SHA-256 over a domain tag, the signing input,
the caller's signer, key id and signature value, and each earlier hop's
bytes and signature value, all length-prefixed. Receivers verify these exact
bytes and parse them only afterwards.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import struct
import uuid

from hedui.gateway import identifiers
from hedui.gateway.directory import CIVIL_AFFAIRS, CLIENT, MINISTRY_LINK, DirectoryView
from hedui.gateway.errors import HeduiError, Reason, VerificationError
from hedui.gateway.keys import SigningKey
from hedui.gateway.messages import check_rules, parse_strict
from hedui.gateway.timeutil import to_timestamp
from hedui.v1 import envelope_pb2

ENVELOPE_TAG = b"hedui-envelope-v1\x00"
CHAIN_TAG = b"hedui-hop-chain-v1\x00"
FORWARDING_ROLES = (CIVIL_AFFAIRS, MINISTRY_LINK)


def _prefixed(*parts: bytes) -> bytes:
    """Concatenate parts, each preceded by its length as 8 bytes big-endian."""
    return b"".join(struct.pack(">Q", len(part)) + part for part in parts)


def signing_input(header: bytes, body: bytes) -> bytes:
    """Return the bytes the caller signs."""
    return ENVELOPE_TAG + _prefixed(header, body)


def request_digest(envelope: envelope_pb2.Envelope) -> bytes:
    """Return SHA-256 of the caller's signature value; answers bind to the request with it."""
    return hashlib.sha256(envelope.signature.value).digest()


def chain_digest(envelope: envelope_pb2.Envelope, hop_count: int) -> bytes:
    """Return the digest a node that received the first ``hop_count`` hops signs in its hop."""
    sig = envelope.signature
    parts = [signing_input(envelope.header, envelope.body), sig.signer.encode(), sig.key_id.encode(), sig.value]
    for signed_hop in envelope.hops[:hop_count]:
        parts += [signed_hop.hop, signed_hop.signature.value]
    return hashlib.sha256(CHAIN_TAG + _prefixed(*parts)).digest()


def new_header(caller: str, target: str, body_type: str, now: datetime.datetime) -> envelope_pb2.Header:
    """Return a header with a fresh UUID request id and a 16-byte random nonce."""
    return envelope_pb2.Header(
        request_id=str(uuid.uuid4()),
        caller=caller,
        target=target,
        issued_at=to_timestamp(now),
        nonce=os.urandom(16),
        body_type=body_type,
    )


def seal(header: envelope_pb2.Header, body: bytes, key: SigningKey) -> envelope_pb2.Envelope:
    """Serialize the header once and sign it together with the body bytes."""
    if header.caller != key.node_id:
        raise ValueError(f"header caller {header.caller} is not the key's node {key.node_id}")
    header_bytes = header.SerializeToString(deterministic=True)
    return envelope_pb2.Envelope(
        header=header_bytes, body=body, signature=key.sign(signing_input(header_bytes, body))
    )


def add_hop(envelope: envelope_pb2.Envelope, key: SigningKey, forwarded_to: str,
            now: datetime.datetime) -> envelope_pb2.Envelope:
    """Return a copy of the envelope with this node's signed hop appended."""
    hop = envelope_pb2.Hop(
        node=key.node_id,
        forwarded_to=forwarded_to,
        received_sha256=chain_digest(envelope, len(envelope.hops)),
        forwarded_at=to_timestamp(now),
    )
    hop_bytes = hop.SerializeToString(deterministic=True)
    forwarded = envelope_pb2.Envelope()
    forwarded.CopyFrom(envelope)
    forwarded.hops.add(hop=hop_bytes, signature=key.sign(hop_bytes))
    return forwarded


def open_envelope(envelope: envelope_pb2.Envelope, directory: DirectoryView,
                  now: datetime.datetime) -> envelope_pb2.Header:
    """Verify the caller's signature over the exact bytes, then parse and return the header.

    1. The envelope itself must meet its schema (sizes, signature present).
    2. The caller must be in the directory, and the signature must verify
       with the key the directory lists under its key id.
    3. The verified header is parsed strictly; its caller must be the signer
       and its target a well-formed node id.
    """
    # Step 1.
    check_rules(envelope, "Envelope")

    # Step 2.
    signer = envelope.signature.signer
    directory.node(signer)  # raises UNKNOWN_CALLER, or NODE_REVOKED for a revoked node
    directory.verify(envelope.signature, signing_input(envelope.header, envelope.body), None, signer, now)

    # Step 3.
    header = parse_strict(envelope_pb2.Header, envelope.header, "Header")
    if header.caller != signer:
        raise VerificationError(Reason.SIGNATURE_INVALID, signer,
                                (f"请求头中的调用方 {header.caller} 与签名者不符", f"header caller {header.caller} is not the signer"))
    identifiers.check_node_id(header.target)
    return header


def verify_hops(envelope: envelope_pb2.Envelope, header: envelope_pb2.Header, directory: DirectoryView,
                self_id: str, now: datetime.datetime) -> tuple[envelope_pb2.Hop, ...]:
    """Verify every hop entry and that the chain ends at this node; return the parsed hops.

    1. Each hop's signature verifies with its node's key from the directory.
    2. Each hop's node may forward (civil affairs or the ministry link).
    3. Each hop's ``received_sha256`` equals the chain digest of what came before.
    4. Each hop starts where the previous one was sent to; the last hop was
       sent to this node.
    5. Each step from the caller through every forwarder to this node
       follows a parent-child edge of the directory. So no forwarder on the
       route was skipped (such as the province between a city and a
       department), and the first forwarder is not the caller itself.
    """
    hops: list[envelope_pb2.Hop] = []
    previous_to = ""
    for index, signed_hop in enumerate(envelope.hops):
        label = f"hop[{index}]"
        # Step 1. A revoked forwarder keeps its own reason, so operators see why.
        directory.node(signed_hop.signature.signer)
        try:
            directory.verify(signed_hop.signature, signed_hop.hop, None, label, now)
        except HeduiError as exc:
            raise HeduiError(Reason.HOP_CHAIN_INVALID, signed_hop.signature.signer[:80],
                             (exc.message("zh"), exc.message("en"))) from exc
        hop = parse_strict(envelope_pb2.Hop, signed_hop.hop, "Hop")
        if hop.node != signed_hop.signature.signer:
            raise HeduiError(Reason.HOP_CHAIN_INVALID, hop.node, (f"{label} 的签名者不是转发节点", f"{label} is not signed by its node"))

        # Step 2.
        if directory.node(hop.node).role not in FORWARDING_ROLES:
            raise HeduiError(Reason.HOP_CHAIN_INVALID, hop.node, (f"{label} 的节点无权转发", f"{label} node may not forward"))

        # Step 3.
        if hop.received_sha256 != chain_digest(envelope, index):
            raise HeduiError(Reason.HOP_CHAIN_INVALID, hop.node, (f"{label} 的摘要与收到的内容不符", f"{label} digest does not match what was received"))

        # Step 4.
        if previous_to and hop.node != previous_to:
            raise HeduiError(Reason.HOP_CHAIN_INVALID, hop.node, (f"{label} 不是由上一跳的接收方转发", f"{label} does not start where the previous hop ended"))
        previous_to = hop.forwarded_to
        hops.append(hop)

    if hops and hops[-1].forwarded_to != self_id:
        raise HeduiError(Reason.HOP_CHAIN_INVALID, hops[-1].node, ("最后一跳不是发往本节点", "the last hop was not sent to this node"))
    if not hops and directory.node(header.caller).role == CLIENT and not _is_home_node(header.caller, self_id):
        raise HeduiError(Reason.HOP_CHAIN_INVALID, header.caller, ("客户端只能直接调用本单位节点", "a client may call only its own node directly"))

    # Step 5.
    route = [header.caller, *(hop.node for hop in hops), self_id]
    for sender, receiver in zip(route, route[1:]):
        if not _linked(directory, sender, receiver):
            raise HeduiError(Reason.HOP_CHAIN_INVALID, sender,
                             (f"{sender} 与 {receiver} 在目录中不是上下级，中间的转发节点缺失",
                              f"{sender} and {receiver} are not parent and child in the directory, so a forwarder is missing"))
    return tuple(hops)


def _linked(directory: DirectoryView, sender: str, receiver: str) -> bool:
    """Return True if a request may pass directly from sender to receiver along the directory tree."""
    if _is_home_node(sender, receiver):
        return True
    return directory.node(sender).parent == receiver or directory.node(receiver).parent == sender


def _is_home_node(client_id: str, node_id: str) -> bool:
    """Return True if node_id is the organisation node a client subsystem belongs to."""
    return client_id.rsplit("/", 1)[0] == node_id

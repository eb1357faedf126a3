"""Helpers for tests that change a running federation's directory: re-sign segments, bind certificates, roll out.

A test edits a copy of the signed bundle that the nodes hold. It re-signs
the edited segment with the key that signs it in a real deployment: the
anchor's key for the root, a civil affairs node's key for its delegated
segment. The result goes to the top node directly and to the nodes below it
through their own refresh from the parent, as in a deployment.
"""

from __future__ import annotations

import asyncio
import datetime
from typing import Callable

import grpc

from federation_harness import CASE_SYSTEM, ALL_CATEGORIES, RunningFederation
from exchange_helpers import HOUSEHOLD, query_body, raw_request
from hedui.gateway.directory import DirectoryView, sign_directory, verify_signed_directory
from hedui.gateway.federation import ANCHOR_ID, slug
from hedui.gateway.keys import SigningKey
from hedui.gateway.node import Node
from hedui.gateway.pki import CertificateAuthority, NodeCertificate
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.gateway.transport import TlsMaterial, Transport
from hedui.v1 import directory_pb2, exchange_pb2, exchange_pb2_grpc

EditDirectory = Callable[[directory_pb2.Directory], None]


def anchor_key(running: RunningFederation) -> SigningKey:
    """Load the trust anchor's signing key from the federation's keys folder."""
    return SigningKey.load(running.fed.root / "keys" / "anchor.key", ANCHOR_ID)


def federation_ca(running: RunningFederation) -> CertificateAuthority:
    """Load the CA that signed every node certificate of the federation."""
    folder = running.fed.root / "tls"
    return CertificateAuthority.load(folder / "ca.crt", folder / "ca.key")


def node_certificate(running: RunningFederation, node_id: str) -> NodeCertificate:
    """Load the TLS certificate and key the federation issued to a node."""
    folder = running.fed.root / "tls"
    return NodeCertificate.load(folder / f"{slug(node_id)}.crt", folder / f"{slug(node_id)}.tls.key", node_id)


def find_segment(bundle: directory_pb2.SignedDirectory, signer: str) -> directory_pb2.SignedDirectory:
    """Return the (nested) segment of a bundle signed by ``signer``; raise LookupError if there is none."""
    if bundle.signature.signer == signer:
        return bundle
    for delegation in bundle.delegations:
        try:
            return find_segment(delegation, signer)
        except LookupError:
            continue
    raise LookupError(f"no segment signed by {signer}")


def resign(bundle: directory_pb2.SignedDirectory, key: SigningKey, edit: EditDirectory,
           version: int | None = None) -> directory_pb2.SignedDirectory:
    """Return a copy of the bundle with the segment that ``key`` signs edited and signed again.

    The segment's version goes up by one unless ``version`` is given. The
    anchor's root segment goes through sign_directory, like a real release;
    a delegated segment is signed directly, as its signing node would.
    """
    updated = directory_pb2.SignedDirectory()
    updated.CopyFrom(bundle)
    segment = find_segment(updated, key.node_id)
    directory = directory_pb2.Directory.FromString(segment.directory)
    edit(directory)
    directory.version = directory.version + 1 if version is None else version
    directory.issued_at.CopyFrom(to_timestamp(utcnow()))
    if key.node_id == ANCHOR_ID:
        signed = sign_directory(directory, key)
        segment.directory = signed.directory
        segment.signature.CopyFrom(signed.signature)
    else:
        segment.directory = directory.SerializeToString(deterministic=True)
        segment.signature.CopyFrom(key.sign(segment.directory))
    return updated


def entry_of(directory: directory_pb2.Directory, node_id: str) -> directory_pb2.NodeEntry:
    """Return the entry of node_id in one segment's node list; raise LookupError if absent."""
    for entry in directory.nodes:
        if entry.node_id == node_id:
            return entry
    raise LookupError(f"{node_id} is not in this segment")


def bind_certificate(certificate: NodeCertificate, *, not_before: datetime.datetime | None = None,
                     not_after: datetime.datetime | None = None) -> EditDirectory:
    """Return an edit that binds one more TLS certificate to the certificate's node."""
    def edit(directory: directory_pb2.Directory) -> None:
        binding = entry_of(directory, certificate.node_id).tls_certificates.add(sha256=certificate.sha256)
        if not_before is not None:
            binding.not_before.CopyFrom(to_timestamp(not_before))
        if not_after is not None:
            binding.not_after.CopyFrom(to_timestamp(not_after))
    return edit


def verified(running: RunningFederation, bundle: directory_pb2.SignedDirectory) -> DirectoryView:
    """Verify a bundle against the federation's trust anchor, as a node does."""
    return verify_signed_directory(bundle, running.fed.anchor(), utcnow(), "test bundle")


def give(node: Node, running: RunningFederation, bundle: directory_pb2.SignedDirectory) -> None:
    """Switch one running node to a verified bundle without a restart, in place of a new directory file."""
    node._use_directory(verified(running, bundle))


async def roll_out(running: RunningFederation, bundle: directory_pb2.SignedDirectory, top: str) -> None:
    """Give the bundle to node ``top``, then let every node below it fetch it from its parent, level by level.

    Raises AssertionError naming a node that did not adopt the bundle.
    """
    give(running.nodes[top], running, bundle)
    level = [top]
    while level:
        below = [node_id for node_id, node in running.nodes.items()
                 if node.directory.node(node_id).parent in level]
        adopted = await asyncio.gather(*(running.nodes[node_id].refresh_directory() for node_id in below))
        stale = [node_id for node_id, ok in zip(below, adopted) if not ok]
        if stale:
            raise AssertionError(f"these nodes did not adopt the new directory: {stale}")
        level = below


def case_request(running: RunningFederation, key: SigningKey | None = None) -> exchange_pb2.VerifyRequest:
    """Return a fresh request from the case system to the province, signed with ``key`` (default: its file key)."""
    authorization = running.authorization(HOUSEHOLD, categories=ALL_CATEGORIES)
    body = query_body(authorization, [number for number, _, _ in HOUSEHOLD], ALL_CATEGORIES)
    return raw_request(key or running.fed.load_key(CASE_SYSTEM), body)


async def verify_presenting(running: RunningFederation, node_id: str, certificate: NodeCertificate,
                            request: exchange_pb2.VerifyRequest,
                            timeout: float = 5.0) -> exchange_pb2.VerifyResponse:
    """Send one Verify call to node_id on a fresh channel that presents ``certificate`` as the client."""
    ca_pem = (running.fed.root / "tls" / "ca.crt").read_bytes()
    material = TlsMaterial(ca_pem, certificate.cert_pem, certificate.key_pem)
    async with Transport(material).channel(running.fed.addresses[node_id], node_id) as channel:
        return await exchange_pb2_grpc.ExchangeServiceStub(channel).Verify(request, timeout=timeout)


async def rejection_presenting(running: RunningFederation, node_id: str, certificate: NodeCertificate,
                               request: exchange_pb2.VerifyRequest) -> grpc.aio.AioRpcError:
    """Send one Verify call that must fail, presenting ``certificate``, and return the error."""
    try:
        await verify_presenting(running, node_id, certificate, request)
    except grpc.aio.AioRpcError as error:
        return error
    raise AssertionError(f"Verify at {node_id} succeeded but a rejection was expected")

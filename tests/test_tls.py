"""Mutual TLS between a client and a node on loopback: which client certificates a node accepts.

gRPC checks that the client certificate chains to the federation CA and is
inside its X.509 validity. A call that fails there never reaches the node and
ends as UNAVAILABLE. The node then looks the certificate up in its
directory: it must be bound, inside its binding window, to the node that sent
the request. Each test calls the Taiyuan city node as the case system.
"""

from __future__ import annotations

import datetime

import grpc
import pytest
from cryptography import x509

from directory_edits import (anchor_key, bind_certificate, case_request, federation_ca, give, node_certificate,
                             rejection_presenting, resign, verify_presenting)
from exchange_helpers import assert_audited_once, assert_status, fixed_departments, rejected_entries, status_details
from federation_harness import CASE_SYSTEM, CITY, GA, PROVINCE, start_federation
from hedui.gateway.pki import CertificateAuthority
from hedui.gateway.timeutil import utcnow

UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
UNAVAILABLE = grpc.StatusCode.UNAVAILABLE


def assert_peer_unknown(error: grpc.aio.AioRpcError) -> None:
    """Check a TLS_PEER_UNKNOWN status: code, reason and a message in each language.

    NOTE: assert_status would fail here because the English catalog text of
    TLS_PEER_UNKNOWN contains a non-ASCII ellipsis ("…").
    """
    info, messages = status_details(error)
    assert error.code() == UNAUTHENTICATED, error.details()
    assert info.reason == "TLS_PEER_UNKNOWN", error.details()
    assert messages["zh-CN"], messages
    assert messages["en-US"], messages


@pytest.fixture
async def fed(tmp_path):
    running = await start_federation(tmp_path, adapters={}, overrides=fixed_departments())
    yield running
    await running.close()


# A client the directory does not know.

async def test_bound_certificate_accepted(fed):
    response = await verify_presenting(fed, CITY, node_certificate(fed, CASE_SYSTEM), case_request(fed))
    assert response.signature.signer == PROVINCE


async def test_other_ca_rejected_at_handshake(fed):
    stranger = CertificateAuthority.create("another CA").issue(CASE_SYSTEM)
    error = await rejection_presenting(fed, CITY, stranger, case_request(fed))
    assert error.code() == UNAVAILABLE
    assert await rejected_entries(fed.nodes[CITY]) == []


async def test_unbound_certificate_rejected(fed):
    unbound = federation_ca(fed).issue(CASE_SYSTEM)
    error = await rejection_presenting(fed, CITY, unbound, case_request(fed))
    assert_peer_unknown(error)
    info, _ = status_details(error)
    assert info.metadata["value"] == unbound.sha256.hex()[:16]
    await assert_audited_once(fed.nodes[CITY], "TLS_PEER_UNKNOWN")


async def test_unbound_certificate_audited_with_caller(fed):
    unbound = federation_ca(fed).issue(CASE_SYSTEM)
    await rejection_presenting(fed, CITY, unbound, case_request(fed))
    [entry] = await rejected_entries(fed.nodes[CITY])
    assert entry.caller == CASE_SYSTEM
    assert entry.request_id


# A certificate of another node.

async def test_other_nodes_certificate_rejected(fed):
    error = await rejection_presenting(fed, CITY, node_certificate(fed, GA), case_request(fed))
    assert_status(error, UNAUTHENTICATED, "TLS_PEER_MISMATCH")
    await assert_audited_once(fed.nodes[CITY], "TLS_PEER_MISMATCH")


async def test_mismatch_names_both_nodes(fed):
    error = await rejection_presenting(fed, CITY, node_certificate(fed, GA), case_request(fed))
    info, messages = status_details(error)
    assert info.metadata["value"] == GA
    assert info.metadata["detail"] == CASE_SYSTEM
    assert GA in messages["zh-CN"]
    assert CASE_SYSTEM in messages["zh-CN"]
    assert GA in messages["en-US"]
    assert CASE_SYSTEM in messages["en-US"]


# Expiry: the directory's binding window and the certificate's own validity.

async def test_binding_window_over(fed):
    now = utcnow()
    certificate = federation_ca(fed).issue(CASE_SYSTEM)
    ended = bind_certificate(certificate, not_before=now - datetime.timedelta(days=2),
                             not_after=now - datetime.timedelta(minutes=1))
    give(fed.nodes[CITY], fed, resign(fed.directory.signed, anchor_key(fed), ended))

    error = await rejection_presenting(fed, CITY, certificate, case_request(fed))
    assert_peer_unknown(error)
    await assert_audited_once(fed.nodes[CITY], "TLS_PEER_UNKNOWN")


async def test_binding_window_not_started(fed):
    now = utcnow()
    certificate = federation_ca(fed).issue(CASE_SYSTEM)
    future = bind_certificate(certificate, not_before=now + datetime.timedelta(hours=1),
                              not_after=now + datetime.timedelta(days=2))
    give(fed.nodes[CITY], fed, resign(fed.directory.signed, anchor_key(fed), future))

    error = await rejection_presenting(fed, CITY, certificate, case_request(fed))
    assert_peer_unknown(error)


async def test_binding_window_open(fed):
    now = utcnow()
    certificate = federation_ca(fed).issue(CASE_SYSTEM)
    current = bind_certificate(certificate, not_before=now - datetime.timedelta(minutes=1),
                               not_after=now + datetime.timedelta(days=2))
    give(fed.nodes[CITY], fed, resign(fed.directory.signed, anchor_key(fed), current))

    response = await verify_presenting(fed, CITY, certificate, case_request(fed))
    assert response.signature.signer == PROVINCE


async def test_expired_certificate_rejected_at_handshake(fed):
    # The CA cuts a certificate to its own window, so the expired one starts with the CA.
    # It is bound without a window, so only its own X.509 validity can reject it.
    ca = federation_ca(fed)
    ca_start = x509.load_pem_x509_certificate(ca.cert_pem).not_valid_before_utc
    expired = ca.issue(CASE_SYSTEM, not_before=ca_start, valid_for=datetime.timedelta(minutes=1))
    assert expired.not_after < utcnow()
    give(fed.nodes[CITY], fed, resign(fed.directory.signed, anchor_key(fed), bind_certificate(expired)))

    error = await rejection_presenting(fed, CITY, expired, case_request(fed))
    assert error.code() == UNAVAILABLE
    assert await rejected_entries(fed.nodes[CITY]) == []

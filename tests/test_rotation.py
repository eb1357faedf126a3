"""Rotating signing keys and TLS certificates, and revoking a node, through new directory versions.

A rotation lists the new key or certificate beside the old one for an
overlap, then retires the old one by giving it a not_after in the past. Each
new version is signed with the anchor key and rolled out from the province
to the nodes below it through their own refresh, while the nodes serve.
"""

from __future__ import annotations

import asyncio
import datetime

import grpc
import pytest

from directory_edits import (anchor_key, bind_certificate, case_request, entry_of, federation_ca, give,
                             node_certificate, rejection_presenting, resign, roll_out, verify_presenting)
from exchange_helpers import (assert_audited_once, assert_status, call_verify, fixed_departments, forwarded,
                              rejected_entries, rejection_of, status_details)
from federation_harness import CASE_SYSTEM, CITY, PROVINCE, RunningFederation, start_federation
from hedui.gateway.keys import ED25519, SigningKey
from hedui.gateway.pki import NodeCertificate
from hedui.gateway.timeutil import to_timestamp, utcnow
from hedui.v1 import directory_pb2

UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
PERMISSION_DENIED = grpc.StatusCode.PERMISSION_DENIED
OVERLAP = datetime.timedelta(days=1)


@pytest.fixture
async def fed(tmp_path):
    running = await start_federation(tmp_path, adapters={}, overrides=fixed_departments())
    yield running
    await running.close()


def add_key(key: SigningKey):
    """Return an edit that lists one more signing key for the key's node, valid from a minute ago."""
    def edit(directory: directory_pb2.Directory) -> None:
        entry_of(directory, key.node_id).keys.add(
            key_id=key.key_id, algorithm=ED25519, public_key=key.public_key,
            not_before=to_timestamp(utcnow() - datetime.timedelta(minutes=1)))
    return edit


def end_key(key: SigningKey, at: datetime.datetime):
    """Return an edit that ends a listed signing key's validity at ``at``."""
    def edit(directory: directory_pb2.Directory) -> None:
        for listed in entry_of(directory, key.node_id).keys:
            if listed.key_id == key.key_id:
                listed.not_after.CopyFrom(to_timestamp(at))
    return edit


def end_certificate(certificate: NodeCertificate, at: datetime.datetime):
    """Return an edit that ends a bound certificate's acceptance at ``at``."""
    def edit(directory: directory_pb2.Directory) -> None:
        for binding in entry_of(directory, certificate.node_id).tls_certificates:
            if binding.sha256 == certificate.sha256:
                binding.not_after.CopyFrom(to_timestamp(at))
    return edit


def both(*edits):
    """Return an edit that applies each edit in turn."""
    def edit(directory: directory_pb2.Directory) -> None:
        for step in edits:
            step(directory)
    return edit


def key_versions(running: RunningFederation, old: SigningKey, new: SigningKey):
    """Return the overlap bundle (both keys, the old one ending tomorrow) and the bundle that retires the old key."""
    anchor = anchor_key(running)
    overlap = resign(running.directory.signed, anchor, both(add_key(new), end_key(old, utcnow() + OVERLAP)))
    retired = resign(overlap, anchor, end_key(old, utcnow() - datetime.timedelta(minutes=1)))
    return overlap, retired


async def accepted(running: RunningFederation, key: SigningKey) -> bool:
    """Send a request signed with ``key`` through the city and return whether the province signed the response.

    A rejected call raises grpc.aio.AioRpcError.
    """
    response = await call_verify(running.fed.addresses[CITY], case_request(running, key))
    return response.signature.signer == PROVINCE


# Signing keys.

@pytest.fixture
async def keys(fed):
    """Return the case system's key from its file and a new key for the same node."""
    return fed.fed.load_key(CASE_SYSTEM), SigningKey.generate(CASE_SYSTEM)


async def test_new_key_unknown_before_rotation(fed, keys):
    _, new = keys
    error = await rejection_of(fed.fed.addresses[CITY], case_request(fed, new))
    assert_status(error, UNAUTHENTICATED, "UNKNOWN_KEY")


async def test_old_key_accepted_in_overlap(fed, keys):
    old, new = keys
    overlap, _ = key_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    assert await accepted(fed, old)


async def test_new_key_accepted_in_overlap(fed, keys):
    old, new = keys
    overlap, _ = key_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    assert await accepted(fed, new)


async def test_old_key_rejected_after_overlap(fed, keys):
    old, new = keys
    overlap, retired = key_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    await roll_out(fed, retired, PROVINCE)

    error = await rejection_of(fed.fed.addresses[CITY], case_request(fed, old))
    assert_status(error, UNAUTHENTICATED, "UNKNOWN_KEY")
    await assert_audited_once(fed.nodes[CITY], "UNKNOWN_KEY")


async def test_new_key_accepted_after_overlap(fed, keys):
    old, new = keys
    overlap, retired = key_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    await roll_out(fed, retired, PROVINCE)
    assert await accepted(fed, new)


async def test_province_rejects_retired_key(fed, keys):
    # The city still has the overlap version, so only the province's newer copy can reject the old key.
    old, new = keys
    overlap, retired = key_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    give(fed.nodes[PROVINCE], fed, retired)

    request = forwarded(fed, case_request(fed, old), [(CITY, PROVINCE)])
    error = await rejection_of(fed.fed.addresses[PROVINCE], request)
    assert_status(error, UNAUTHENTICATED, "UNKNOWN_KEY")


async def calls_across(running: RunningFederation, key: SigningKey, bundle) -> list[tuple[int, bool]]:
    """Send requests signed with ``key`` one after another while the bundle rolls out.

    The roll-out starts once the first call has returned, and calls go on
    until two have started after it finished. Returns one (city directory
    version, accepted) pair per call.
    """
    outcomes: list[tuple[int, bool]] = []
    first_done = asyncio.Event()

    async def roll() -> None:
        await first_done.wait()
        await roll_out(running, bundle, PROVINCE)

    async def call_until_rolled_out(rolling: asyncio.Task) -> None:
        after = 0
        while after < 2:
            finished_before = rolling.done()
            version = running.nodes[CITY].directory.version
            try:
                ok = await accepted(running, key)
            except grpc.aio.AioRpcError:
                ok = False
            outcomes.append((version, ok))
            first_done.set()
            if finished_before:
                after += 1
            # Yield so the roll-out runs between calls, not only once the calls stop.
            await asyncio.sleep(0.01)

    rolling = asyncio.create_task(roll())
    await asyncio.wait_for(call_until_rolled_out(rolling), timeout=8)
    await rolling
    return outcomes


async def test_rotation_without_downtime(fed, keys):
    old, new = keys
    overlap, retired = key_versions(fed, old, new)

    with_old_key = await calls_across(fed, old, overlap)
    with_new_key = await calls_across(fed, new, retired)

    assert all(ok for _, ok in with_old_key), with_old_key
    assert {version for version, _ in with_old_key} == {1, 2}
    assert all(ok for _, ok in with_new_key), with_new_key
    assert {version for version, _ in with_new_key} == {2, 3}


# TLS certificates.

def certificate_versions(running: RunningFederation, old: NodeCertificate, new: NodeCertificate):
    """Return the overlap bundle (both certificates, the old one ending tomorrow) and the one that retires it."""
    anchor = anchor_key(running)
    overlap = resign(running.directory.signed, anchor, both(bind_certificate(new), end_certificate(old, utcnow() + OVERLAP)))
    retired = resign(overlap, anchor, end_certificate(old, utcnow() - datetime.timedelta(minutes=1)))
    return overlap, retired


@pytest.fixture
async def certificates(fed):
    """Return the case system's certificate from its files and a new one from the federation CA."""
    return node_certificate(fed, CASE_SYSTEM), federation_ca(fed).issue(CASE_SYSTEM)


async def test_old_certificate_accepted_in_overlap(fed, certificates):
    old, new = certificates
    overlap, _ = certificate_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    response = await verify_presenting(fed, CITY, old, case_request(fed))
    assert response.signature.signer == PROVINCE


async def test_new_certificate_accepted_in_overlap(fed, certificates):
    old, new = certificates
    overlap, _ = certificate_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    response = await verify_presenting(fed, CITY, new, case_request(fed))
    assert response.signature.signer == PROVINCE


async def test_old_certificate_rejected_after_overlap(fed, certificates):
    old, new = certificates
    overlap, retired = certificate_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    await roll_out(fed, retired, PROVINCE)

    error = await rejection_presenting(fed, CITY, old, case_request(fed))
    info, _ = status_details(error)
    assert error.code() == UNAUTHENTICATED
    assert info.reason == "TLS_PEER_UNKNOWN"
    await assert_audited_once(fed.nodes[CITY], "TLS_PEER_UNKNOWN")


async def test_new_certificate_accepted_after_overlap(fed, certificates):
    old, new = certificates
    overlap, retired = certificate_versions(fed, old, new)
    await roll_out(fed, overlap, PROVINCE)
    await roll_out(fed, retired, PROVINCE)
    response = await verify_presenting(fed, CITY, new, case_request(fed))
    assert response.signature.signer == PROVINCE


# A revoked node.

def revoked_city(running: RunningFederation):
    """Return a bundle in which the city is revoked."""
    def revoke(directory: directory_pb2.Directory) -> None:
        entry_of(directory, CITY).revoked = True
    return resign(running.directory.signed, anchor_key(running), revoke)


async def test_province_accepts_city_before_revocation(fed):
    request = forwarded(fed, case_request(fed), [(CITY, PROVINCE)])
    response = await call_verify(fed.fed.addresses[PROVINCE], request)
    assert response.signature.signer == PROVINCE


REVOKED_REASONS = {"NODE_REVOKED"}


async def test_province_rejects_revoked_city(fed):
    give(fed.nodes[PROVINCE], fed, revoked_city(fed))

    request = forwarded(fed, case_request(fed), [(CITY, PROVINCE)])
    error = await rejection_of(fed.fed.addresses[PROVINCE], request)
    info, _ = status_details(error)
    assert info.reason in REVOKED_REASONS, error.details()
    assert [entry.reason for entry in await rejected_entries(fed.nodes[PROVINCE])] == [info.reason]


async def test_revoked_city_reason(fed):
    give(fed.nodes[PROVINCE], fed, revoked_city(fed))

    request = forwarded(fed, case_request(fed), [(CITY, PROVINCE)])
    error = await rejection_of(fed.fed.addresses[PROVINCE], request)
    assert_status(error, PERMISSION_DENIED, "NODE_REVOKED")


async def test_revoked_city_reaches_case_system(fed):
    # The city itself has not seen the new version, so it forwards and passes the province's rejection back.
    before = await call_verify(fed.fed.addresses[CITY], case_request(fed))
    give(fed.nodes[PROVINCE], fed, revoked_city(fed))

    error = await rejection_of(fed.fed.addresses[CITY], case_request(fed))
    info, _ = status_details(error)
    assert before.signature.signer == PROVINCE
    assert info.reason in REVOKED_REASONS, error.details()


# Rolling a node's own key and certificate in place, without a restart.

async def test_city_rolls_key_and_certificate_in_place(fed):
    city = fed.nodes[CITY]
    old_key, old_certificate = fed.fed.load_key(CITY), node_certificate(fed, CITY)
    new_key, new_certificate = SigningKey.generate(CITY), federation_ca(fed).issue(CITY)
    anchor = anchor_key(fed)
    overlap = resign(fed.directory.signed, anchor, both(
        add_key(new_key), end_key(old_key, utcnow() + OVERLAP),
        bind_certificate(new_certificate), end_certificate(old_certificate, utcnow() + OVERLAP)))
    await roll_out(fed, overlap, PROVINCE)

    # The operator puts the new files where the configuration points and sends SIGHUP.
    new_key.save(city.config.key_file)
    new_certificate.save(city.config.tls_cert, city.config.tls_key)
    waited = await city.reload_credentials()
    # Once the new version has had time to spread (here: no wait), the node switches.
    switched = await city.reload_credentials(grace=0)
    during = await accepted(fed, fed.fed.load_key(CASE_SYSTEM))

    retired = resign(overlap, anchor, both(end_key(old_key, utcnow() - datetime.timedelta(minutes=1)),
                                           end_certificate(old_certificate, utcnow() - datetime.timedelta(minutes=1))))
    await roll_out(fed, retired, PROVINCE)
    after = await accepted(fed, fed.fed.load_key(CASE_SYSTEM))

    assert not waited
    assert switched
    assert city.key.key_id == new_key.key_id
    assert during
    assert after


async def test_reload_refuses_key_not_in_directory(fed):
    city = fed.nodes[CITY]
    old_key = fed.fed.load_key(CITY)
    SigningKey.generate(CITY).save(city.config.key_file)

    switched = await city.reload_credentials(grace=0)
    # Put the file back, because the test issues its authorizations with the city's key file.
    old_key.save(city.config.key_file)

    assert not switched
    assert city.key.key_id == old_key.key_id
    assert await accepted(fed, fed.fed.load_key(CASE_SYSTEM))

"""The node: checks a Verify request and routes it, fans it out or answers it as the data owner."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import fcntl
import hashlib
import logging
import pathlib
import secrets
from typing import Any, Callable

import grpc

from hedui import __version__
from hedui.gateway import authorization, directory_sync, envelope, identifiers, questions
from hedui.gateway.answers import Minimisation, fill_answer, finish_report
from hedui.gateway.audit import AuditEntry, AuditLog
from hedui.gateway.config import NodeConfig
from hedui.gateway.directory import DirectoryView, TrustAnchor, load_signed_directory, verify_signed_directory
from hedui.gateway.errors import HeduiError, Reason, from_rpc_error
from hedui.gateway.fanout import ask_department
from hedui.gateway.keys import SigningKey
from hedui.gateway.messages import check_rules, parse_strict
from hedui.gateway.records import check_record_kind
from hedui.gateway.replay import ReplayGuard
from hedui.gateway.state import NodeState
from hedui.gateway.timeutil import from_timestamp, iso, to_timestamp, utcnow
from hedui.gateway.pki import certificate_sha256
from hedui.gateway.transport import TlsMaterial, Transport
from hedui.v1 import exchange_pb2, exchange_pb2_grpc

log = logging.getLogger(__name__)

VERIFY_QUERY_TYPE = "hedui.v1.VerifyQuery"
# gRPC metadata key naming the node that relayed a revocation list.
RELAYED_FROM_HEADER = "x-hedui-relayed-from"
# Audit entries of requests whose caller could not be established name this node id.
UNKNOWN_CALLER = "000000/UNKNOWN"
# Time kept back from the caller's deadline so this node can still build
# and audit its report after the slowest department gives up.
DEADLINE_MARGIN_SECONDS = 0.25


@dataclasses.dataclass
class RequestContext:
    """Facts about a request gathered so far, for its audit entry if it is rejected."""

    request_id: str = ""
    caller: str = ""
    nonce: bytes = b""
    issued_at: datetime.datetime | None = None
    members: tuple[str, ...] = ()
    categories: tuple[int, ...] = ()
    purpose: int = 0
    authorization_id: str = ""
    minimisation: Minimisation = Minimisation(0)


def _newer_cached_directory(directory: DirectoryView, config: NodeConfig, anchor: TrustAnchor,
                            now: datetime.datetime) -> DirectoryView:
    """Return the cached copy from an earlier fetch if it verifies and is newer than the configured file."""
    cache = config.data_dir / directory_sync.CACHE_NAME
    if not cache.exists():
        return directory
    try:
        cached = load_signed_directory(cache, anchor, now)
    except HeduiError as exc:
        log.warning("cached directory ignored path=%s reason=%s", cache, exc.reason)
        return directory
    return cached if directory_sync.is_newer(cached, directory) else directory


def _lock_data_dir(config: NodeConfig) -> Any:
    """Hold an exclusive lock on the data folder, so two node processes never share one audit log."""
    handle = open(config.data_dir / ".lock", "a+")  # noqa: SIM115 - held open for the node's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise HeduiError(Reason.CONFIG_INVALID, str(config.path or config.base_dir),
                         (f"数据目录 {config.data_dir} 已被另一个节点进程使用", f"data folder {config.data_dir} is in use by another node process"),
                         "data_dir") from None
    return handle


def load_audit_key(path: pathlib.Path) -> bytes:
    """Read the audit HMAC key, creating a random one with owner-only permissions on first start."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    key = path.read_bytes()
    if len(key) < 32:
        raise HeduiError(Reason.CONFIG_INVALID, str(path), ("审计密钥少于 32 字节", "the audit key is shorter than 32 bytes"))
    return key


def _adapter_failure(exc: Exception) -> tuple[str, str]:
    """Return a (Chinese, English) detail for an adapter error.

    Most adapters word their errors in Chinese only, so the English detail
    names the kind of failure unless the error carries its own English text.
    """
    from hedui.adapters import base

    english = {
        base.AdapterTimeout: "the department system did not respond within the adapter's timeout",
        base.AdapterUnavailable: "the department system could not be reached or kept failing",
        base.AdapterRejected: "the department system rejected the request",
        base.AdapterDataError: "the department system returned data that does not map to a standard record",
    }
    kind = next((text for cls, text in english.items() if isinstance(exc, cls)), "the adapter failed")
    message = getattr(exc, "message", None)
    if callable(message):
        kind = str(message("en")).rstrip(".")[:200]
    return str(exc).rstrip("。")[:200], kind


class Node:
    """One federation node. Its configuration is fixed once it serves."""

    def __init__(self, config: NodeConfig, key: SigningKey, directory: DirectoryView, audit: AuditLog,
                 state: NodeState, adapter: Any | None, now: Callable[[], datetime.datetime] = utcnow,
                 transport: Transport | None = None) -> None:
        self.config = config
        self.id = config.node_id
        self.key = key
        self.directory = directory
        self.audit = audit
        self.state = state
        self.adapter = adapter
        self.now = now
        self.replay = ReplayGuard(datetime.timedelta(seconds=config.clock_skew_seconds))
        self.started_at = now()
        self.transport = transport or Transport(None)
        self.anchor: TrustAnchor | None = None
        self._key_ref: list[SigningKey] = [key]
        self._lock: Any = None
        # When this node's directory first listed a key id or certificate fingerprint.
        self._first_listed: dict[str, datetime.datetime] = {}
        self._channels: dict[tuple[str, str], grpc.aio.Channel] = {}

    @classmethod
    async def start(cls, config: NodeConfig, now: Callable[[], datetime.datetime] = utcnow) -> "Node":
        """Load keys, verify the directory, open the stores and seed the replay guard.

        Raises HeduiError (DIRECTORY_UNSIGNED, DIRECTORY_SIGNATURE_INVALID,
        DIRECTORY_EXPIRED, ...) when the node must not start.
        """
        anchor = TrustAnchor.load(config.trust_anchor_file)
        directory = load_signed_directory(config.directory_file, anchor, now())
        directory = _newer_cached_directory(directory, config, anchor, now())
        if config.node_id not in directory:
            raise HeduiError(Reason.CONFIG_INVALID, str(config.path or config.base_dir),
                             (f"节点 {config.node_id} 不在联邦目录 {config.directory_file} 中",
                              f"node {config.node_id} is not in the directory {config.directory_file}"), "id")
        key = SigningKey.load(config.key_file, config.node_id)
        directory.public_key(config.node_id, key.key_id, now())

        config.data_dir.mkdir(parents=True, exist_ok=True)
        lock = _lock_data_dir(config)
        current_key = [key]
        audit = await AuditLog.open(
            config.data_dir / "audit.sqlite",
            node_id=config.node_id,
            digest_key=load_audit_key(config.audit_key_file),
            # Checkpoints follow the node's current key, which reload_credentials may switch.
            signer=lambda data: current_key[0].sign_raw(data),
        )
        state = NodeState(config.data_dir / "state.sqlite")
        adapter = None
        if config.adapter is not None:
            from hedui.adapters.base import AdapterConfigError
            from hedui.adapters.factory import build_adapter

            try:
                adapter = build_adapter(config.adapter, config.base_dir)
            except AdapterConfigError as exc:
                text = str(exc).rstrip("。.")
                raise HeduiError(Reason.CONFIG_INVALID, str(config.path or config.base_dir), (text, text), "adapter") from exc
        tls = None
        if config.tls_ca is not None and config.tls_cert is not None and config.tls_key is not None:
            tls = TlsMaterial.load(config.tls_ca, config.tls_cert, config.tls_key)
        node = cls(config, key, directory, audit, state, adapter, now, Transport(tls))
        node.anchor = anchor
        if not (config.data_dir / directory_sync.CACHE_NAME).exists() and directory.signed is not None:
            # The cache is the node's own copy with every segment; operators export segments from it.
            directory_sync.write_cache(config.data_dir / directory_sync.CACHE_NAME, directory.signed)
        node._key_ref = current_key
        node._lock = lock
        await node._seed_replay_guard()
        return node

    # Directory distribution.

    def get_directory(self) -> exchange_pb2.GetDirectoryResponse:
        """Return the signed directory this node holds, with every segment."""
        if self.directory.signed is None:
            raise HeduiError(Reason.INTERNAL, "GetDirectory")
        return exchange_pb2.GetDirectoryResponse(directory=self.directory.signed)

    async def reload_credentials(self, grace: float | None = None) -> bool:
        """Re-read the signing key and TLS files and switch to them if they changed; return True if so.

        A new key or certificate is used only after this node's directory has
        listed it for ``grace`` seconds (default: two refresh intervals), so
        the nodes around it have fetched that version too and no request is
        refused in between. Until then the node keeps the old one and the
        next refresh tries again. Old channels are closed after the switch,
        so calls in flight finish on them.
        """
        grace = 2 * self.config.directory_refresh_seconds if grace is None else grace
        now = self.now()
        changed = False
        try:
            key = SigningKey.load(self.config.key_file, self.id)
            if key.key_id != self.key.key_id and self._listed_long_enough(key.key_id, grace, now):
                self.directory.public_key(self.id, key.key_id, now)
                self.key = key
                self._key_ref[0] = key
                changed = True
                log.info("signing key switched node_id=%s key_id=%s", self.id, key.key_id)
            config = self.config
            if config.tls_ca is not None and config.tls_cert is not None and config.tls_key is not None:
                tls = TlsMaterial.load(config.tls_ca, config.tls_cert, config.tls_key)
                fingerprint = certificate_sha256(tls.cert_pem).hex()
                if tls != self.transport.tls and self._listed_long_enough(fingerprint, grace, now):
                    self.directory.node_for_certificate(bytes.fromhex(fingerprint), now)
                    self.transport.update(tls)
                    changed = True
                    old_channels, self._channels = self._channels, {}
                    for channel in old_channels.values():
                        asyncio.get_running_loop().call_later(30, lambda c=channel: asyncio.ensure_future(c.close()))
                    log.info("TLS certificate switched node_id=%s", self.id)
        except HeduiError as exc:
            log.warning("credential reload rejected node_id=%s reason=%s detail=%s", self.id, exc.reason, exc.message("en"))
        return changed

    def _listed_long_enough(self, credential: str, grace: float, now: datetime.datetime) -> bool:
        """Return True once this node's directory has listed a key id or certificate fingerprint for ``grace`` seconds."""
        entry = self.directory.node(self.id)
        listed = any(k.key_id == credential for k in entry.keys) or any(
            c.sha256.hex() == credential for c in entry.tls_certificates)
        if not listed:
            self._first_listed.pop(credential, None)
            log.warning("credential not in the directory yet node_id=%s credential=%s", self.id, credential[:24])
            return False
        first = self._first_listed.setdefault(credential, now)
        if (now - first).total_seconds() < grace:
            log.info("credential switch waits for the directory to spread node_id=%s until=%s",
                     self.id, (first + datetime.timedelta(seconds=grace)).isoformat())
            return False
        return True

    async def refresh_directory(self) -> bool:
        """Fetch the parent's directory and adopt it if it verifies and is newer; return True if adopted.

        A failure is logged with its reason and the node keeps its current copy.
        """
        if self.anchor is None:
            return False
        adopted_file = self._refresh_from_file()
        entry = self.directory.node(self.id)
        if not entry.parent:
            return adopted_file
        parent = self.directory.node(entry.parent)
        try:
            response = await self.stub(parent).GetDirectory(
                exchange_pb2.GetDirectoryRequest(), timeout=self.config.fanout_timeout_seconds)
            candidate = response.directory
            own = directory_sync.find_segment(self.directory.signed, self.id) if self.directory.signed else None
            if own is not None and directory_sync.segment_version(own) >= directory_sync.segment_version(
                    directory_sync.find_segment(candidate, self.id)):
                # The parent may not have this node's subtree segments yet; keep the newer ones held here.
                candidate = directory_sync.replace_segment(candidate, own, self.directory)
            adopted = directory_sync.adopt(self.directory, candidate, self.anchor, self.now(),
                                           f"GetDirectory({parent.node_id})")
        except grpc.aio.AioRpcError as exc:
            log.warning("directory fetch failed parent=%s code=%s", parent.node_id, exc.code().name)
            return False
        except HeduiError as exc:
            log.warning("directory from parent rejected parent=%s reason=%s detail=%s",
                        parent.node_id, exc.reason, exc.message("en"))
            return False
        if adopted is None:
            return False
        self._use_directory(adopted)
        return True

    def _refresh_from_file(self) -> bool:
        """Adopt a newer directory an operator wrote to the configured file; return True if adopted.

        A file holding only a re-signed root keeps the segments this node
        already holds, so the ministry can renew the root without losing the
        provinces' segments.
        """
        assert self.anchor is not None and self.directory.signed is not None
        try:
            candidate = directory_sync.read_signed(self.config.directory_file)
            if not candidate.delegations:
                candidate.delegations.extend(self.directory.signed.delegations)
            adopted = directory_sync.adopt(self.directory, candidate, self.anchor, self.now(),
                                           str(self.config.directory_file), older_ok=True)
        except HeduiError as exc:
            log.warning("directory file rejected path=%s reason=%s detail=%s",
                        self.config.directory_file, exc.reason, exc.message("en"))
            return False
        if adopted is None:
            return False
        self._use_directory(adopted)
        return True

    def _use_directory(self, view: DirectoryView) -> None:
        """Switch to a verified directory and cache it on disk."""
        assert view.signed is not None
        directory_sync.write_cache(self.config.data_dir / directory_sync.CACHE_NAME, view.signed)
        self.directory = view
        log.info("directory adopted versions=%s expires_at=%s", view.segment_versions, view.expires_at.isoformat())

    async def refresh_loop(self, interval: float) -> None:
        """Refresh the directory every ``interval`` seconds, sooner as expiry nears, until cancelled.

        Waiting at most half the time left means a node tries several times
        before its copy expires, even with a long interval.
        """
        while True:
            left = (self.directory.expires_at - self.now()).total_seconds()
            await asyncio.sleep(max(1.0, min(interval, left / 2)))
            await self.refresh_directory()
            await self.reload_credentials()

    async def publish_directory(self, request: exchange_pb2.PublishDirectoryRequest,
                                peer_sha256: bytes | None) -> exchange_pb2.PublishDirectoryResponse:
        """Take a child's own signed segment into this node's directory, then hand this node's segment up.

        The segment's version must go up unless its bytes are unchanged (a
        child passing up its children's newer segments). Relaying upwards
        lets the root holder, and through it every node, learn the segment.
        """
        check_rules(request, "PublishDirectoryRequest")
        signer = request.segment.signature.signer
        now = self.now()
        self.check_peer(peer_sha256, signer, now)
        if self.directory.node(signer).parent != self.id or self.anchor is None or self.directory.signed is None:
            raise HeduiError(Reason.DIRECTORY_INVALID, signer, ("只有下级节点可向本节点提交目录分段", "only a child node may publish its segment here"))

        bundle = directory_sync.replace_segment(self.directory.signed, request.segment, self.directory)
        candidate = verify_signed_directory(bundle, self.anchor, now, f"PublishDirectory({signer})")
        held = directory_sync.find_segment(self.directory.signed, signer)
        held_version = self.directory.segment_versions.get(signer, 0)
        sent_version = candidate.segment_versions.get(signer, 0)
        changed = held is None or held.directory != request.segment.directory
        if sent_version < held_version or (sent_version == held_version and changed):
            raise HeduiError(Reason.DIRECTORY_INVALID, signer,
                             (f"分段内容已改变，版本须高于现有版本 {held_version}", f"the segment changed, so its version must be above {held_version}"))
        adopted = directory_sync.adopt(self.directory, bundle, self.anchor, now, f"PublishDirectory({signer})")
        if adopted is not None:
            self._use_directory(adopted)
            await self._publish_own_segment()
        return exchange_pb2.PublishDirectoryResponse(version=self.directory.segment_versions.get(signer, 0))

    async def _publish_own_segment(self) -> None:
        """Send this node's own segment, with the nested segments it holds, to its parent; log a failure."""
        parent_id = self.directory.node(self.id).parent
        own = directory_sync.find_segment(self.directory.signed, self.id) if self.directory.signed else None
        if not parent_id or own is None:
            return
        parent = self.directory.node(parent_id)
        try:
            await self.stub(parent).PublishDirectory(exchange_pb2.PublishDirectoryRequest(segment=own),
                                                     timeout=self.config.fanout_timeout_seconds)
        except grpc.aio.AioRpcError as exc:
            log.warning("segment relay to parent failed parent=%s reason=%s", parent_id, from_rpc_error(exc, parent_id).reason)

    async def _seed_replay_guard(self) -> None:
        """Remember requests from the audit log that the skew window would still accept."""
        since = self.now() - 2 * self.replay.skew
        for stored in await self.audit.recent(since):
            if stored.request_id and stored.issued_at is not None:
                self.replay.remember(stored.caller, stored.request_id, stored.nonce, stored.issued_at)

    async def close(self) -> None:
        """Close channels, the adapter and the stores."""
        for channel in self._channels.values():
            await channel.close()
        if self.adapter is not None:
            await self.adapter.close()
        # A signed checkpoint at shutdown lets an auditor detect a truncated tail.
        await self.audit.checkpoint()
        await self.audit.close()
        self.state.close()
        if self._lock is not None:
            self._lock.close()

    def stub(self, peer: Any) -> exchange_pb2_grpc.ExchangeServiceStub:
        """Return a stub on a cached channel to a peer node's directory entry."""
        cache_key = (peer.node_id, peer.address)
        channel = self._channels.get(cache_key)
        if channel is None:
            channel = self.transport.channel(peer.address, peer.node_id)
            self._channels[cache_key] = channel
        return exchange_pb2_grpc.ExchangeServiceStub(channel)

    # The Verify pipeline.

    async def verify(self, request: exchange_pb2.VerifyRequest, ctx: RequestContext,
                     time_remaining: float | None, peer_sha256: bytes | None = None) -> exchange_pb2.VerifyResponse:
        """Check a Verify request and answer, aggregate or forward it; raise HeduiError to reject."""
        now = self.now()
        env = request.envelope
        if now >= self.directory.expires_at:
            raise HeduiError(Reason.DIRECTORY_EXPIRED, self.directory.source, iso(self.directory.expires_at))

        header = envelope.open_envelope(env, self.directory, now)
        ctx.request_id, ctx.caller, ctx.nonce = header.request_id, header.caller, header.nonce
        ctx.issued_at = from_timestamp(header.issued_at)
        self.replay.check_and_remember(header.caller, header.request_id, header.nonce, ctx.issued_at, now)

        query = self._parse_query(header, env.body, ctx)
        hops = envelope.verify_hops(env, header, self.directory, self.id, now)
        self.check_peer(peer_sha256, hops[-1].node if hops else header.caller, now)

        record = authorization.open_authorization(query.authorization, self.directory, now)
        ctx.authorization_id = record.record_id
        policy_request = authorization.PolicyRequest(header.caller, ctx.members, ctx.categories, query.purpose)
        authorization.check_policy(record, policy_request, self.state, now)

        budget = self._budget(time_remaining)
        digest = None
        if self.adapter is not None:
            await authorization.take_use(record, self.state)
            response, digest = await self._answer(env, header, ctx, budget)
            outcome, action = "ok", "answer"
        elif header.target == self.id:
            await authorization.take_use(record, self.state)
            response, outcome = await self._aggregate(env, header, ctx, budget)
            action = "verify"
        else:
            response, outcome = await self._forward(env, header, budget), "ok"
            action = "forward"

        # An owner logs the digest of its signed answer, which is what an
        # aggregator passes on (whole, or as answer_sha256 in answers-only mode).
        await self._audit(ctx, action, outcome, "", digest or hashlib.sha256(response.report).digest())
        log.info("verify done request_id=%s caller=%s action=%s outcome=%s hops=%s",
                 header.request_id, header.caller, action, outcome, len(hops))
        return response

    def _parse_query(self, header: Any, body: bytes, ctx: RequestContext) -> exchange_pb2.VerifyQuery:
        """Parse the body as a VerifyQuery and check every member ID number."""
        if header.body_type != VERIFY_QUERY_TYPE:
            raise HeduiError(Reason.MALFORMED_MESSAGE, header.body_type[:64],
                             (f"请求体类型应为 {VERIFY_QUERY_TYPE}", f"body type must be {VERIFY_QUERY_TYPE}"))
        query = parse_strict(exchange_pb2.VerifyQuery, body, "VerifyQuery", validate=False)
        if not query.HasField("authorization"):
            raise HeduiError(Reason.AUTHORIZATION_MISSING)
        members = []
        for number in query.member_id_numbers:
            normalized = identifiers.normalize_id_number(number)
            if normalized != number:
                raise HeduiError(Reason.INVALID_ID_NUMBER, identifiers.mask_id_number(number),
                                 ("号码须为规范的 18 位形式", "the number must be in canonical 18-character form"), "member_id_numbers")
            members.append(normalized)
        ctx.members = tuple(members)
        ctx.categories = tuple(query.categories)
        ctx.purpose = query.purpose
        check_rules(query, "VerifyQuery")
        questions.check_questions(query)
        ctx.minimisation = Minimisation.of(query)
        return query

    def _budget(self, time_remaining: float | None) -> float:
        """Return the seconds this node may spend on downstream calls."""
        budget = self.config.fanout_timeout_seconds
        if time_remaining is not None:
            budget = min(budget, time_remaining - DEADLINE_MARGIN_SECONDS)
        return max(budget, 0.05)

    def _sign_report(self, report: exchange_pb2.Report) -> exchange_pb2.VerifyResponse:
        data = report.SerializeToString(deterministic=True)
        return exchange_pb2.VerifyResponse(report=data, signature=self.key.sign(data))

    async def _answer(self, env: Any, header: Any, ctx: RequestContext,
                      budget: float) -> tuple[exchange_pb2.VerifyResponse, bytes]:
        """Answer as the data owner: return a signed report around the signed answer, and the answer's SHA-256."""
        from hedui.adapters.base import AdapterError, AdapterQuery, AdapterTimeout

        adapter = self.adapter
        assert adapter is not None, "only department nodes answer as data owner"
        served = sorted(set(adapter.categories).intersection(ctx.categories))
        query = AdapterQuery(header.request_id, ctx.members, frozenset(served), ctx.purpose)
        try:
            records = await asyncio.wait_for(adapter.fetch(query), timeout=budget) if served else []
        except AdapterTimeout as exc:
            raise HeduiError(Reason.DEPARTMENT_TIMEOUT, self.id, _adapter_failure(exc)) from exc
        except asyncio.TimeoutError as exc:
            raise HeduiError(Reason.DEPARTMENT_TIMEOUT, self.id, f"{budget:.1f}s") from exc
        except AdapterError as exc:
            raise HeduiError(Reason.DEPARTMENT_UNAVAILABLE, self.id, _adapter_failure(exc)) from exc

        requested_members, served_categories = set(ctx.members), set(served)
        kept = [r for r in records if r.id_number in requested_members and r.category in served_categories]
        for record in kept:
            check_record_kind(record, self.id)

        status = exchange_pb2.SOURCE_STATUS_ANSWERED if kept else exchange_pb2.SOURCE_STATUS_NO_RECORD
        answer = exchange_pb2.Answer(
            request_id=header.request_id, responder=self.id, request_sha256=envelope.request_digest(env),
            answered_at=to_timestamp(self.now()), status=status, categories=served,
        )
        fill_answer(answer, kept, served, ctx.minimisation)
        # One validation of the answer covers every record in it.
        try:
            check_rules(answer, "Answer")
        except HeduiError as exc:
            raise HeduiError(Reason.DEPARTMENT_UNAVAILABLE, self.id,
                             (f"部门数据映射错误：{exc.detail}", f"department data mapping error: {exc.detail}")) from exc
        answer_bytes = answer.SerializeToString(deterministic=True)
        source = exchange_pb2.SourceResult(
            node=self.id, status=status, categories=served, disclosure=answer.disclosure,
            answer=exchange_pb2.SignedAnswer(answer=answer_bytes, signature=self.key.sign(answer_bytes)),
        )
        report = self._report(env, header, [source])
        if header.target == self.id:
            finish_report(report, ctx.minimisation)
        return self._sign_report(report), hashlib.sha256(answer_bytes).digest()

    def _report(self, env: Any, header: Any, sources: list[exchange_pb2.SourceResult]) -> exchange_pb2.Report:
        return exchange_pb2.Report(
            request_id=header.request_id, responder=self.id, request_sha256=envelope.request_digest(env),
            created_at=to_timestamp(self.now()), sources=sources,
        )

    async def _aggregate(self, env: Any, header: Any, ctx: RequestContext,
                         budget: float) -> tuple[exchange_pb2.VerifyResponse, str]:
        """Fan out to the owning departments in parallel under one deadline and sign one report."""
        requested = set(ctx.categories)
        departments = self.directory.departments_under(self.id, requested)
        request_sha256 = envelope.request_digest(env)
        now = self.now()
        calls = []
        for department in departments:
            forwarded = envelope.add_hop(env, self.key, department.node_id, now)
            categories = sorted(requested.intersection(department.categories))
            calls.append(ask_department(
                self.stub(department), department, exchange_pb2.VerifyRequest(envelope=forwarded),
                categories, request_sha256, budget, self.directory, now,
            ))
        sources = list(await asyncio.gather(*calls))

        unserved = sorted(requested.difference(*(d.categories for d in departments)))
        if unserved:
            sources.append(exchange_pb2.SourceResult(
                node=self.id, status=exchange_pb2.SOURCE_STATUS_UNAVAILABLE,
                reason=Reason.ROUTE_NOT_FOUND.value, categories=unserved,
            ))
        good = (exchange_pb2.SOURCE_STATUS_ANSWERED, exchange_pb2.SOURCE_STATUS_NO_RECORD)
        outcome = "ok" if all(s.status in good for s in sources) else "partial"
        report = self._report(env, header, sources)
        finish_report(report, ctx.minimisation)
        return self._sign_report(report), outcome

    async def _forward(self, env: Any, header: Any, budget: float) -> exchange_pb2.VerifyResponse:
        """Pass the request one hop toward its target and return the target's signed report."""
        neighbour = self.directory.next_hop(self.id, header.target)
        forwarded = envelope.add_hop(env, self.key, neighbour.node_id, self.now())
        try:
            response = await self.stub(neighbour).Verify(
                exchange_pb2.VerifyRequest(envelope=forwarded), timeout=budget
            )
        except grpc.aio.AioRpcError as exc:
            error = from_rpc_error(exc, neighbour.node_id)
            log.warning("forward failed request_id=%s next=%s reason=%s", header.request_id, neighbour.node_id, error.reason)
            raise error from exc
        return response

    def check_peer(self, peer_sha256: bytes | None, sender: str | None, now: datetime.datetime) -> None:
        """Raise unless the TLS client certificate is the one the directory binds to ``sender``.

        ``sender`` None accepts any node the directory binds the certificate
        to; a plaintext node (no TLS) checks nothing here.
        """
        if not self.transport.secure:
            return
        if peer_sha256 is None:
            raise HeduiError(Reason.TLS_PEER_UNKNOWN, "-")
        peer = self.directory.node_for_certificate(peer_sha256, now)
        if sender is not None and peer.node_id != sender:
            raise HeduiError(Reason.TLS_PEER_MISMATCH, peer.node_id, sender)

    async def _audit(self, ctx: RequestContext, action: str, outcome: str, reason: str, answer_sha256: bytes) -> None:
        """Append the request's audit entry and return once it is durable."""
        caller = ctx.caller if identifiers.NODE_ID_PATTERN.match(ctx.caller) else UNKNOWN_CALLER
        await self.audit.append(AuditEntry(
            occurred_at=self.now(), request_id=ctx.request_id, caller=caller,
            node=self.id, action=action, subject_id_numbers=ctx.members,
            authorization_id=ctx.authorization_id, categories=ctx.categories, outcome=outcome,
            reason=reason, answer_sha256=answer_sha256, nonce=ctx.nonce, issued_at=ctx.issued_at,
        ))

    async def audit_event(self, ctx: RequestContext, action: str, outcome: str, reason: str) -> None:
        """Record an accepted administrative request, such as a directory publication."""
        await self._audit(ctx, action, outcome, reason, b"")

    async def audit_rejection(self, ctx: RequestContext, action: str, error: HeduiError) -> None:
        """Record a rejected request; the rejection leaves only after this is durable."""
        await self._audit(ctx, action, "rejected", error.reason, b"")

    # Describe and revocations.

    def describe(self) -> exchange_pb2.DescribeResponse:
        """Return what this node serves."""
        entry = self.directory.node(self.id)
        return exchange_pb2.DescribeResponse(
            node_id=self.id, name=entry.name, categories=list(entry.categories),
            reachable_categories=sorted(self.directory.reachable_categories(self.id)),
            directory_version=self.directory.version, software_version=__version__,
            started_at=to_timestamp(self.started_at),
        )

    async def publish_revocations(self, request: exchange_pb2.PublishRevocationsRequest, ctx: RequestContext,
                                  relayed_from: str = "") -> exchange_pb2.PublishRevocationsResponse:
        """Apply a newer signed revocation list and relay it to the nodes below this one."""
        now = self.now()
        check_rules(request, "PublishRevocationsRequest")
        signed = request.revocations
        ctx.caller = signed.signature.signer
        revocations = authorization.open_revocation_list(signed, self.directory, self.state, now)
        self.state.store_revocations(revocations.issuer, revocations.version,
                                     list(revocations.revoked_record_ids), signed.SerializeToString())
        relayed = await self._relay_revocations(request, relayed_from)
        await self._audit(ctx, "publish_revocations", "ok", "", hashlib.sha256(signed.list).digest())
        log.info("revocation list applied issuer=%s version=%s relayed=%s",
                 revocations.issuer, revocations.version, len(relayed))
        return exchange_pb2.PublishRevocationsResponse(version=revocations.version, relayed_to=relayed)

    async def _relay_revocations(self, request: exchange_pb2.PublishRevocationsRequest,
                                 relayed_from: str) -> list[str]:
        """Send the list to the parent and children except the sender; return the nodes that applied it.

        Queries about the issuer's households are answered above and beside
        the issuer, so the list floods the tree. It stops because every node
        stores a version before relaying it and rejects one it already holds.
        The sender's id only saves a round trip, so it needs no signature.
        """
        entry = self.directory.node(self.id)
        neighbours = [child for child in self.directory.children(self.id) if child.address]
        if entry.parent:
            neighbours.append(self.directory.node(entry.parent))
        neighbours = [n for n in neighbours if n.node_id != relayed_from]

        async def relay(neighbour: Any) -> str | None:
            try:
                await self.stub(neighbour).PublishRevocations(
                    request, timeout=self.config.fanout_timeout_seconds, metadata=((RELAYED_FROM_HEADER, self.id),))
                return neighbour.node_id
            except grpc.aio.AioRpcError as exc:
                if from_rpc_error(exc).reason == Reason.REVOCATION_LIST_STALE.value:
                    log.debug("revocation list already held node=%s", neighbour.node_id)
                else:
                    log.warning("revocation relay failed node=%s code=%s", neighbour.node_id, exc.code().name)
                return None

        results = await asyncio.gather(*(relay(n) for n in neighbours if n.address))
        return [node_id for node_id in results if node_id]

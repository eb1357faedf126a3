"""The integrator's client: sign a query, call Verify, verify every signature, return a typed report."""

from __future__ import annotations

import asyncio
import datetime
from typing import Callable, Iterable, Sequence

import grpc

from hedui.gateway import envelope
from hedui.gateway.directory import DirectoryView
from hedui.gateway.errors import HeduiError, Reason, from_rpc_error
from hedui.gateway.fanout import open_answer, open_report
from hedui.gateway.identifiers import normalize_id_number
from hedui.gateway.keys import SigningKey
from hedui.gateway.timeutil import from_timestamp, utcnow
from hedui.gateway.transport import TlsMaterial, Transport
from hedui.sdk.low_income import LowIncomeStatus, query_low_income_status
from hedui.sdk.questions import check_answers, question_list
from hedui.sdk.report import SourceOutcome, VerificationReport
from hedui.v1 import authorization_pb2, common_pb2, exchange_pb2, exchange_pb2_grpc

_STATUS_NAMES = {value: name.removeprefix("SOURCE_STATUS_") for name, value in exchange_pb2.SourceStatus.items()}
_DISCLOSURE_NAMES = {value: name.removeprefix("DISCLOSURE_") for name, value in exchange_pb2.Disclosure.items()}


class Client:
    """An async client bound to one node address and one caller identity.

    Use ``async with Client(...)`` or call ``close()``; the channel is
    reused across calls.
    """

    def __init__(self, address: str, key: SigningKey, directory: DirectoryView, target: str,
                 now: Callable[[], datetime.datetime] = utcnow, tls: TlsMaterial | None = None,
                 server_node: str | None = None) -> None:
        """Bind to the node at ``address``; ``tls`` contains the caller's certificate for mutual TLS.

        ``server_node`` names the node at ``address`` for the TLS name check;
        by default it is the directory node with that address.
        """
        self.address = address
        self.key = key
        self.directory = directory
        self.target = target
        self.now = now
        node_id = server_node or next((n.node_id for n in directory.nodes() if n.address == address), "")
        if tls is not None and not node_id:
            raise HeduiError(Reason.ROUTE_NOT_FOUND, address, ("目录中没有该地址的节点，请传入 server_node", "no directory node has this address; pass server_node"))
        self._channel = Transport(tls).channel(address, node_id)
        self._stub = exchange_pb2_grpc.ExchangeServiceStub(self._channel)

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the channel."""
        await self._channel.close()

    def build_request(self, authorization: authorization_pb2.SignedAuthorization, members: Iterable[str],
                      categories: Iterable[int], purpose: int, case_reference: str = "", *,
                      questions: Sequence[exchange_pb2.ThresholdQuestion] = (),
                      threshold_only: bool = False) -> exchange_pb2.VerifyRequest:
        """Return a signed VerifyRequest; member ID numbers are normalised first."""
        query = exchange_pb2.VerifyQuery(
            authorization=authorization,
            member_id_numbers=[normalize_id_number(number) for number in members],
            categories=list(categories),
            purpose=purpose,
            case_reference=case_reference,
            questions=question_list(questions),
            threshold_only=threshold_only,
        )
        header = envelope.new_header(self.key.node_id, self.target, "hedui.v1.VerifyQuery", self.now())
        sealed = envelope.seal(header, query.SerializeToString(deterministic=True), self.key)
        return exchange_pb2.VerifyRequest(envelope=sealed)

    async def verify(self, authorization: authorization_pb2.SignedAuthorization, members: Iterable[str],
                     categories: Iterable[int], purpose: int, case_reference: str = "",
                     timeout: float = 15.0, *, questions: Sequence[exchange_pb2.ThresholdQuestion] = (),
                     threshold_only: bool = False) -> VerificationReport:
        """Run one verification and return the report after checking every signature in it.

        ``questions`` are threshold questions (see hedui.sdk.questions), and
        ``threshold_only`` asks for their answers without any record.
        Raises HeduiError with the node's reason code when the request is
        rejected, and VerificationError when a signature or binding in the
        answer does not verify.
        """
        request = self.build_request(authorization, members, categories, purpose, case_reference,
                                     questions=questions, threshold_only=threshold_only)
        return await self.send(request, timeout)

    async def low_income_status(self, authorization: authorization_pb2.SignedAuthorization, members: Iterable[str],
                                case_reference: str = "", *, purpose: int = common_pb2.PURPOSE_SPECIAL_ASSISTANCE,
                                timeout: float = 15.0) -> dict[str, LowIncomeStatus]:
        """Ask whether each member is in the low-income registry, under which assistance, and since when.

        The target must be a civil affairs node with a registry below it. A
        registry that fails leaves ``in_registry`` as None, never False.
        """
        return await query_low_income_status(self, authorization, members, case_reference=case_reference,
                                             purpose=purpose, timeout=timeout)

    async def send(self, request: exchange_pb2.VerifyRequest, timeout: float = 15.0) -> VerificationReport:
        """Send an already signed request and verify the report."""
        try:
            response = await self._stub.Verify(request, timeout=timeout)
        except grpc.aio.AioRpcError as exc:
            raise from_rpc_error(exc, self.address) from exc
        return self.open_response(request, response)

    async def publish_revocations(self, revocations: authorization_pb2.SignedRevocationList,
                                  timeout: float = 15.0) -> exchange_pb2.PublishRevocationsResponse:
        """Send a signed revocation list to the node, which applies it and relays it to the nodes below."""
        request = exchange_pb2.PublishRevocationsRequest(revocations=revocations)
        try:
            return await self._stub.PublishRevocations(request, timeout=timeout)
        except grpc.aio.AioRpcError as exc:
            raise from_rpc_error(exc, self.address) from exc

    def open_response(self, request: exchange_pb2.VerifyRequest,
                      response: exchange_pb2.VerifyResponse) -> VerificationReport:
        """Verify the aggregator's report and each owner's answer against the request."""
        now = self.now()
        env = request.envelope
        header = envelope.envelope_pb2.Header.FromString(env.header)
        query = exchange_pb2.VerifyQuery.FromString(env.body)
        request_sha256 = envelope.request_digest(env)

        report = open_report(response, self.target, self.directory, now)
        if report.request_id != header.request_id or report.request_sha256 != request_sha256:
            raise HeduiError(Reason.ANSWER_INVALID, self.target, ("报告不属于本次请求", "the report is not for this request"))

        members, wanted = set(query.member_id_numbers), set(query.categories)
        outcomes, signed_answers = [], {}
        for source in report.sources:
            records: tuple = ()
            answered_at = None
            verified = False
            if source.HasField("answer"):
                answer = open_answer(source.answer, source.node, request_sha256, self.directory, now)
                for record in answer.records:
                    if record.id_number not in members or record.category not in wanted:
                        raise HeduiError(Reason.ANSWER_INVALID, source.node,
                                         ("应答含有未请求的成员或类别", "the answer holds a member or category not requested"))
                if query.threshold_only and answer.records:
                    raise HeduiError(Reason.ANSWER_INVALID, source.node,
                                     ("只答是否的请求收到了记录", "an answers-only request received records"))
                records = tuple(answer.records)
                answered_at = from_timestamp(answer.answered_at)
                verified = True
                signed_answers[source.node] = answer
            elif source.answer_sha256 and not query.threshold_only:
                raise HeduiError(Reason.ANSWER_INVALID, source.node,
                                 ("汇总节点扣下了部门应答", "the aggregator withheld the owner's answer"))
            outcomes.append(SourceOutcome(
                node=source.node, status=_STATUS_NAMES.get(source.status, "UNSPECIFIED"), reason=source.reason,
                categories=tuple(source.categories), records=records, answered_at=answered_at,
                elapsed_ms=source.elapsed_ms, signature_verified=verified,
                disclosure=_DISCLOSURE_NAMES.get(source.disclosure, "UNSPECIFIED"),
                withheld_fields=tuple(signed_answers[source.node].withheld_fields) if verified else (),
                answer_sha256=source.answer_sha256,
            ))
        # The aggregator alone signs the list of sources, so it could leave one
        # out. Every requested category must therefore have a source.
        unaccounted = wanted.difference(*(source.categories for source in report.sources))
        if unaccounted:
            names = ", ".join(sorted(common_pb2.DataCategory.Name(c).removeprefix("DATA_CATEGORY_") for c in unaccounted))
            raise HeduiError(Reason.ANSWER_INVALID, self.target,
                             (f"报告缺少数据类别 {names} 的来源", f"the report has no source for categories {names}"))
        return VerificationReport(
            request_id=report.request_id, responder=report.responder, created_at=from_timestamp(report.created_at),
            members=tuple(query.member_id_numbers), categories=tuple(query.categories), sources=tuple(outcomes),
            answers=check_answers(query, report, signed_answers), threshold_only=query.threshold_only,
        )


class SyncClient:
    """A blocking wrapper around Client for scripts and non-async code."""

    def __init__(self, address: str, key: SigningKey, directory: DirectoryView, target: str,
                 tls: TlsMaterial | None = None, server_node: str | None = None) -> None:
        self._loop = asyncio.new_event_loop()
        self._client = self._loop.run_until_complete(self._make(address, key, directory, target, tls, server_node))

    @staticmethod
    async def _make(address: str, key: SigningKey, directory: DirectoryView, target: str,
                    tls: TlsMaterial | None, server_node: str | None) -> Client:
        return Client(address, key, directory, target, tls=tls, server_node=server_node)

    def verify(self, *args: object, **kwargs: object) -> VerificationReport:
        """Blocking form of Client.verify."""
        return self._loop.run_until_complete(self._client.verify(*args, **kwargs))  # type: ignore[arg-type]

    def close(self) -> None:
        """Close the channel and the private event loop."""
        self._loop.run_until_complete(self._client.close())
        self._loop.close()

    def __enter__(self) -> "SyncClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

"""Asking one department node and turning its reply into a verified SourceResult."""

from __future__ import annotations

import datetime
import logging
import time

import grpc

from hedui.gateway.directory import DirectoryView
from hedui.gateway.errors import HeduiError, Reason, from_rpc_error
from hedui.gateway.messages import parse_strict
from hedui.v1 import directory_pb2, exchange_pb2, exchange_pb2_grpc

log = logging.getLogger(__name__)

REFUSING_CODES = {
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.FAILED_PRECONDITION,
}


def open_answer(signed: exchange_pb2.SignedAnswer, expected_node: str, request_sha256: bytes,
                directory: DirectoryView, now: datetime.datetime) -> exchange_pb2.Answer:
    """Verify an owner's signed answer and its binding to the request; return the parsed answer."""
    directory.verify(signed.signature, signed.answer, expected_node, f"Answer({expected_node})", now)
    answer = parse_strict(exchange_pb2.Answer, signed.answer, "Answer")
    if answer.responder != expected_node:
        raise HeduiError(Reason.ANSWER_INVALID, expected_node, ("应答节点与签名者不符", "the responder is not the signer"))
    if answer.request_sha256 != request_sha256:
        raise HeduiError(Reason.ANSWER_INVALID, expected_node, ("应答未绑定到本次请求", "the answer is not bound to this request"))
    return answer


def open_report(response: exchange_pb2.VerifyResponse, expected_node: str,
                directory: DirectoryView, now: datetime.datetime) -> exchange_pb2.Report:
    """Verify a signed report from expected_node and return it parsed."""
    directory.verify(response.signature, response.report, expected_node, f"Report({expected_node})", now)
    return parse_strict(exchange_pb2.Report, response.report, "Report")


async def ask_department(stub: exchange_pb2_grpc.ExchangeServiceStub, department: directory_pb2.NodeEntry,
                         request: exchange_pb2.VerifyRequest, categories: list[int], request_sha256: bytes,
                         timeout: float, directory: DirectoryView, now: datetime.datetime) -> exchange_pb2.SourceResult:
    """Send the forwarded request to one department and return its SourceResult; never raises.

    A slow, dead or misbehaving department becomes that source's status, so
    it cannot hang or break the whole report.
    """
    started = time.monotonic()
    result = exchange_pb2.SourceResult(node=department.node_id, categories=categories)
    try:
        response = await stub.Verify(request, timeout=max(timeout, 0.001))
        report = open_report(response, department.node_id, directory, now)
        source = next((s for s in report.sources if s.node == department.node_id), None)
        if source is None or not source.HasField("answer"):
            raise HeduiError(Reason.ANSWER_INVALID, department.node_id, ("报告中没有该部门的应答", "the report has no answer from the department"))
        answer = open_answer(source.answer, department.node_id, request_sha256, directory, now)
        result.status = answer.status
        result.reason = answer.reason
        result.disclosure = answer.disclosure
        result.answer.CopyFrom(source.answer)
    except grpc.aio.AioRpcError as exc:
        error = from_rpc_error(exc)
        result.reason = error.reason
        if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED or error.reason == Reason.DEPARTMENT_TIMEOUT.value:
            result.status = exchange_pb2.SOURCE_STATUS_TIMED_OUT
            result.reason = Reason.DEPARTMENT_TIMEOUT.value
        elif exc.code() in REFUSING_CODES:
            result.status = exchange_pb2.SOURCE_STATUS_REFUSED
        else:
            result.status = exchange_pb2.SOURCE_STATUS_UNAVAILABLE
            if error.reason not in (Reason.DEPARTMENT_UNAVAILABLE.value, Reason.DEPARTMENT_TIMEOUT.value):
                result.reason = Reason.DEPARTMENT_UNAVAILABLE.value
        log.warning("department call failed node=%s code=%s reason=%s", department.node_id, exc.code().name, error.reason)
    except HeduiError as exc:
        result.status = exchange_pb2.SOURCE_STATUS_UNAVAILABLE
        result.reason = Reason.ANSWER_INVALID.value
        log.warning("department answer rejected node=%s reason=%s", department.node_id, exc.reason)
    result.elapsed_ms = int((time.monotonic() - started) * 1000)
    return result

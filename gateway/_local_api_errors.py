"""Errors of the local API: a reason code, Chinese and English messages, the field and the HTTP status.

The API's own reason codes (tokens, request bodies, routes) are defined
here. A rejection by the node or the federation keeps the reason code of
its HeduiError and gets the HTTP status that fits it.
"""

from __future__ import annotations

from typing import Any

from hedui.gateway.errors import HeduiError, Reason

# reason -> (HTTP status, Chinese template, English template); templates take {value} and {detail}.
API_CATALOG: dict[str, tuple[int, str, str]] = {
    "API_TOKEN_MISSING": (
        401,
        "请求未携带令牌。请在 Authorization 头中发送 Bearer 令牌（由 hedui api token add 生成）。",
        "The request carries no token. Send a Bearer token from hedui api token add in the Authorization header.",
    ),
    "API_TOKEN_INVALID": (
        401,
        "令牌无效或已被移除。请向节点运维人员申请新令牌（hedui api token add）。",
        "The token is invalid or was removed. Ask the node's operator for a new one (hedui api token add).",
    ),
    "API_PEER_NOT_LOCAL": (
        403,
        "本地 API 只接受本机回环地址的调用，来源 {value} 被拒绝。请在节点所在的机器上调用。",
        "The local API accepts calls from loopback only; the call from {value} was rejected. Call from the node's machine.",
    ),
    "API_NOT_ISSUER": (
        403,
        "节点 {value} 不是民政节点，不能签发授权记录。请调用发证机关所在节点的本地 API。",
        "Node {value} is not a civil affairs node and cannot issue authorization records. Call the issuing office's node.",
    ),
    "API_NOT_FOUND": (
        404,
        "没有这个接口：{value}。接口列表见 GET /v1/openapi.json。",
        "No such endpoint: {value}. GET /v1/openapi.json lists the endpoints.",
    ),
    "API_METHOD_NOT_ALLOWED": (
        405,
        "接口 {value} 不支持该请求方法，应使用 {detail}。",
        "Endpoint {value} does not take this method; use {detail}.",
    ),
    "API_BODY_TOO_LARGE": (
        413,
        "请求体超过上限 {detail} 字节。请检查请求内容，或请运维人员调大 local_api.max_body_bytes。",
        "The request body is larger than the limit of {detail} bytes. Check the request, or ask the operator to raise local_api.max_body_bytes.",
    ),
    "API_UNSUPPORTED_MEDIA_TYPE": (
        415,
        "请求体类型为 {value}，该接口应为 {detail}。请设置 Content-Type: {detail}。",
        "The request body type is {value}, but this endpoint takes {detail}. Set Content-Type: {detail}.",
    ),
    "API_INVALID_JSON": (
        400,
        "请求体不是有效的 JSON 对象：{detail}。",
        "The request body is not a valid JSON object: {detail}.",
    ),
    "API_UNKNOWN_FIELD": (
        400,
        "字段 {value} 无法识别。可用的字段：{detail}。",
        "Unknown field {value}. Known fields: {detail}.",
    ),
    "API_MISSING_FIELD": (
        400,
        "缺少必填字段 {value}。",
        "Required field {value} is missing.",
    ),
    "API_INVALID_FIELD": (
        400,
        "字段 {value} 无效：{detail}。",
        "Invalid field {value}: {detail}.",
    ),
    "API_UNKNOWN_NAME": (
        400,
        "字段 {value} 的取值无法识别：{detail}。",
        "Field {value} has an unknown value: {detail}.",
    ),
}

_BAD_INPUT = {reason.value for reason in (
    Reason.MALFORMED_MESSAGE, Reason.INVALID_ID_NUMBER, Reason.INVALID_DIVISION_CODE, Reason.INVALID_NODE_ID,
    Reason.INVALID_OPTION, Reason.QUESTION_INVALID,
)}
_UPSTREAM_TIMEOUT = {Reason.NODE_TIMEOUT.value, Reason.DEPARTMENT_TIMEOUT.value}
# Reasons an upstream node gives when it rejects this node's own credentials,
# messages or directory: the local caller cannot fix these, the operator can.
_UPSTREAM_FAILURE = {reason.value for reason in (
    Reason.NODE_UNAVAILABLE, Reason.DEPARTMENT_UNAVAILABLE, Reason.ANSWER_INVALID, Reason.UNKNOWN_CALLER,
    Reason.UNKNOWN_KEY, Reason.SIGNATURE_INVALID, Reason.CLOCK_SKEW, Reason.REPLAY_DETECTED,
    Reason.HOP_CHAIN_INVALID, Reason.TLS_PEER_UNKNOWN, Reason.TLS_PEER_MISMATCH, Reason.NODE_REVOKED,
    Reason.DIRECTORY_UNSIGNED, Reason.DIRECTORY_SIGNATURE_INVALID, Reason.DIRECTORY_EXPIRED, Reason.DIRECTORY_INVALID,
)}


class ApiError(Exception):
    """An error response of the local API."""

    def __init__(self, status: int, reason: str, message: str, message_en: str, field: str = "") -> None:
        super().__init__(message_en)
        self.status = status
        self.reason = reason
        self.message = message
        self.message_en = message_en
        self.field = field

    @classmethod
    def of(cls, reason: str, value: str = "", detail: str | tuple[str, str] = "", field: str = "") -> "ApiError":
        """Build an error from the API's own catalog."""
        status, zh, en = API_CATALOG[reason]
        zh_detail, en_detail = detail if isinstance(detail, tuple) else (detail, detail)
        return cls(status, reason, zh.format(value=value, detail=zh_detail), en.format(value=value, detail=en_detail), field)

    @classmethod
    def from_hedui(cls, error: HeduiError, field: str = "", upstream: bool = False) -> "ApiError":
        """Map a node or federation rejection to its HTTP status, keeping its reason code.

        With ``upstream`` a bad-input reason becomes 502: this node checked
        the request before sending it, so another node rejecting its form
        means the two nodes disagree, which the local caller cannot fix.
        """
        return cls(status_for(error.reason, upstream), error.reason, error.message("zh"), error.message("en"),
                   field or error.field)

    def body(self) -> dict[str, Any]:
        """Return the JSON error document."""
        document: dict[str, Any] = {"reason": self.reason, "message": self.message, "message_en": self.message_en}
        if self.field:
            document["field"] = self.field
        return document


def status_for(reason: str, upstream: bool = False) -> int:
    """Return the HTTP status for a HeduiError reason code."""
    if reason in _BAD_INPUT:
        return 502 if upstream else 400
    if reason == Reason.ROUTE_NOT_FOUND.value:
        return 404
    if reason.startswith("AUTHORIZATION_"):
        return 422
    if reason in _UPSTREAM_TIMEOUT:
        return 504
    if reason in _UPSTREAM_FAILURE:
        return 502
    return 500

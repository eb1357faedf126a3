"""Reason codes, the project's exception and its mapping to gRPC statuses.

Every rejection carries a stable English reason code (``google.rpc.ErrorInfo``)
and a localized message; the language is Simplified Chinese unless
``HEDUI_LANG=en`` (or the ``--lang`` option that sets it) selects English.
"""

from __future__ import annotations

import enum
import errno
import os

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from hedui.gateway._messages import CATALOG

ERROR_DOMAIN = "hedui.gov.cn"


class Reason(str, enum.Enum):
    """Stable reason codes; their values are what ErrorInfo.reason carries."""

    MALFORMED_MESSAGE = "MALFORMED_MESSAGE"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    INVALID_DIVISION_CODE = "INVALID_DIVISION_CODE"
    INVALID_NODE_ID = "INVALID_NODE_ID"
    UNKNOWN_CALLER = "UNKNOWN_CALLER"
    UNKNOWN_KEY = "UNKNOWN_KEY"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"
    CLOCK_SKEW = "CLOCK_SKEW"
    REPLAY_DETECTED = "REPLAY_DETECTED"
    HOP_CHAIN_INVALID = "HOP_CHAIN_INVALID"
    ROUTE_NOT_FOUND = "ROUTE_NOT_FOUND"
    AUTHORIZATION_MISSING = "AUTHORIZATION_MISSING"
    AUTHORIZATION_SIGNATURE_INVALID = "AUTHORIZATION_SIGNATURE_INVALID"
    AUTHORIZATION_ISSUER_NOT_ALLOWED = "AUTHORIZATION_ISSUER_NOT_ALLOWED"
    AUTHORIZATION_NOT_YET_VALID = "AUTHORIZATION_NOT_YET_VALID"
    AUTHORIZATION_EXPIRED = "AUTHORIZATION_EXPIRED"
    AUTHORIZATION_REVOKED = "AUTHORIZATION_REVOKED"
    AUTHORIZATION_USE_LIMIT_REACHED = "AUTHORIZATION_USE_LIMIT_REACHED"
    AUTHORIZATION_CALLER_NOT_GRANTEE = "AUTHORIZATION_CALLER_NOT_GRANTEE"
    AUTHORIZATION_MEMBER_NOT_COVERED = "AUTHORIZATION_MEMBER_NOT_COVERED"
    AUTHORIZATION_CATEGORY_NOT_COVERED = "AUTHORIZATION_CATEGORY_NOT_COVERED"
    AUTHORIZATION_PURPOSE_MISMATCH = "AUTHORIZATION_PURPOSE_MISMATCH"
    REVOCATION_LIST_INVALID = "REVOCATION_LIST_INVALID"
    REVOCATION_LIST_STALE = "REVOCATION_LIST_STALE"
    DEPARTMENT_UNAVAILABLE = "DEPARTMENT_UNAVAILABLE"
    DEPARTMENT_TIMEOUT = "DEPARTMENT_TIMEOUT"
    NODE_UNAVAILABLE = "NODE_UNAVAILABLE"
    NODE_REVOKED = "NODE_REVOKED"
    TLS_PEER_UNKNOWN = "TLS_PEER_UNKNOWN"
    TLS_PEER_MISMATCH = "TLS_PEER_MISMATCH"
    NODE_TIMEOUT = "NODE_TIMEOUT"
    DIRECTORY_UNSIGNED = "DIRECTORY_UNSIGNED"
    DIRECTORY_SIGNATURE_INVALID = "DIRECTORY_SIGNATURE_INVALID"
    DIRECTORY_EXPIRED = "DIRECTORY_EXPIRED"
    DIRECTORY_INVALID = "DIRECTORY_INVALID"
    CONFIG_INVALID = "CONFIG_INVALID"
    CONFIG_MISSING = "CONFIG_MISSING"
    INVALID_OPTION = "INVALID_OPTION"
    FILE_EXISTS = "FILE_EXISTS"
    KEY_INVALID = "KEY_INVALID"
    QUESTION_INVALID = "QUESTION_INVALID"
    ANSWER_INVALID = "ANSWER_INVALID"
    INTERNAL = "INTERNAL"


def current_lang() -> str:
    """Return "en" when HEDUI_LANG selects English, else "zh"."""
    return "en" if os.environ.get("HEDUI_LANG", "").lower().startswith("en") else "zh"


Detail = str | tuple[str, str]


def render(reason: str, value: str = "", detail: Detail = "", lang: str | None = None) -> str:
    """Return the localized message for a reason code.

    ``detail`` is either one string used in both languages (a time, a key id)
    or a (Chinese, English) pair.
    """
    _, zh, en = CATALOG.get(reason, CATALOG["INTERNAL"])
    english = (lang or current_lang()) == "en"
    if isinstance(detail, tuple):
        detail = detail[1] if english else detail[0]
    return (en if english else zh).format(value=value, detail=detail)


_OS_ERRORS = {
    errno.ENOENT: ("文件不存在", "no such file"),
    errno.EACCES: ("没有访问权限", "permission denied"),
    errno.EISDIR: ("这是一个目录，不是文件", "it is a folder, not a file"),
    errno.ENOTDIR: ("路径中有一段不是目录", "a part of the path is not a folder"),
}


def os_error_detail(error: OSError) -> tuple[str, str]:
    """Return a (Chinese, English) description of a file error."""
    known = _OS_ERRORS.get(error.errno or 0)
    if known is not None:
        return known
    text = error.strerror or str(error)
    return text, text


def render_detail(detail: Detail, lang: str) -> str:
    """Return the detail text in one language."""
    if isinstance(detail, tuple):
        return detail[1] if lang == "en" else detail[0]
    return detail


class HeduiError(Exception):
    """A rejection with a stable reason code, the offending value and a localized message.

    ``value`` must already be safe to show: callers mask ID numbers first.
    """

    def __init__(self, reason: Reason | str, value: str = "", detail: Detail = "", field: str = "") -> None:
        self.reason = Reason(reason).value
        self.value = value
        self.detail = detail
        self.field = field
        super().__init__(render(self.reason, value, detail))

    def message(self, lang: str | None = None) -> str:
        """Return the message in the requested language."""
        return render(self.reason, self.value, self.detail, lang)

    @property
    def grpc_code(self) -> grpc.StatusCode:
        """Return the gRPC status code for this reason."""
        return grpc.StatusCode[CATALOG[self.reason][0]]

    def to_status(self, lang: str | None = None) -> grpc.Status:
        """Build a rich gRPC status with ErrorInfo and a localized message in both languages."""
        info = error_details_pb2.ErrorInfo(
            reason=self.reason,
            domain=ERROR_DOMAIN,
            metadata={
                "value": self.value,
                "detail": render_detail(self.detail, "zh"),
                "detail_en": render_detail(self.detail, "en"),
                "field": self.field,
            },
        )
        details = [info]
        for locale, code in (("zh-CN", "zh"), ("en-US", "en")):
            details.append(error_details_pb2.LocalizedMessage(locale=locale, message=self.message(code)))

        packed = []
        for detail in details:
            holder = any_pb2.Any()
            holder.Pack(detail)
            packed.append(holder)
        code = code_pb2.Code.Value(CATALOG[self.reason][0])
        status = status_pb2.Status(code=code, message=self.message(lang), details=packed)
        return rpc_status.to_status(status)


class VerificationError(HeduiError):
    """A signature, chain or record that did not verify."""


def from_rpc_error(error: grpc.aio.AioRpcError | grpc.RpcError, peer: str = "") -> HeduiError:
    """Rebuild a HeduiError from a failed call's status details, keeping its reason code.

    A status without hedui details (the peer was unreachable or gRPC itself
    failed) becomes NODE_UNAVAILABLE or NODE_TIMEOUT naming ``peer``; gRPC's
    own text is left out because it shows addresses and internals.
    """
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                if info.reason in CATALOG:
                    detail = (info.metadata.get("detail", ""), info.metadata.get("detail_en", ""))
                    return HeduiError(info.reason, info.metadata.get("value", ""), detail,
                                      info.metadata.get("field", ""))
    code = error.code() if hasattr(error, "code") else None
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return HeduiError(Reason.NODE_TIMEOUT, peer, "")
    return HeduiError(Reason.NODE_UNAVAILABLE, peer, code.name if code else "UNKNOWN")

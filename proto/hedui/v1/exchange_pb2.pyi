import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hedui.v1 import authorization_pb2 as _authorization_pb2
from hedui.v1 import common_pb2 as _common_pb2
from hedui.v1 import directory_pb2 as _directory_pb2
from hedui.v1 import envelope_pb2 as _envelope_pb2
from hedui.v1 import records_pb2 as _records_pb2
from hedui.v1 import signature_pb2 as _signature_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SourceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOURCE_STATUS_UNSPECIFIED: _ClassVar[SourceStatus]
    SOURCE_STATUS_ANSWERED: _ClassVar[SourceStatus]
    SOURCE_STATUS_NO_RECORD: _ClassVar[SourceStatus]
    SOURCE_STATUS_REFUSED: _ClassVar[SourceStatus]
    SOURCE_STATUS_TIMED_OUT: _ClassVar[SourceStatus]
    SOURCE_STATUS_UNAVAILABLE: _ClassVar[SourceStatus]
SOURCE_STATUS_UNSPECIFIED: SourceStatus
SOURCE_STATUS_ANSWERED: SourceStatus
SOURCE_STATUS_NO_RECORD: SourceStatus
SOURCE_STATUS_REFUSED: SourceStatus
SOURCE_STATUS_TIMED_OUT: SourceStatus
SOURCE_STATUS_UNAVAILABLE: SourceStatus

class VerifyQuery(_message.Message):
    __slots__ = ("authorization", "member_id_numbers", "categories", "purpose", "case_reference")
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    authorization: _authorization_pb2.SignedAuthorization
    member_id_numbers: _containers.RepeatedScalarFieldContainer[str]
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    purpose: _common_pb2.Purpose
    case_reference: str
    def __init__(self, authorization: _Optional[_Union[_authorization_pb2.SignedAuthorization, _Mapping]] = ..., member_id_numbers: _Optional[_Iterable[str]] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., purpose: _Optional[_Union[_common_pb2.Purpose, str]] = ..., case_reference: _Optional[str] = ...) -> None: ...

class Answer(_message.Message):
    __slots__ = ("request_id", "responder", "request_sha256", "answered_at", "status", "reason", "categories", "records")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONDER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    responder: str
    request_sha256: bytes
    answered_at: _timestamp_pb2.Timestamp
    status: SourceStatus
    reason: str
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    records: _containers.RepeatedCompositeFieldContainer[_records_pb2.Record]
    def __init__(self, request_id: _Optional[str] = ..., responder: _Optional[str] = ..., request_sha256: _Optional[bytes] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[SourceStatus, str]] = ..., reason: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., records: _Optional[_Iterable[_Union[_records_pb2.Record, _Mapping]]] = ...) -> None: ...

class SignedAnswer(_message.Message):
    __slots__ = ("answer", "signature")
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    answer: bytes
    signature: _signature_pb2.Signature
    def __init__(self, answer: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ...) -> None: ...

class SourceResult(_message.Message):
    __slots__ = ("node", "status", "reason", "answer", "categories", "elapsed_ms")
    NODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    node: str
    status: SourceStatus
    reason: str
    answer: SignedAnswer
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    elapsed_ms: int
    def __init__(self, node: _Optional[str] = ..., status: _Optional[_Union[SourceStatus, str]] = ..., reason: _Optional[str] = ..., answer: _Optional[_Union[SignedAnswer, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., elapsed_ms: _Optional[int] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ("request_id", "responder", "request_sha256", "created_at", "sources")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONDER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    responder: str
    request_sha256: bytes
    created_at: _timestamp_pb2.Timestamp
    sources: _containers.RepeatedCompositeFieldContainer[SourceResult]
    def __init__(self, request_id: _Optional[str] = ..., responder: _Optional[str] = ..., request_sha256: _Optional[bytes] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sources: _Optional[_Iterable[_Union[SourceResult, _Mapping]]] = ...) -> None: ...

class VerifyRequest(_message.Message):
    __slots__ = ("envelope",)
    ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    envelope: _envelope_pb2.Envelope
    def __init__(self, envelope: _Optional[_Union[_envelope_pb2.Envelope, _Mapping]] = ...) -> None: ...

class VerifyResponse(_message.Message):
    __slots__ = ("report", "signature")
    REPORT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    report: bytes
    signature: _signature_pb2.Signature
    def __init__(self, report: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ...) -> None: ...

class DescribeRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DescribeResponse(_message.Message):
    __slots__ = ("node_id", "name", "categories", "reachable_categories", "directory_version", "software_version", "started_at")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    REACHABLE_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    DIRECTORY_VERSION_FIELD_NUMBER: _ClassVar[int]
    SOFTWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    name: str
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    reachable_categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    directory_version: int
    software_version: str
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, node_id: _Optional[str] = ..., name: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., reachable_categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., directory_version: _Optional[int] = ..., software_version: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PublishRevocationsRequest(_message.Message):
    __slots__ = ("revocations",)
    REVOCATIONS_FIELD_NUMBER: _ClassVar[int]
    revocations: _authorization_pb2.SignedRevocationList
    def __init__(self, revocations: _Optional[_Union[_authorization_pb2.SignedRevocationList, _Mapping]] = ...) -> None: ...

class PublishRevocationsResponse(_message.Message):
    __slots__ = ("version", "relayed_to")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    RELAYED_TO_FIELD_NUMBER: _ClassVar[int]
    version: int
    relayed_to: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, version: _Optional[int] = ..., relayed_to: _Optional[_Iterable[str]] = ...) -> None: ...

class GetDirectoryRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetDirectoryResponse(_message.Message):
    __slots__ = ("directory",)
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    directory: _directory_pb2.SignedDirectory
    def __init__(self, directory: _Optional[_Union[_directory_pb2.SignedDirectory, _Mapping]] = ...) -> None: ...

class PublishDirectoryRequest(_message.Message):
    __slots__ = ("segment",)
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    segment: _directory_pb2.SignedDirectory
    def __init__(self, segment: _Optional[_Union[_directory_pb2.SignedDirectory, _Mapping]] = ...) -> None: ...

class PublishDirectoryResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: int
    def __init__(self, version: _Optional[int] = ...) -> None: ...

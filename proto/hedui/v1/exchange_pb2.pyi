import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hedui.v1 import authorization_pb2 as _authorization_pb2
from hedui.v1 import common_pb2 as _common_pb2
from hedui.v1 import directory_pb2 as _directory_pb2
from hedui.v1 import envelope_pb2 as _envelope_pb2
from hedui.v1 import options_pb2 as _options_pb2
from hedui.v1 import records_pb2 as _records_pb2
from hedui.v1 import signature_pb2 as _signature_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QuestionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUESTION_KIND_UNSPECIFIED: _ClassVar[QuestionKind]
    QUESTION_KIND_VEHICLE_VALUE_ABOVE: _ClassVar[QuestionKind]
    QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME: _ClassVar[QuestionKind]
    QUESTION_KIND_INCOME_PER_MEMBER_BELOW: _ClassVar[QuestionKind]
    QUESTION_KIND_FINANCIAL_ASSETS_ABOVE: _ClassVar[QuestionKind]
    QUESTION_KIND_BUSINESS_CAPITAL_ABOVE: _ClassVar[QuestionKind]

class Disclosure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISCLOSURE_UNSPECIFIED: _ClassVar[Disclosure]
    DISCLOSURE_FULL_RECORDS: _ClassVar[Disclosure]
    DISCLOSURE_PURPOSE_LIMITED: _ClassVar[Disclosure]
    DISCLOSURE_THRESHOLD_ONLY: _ClassVar[Disclosure]

class QuestionResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUESTION_RESULT_UNSPECIFIED: _ClassVar[QuestionResult]
    QUESTION_RESULT_YES: _ClassVar[QuestionResult]
    QUESTION_RESULT_NO: _ClassVar[QuestionResult]
    QUESTION_RESULT_UNDETERMINED: _ClassVar[QuestionResult]

class SourceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOURCE_STATUS_UNSPECIFIED: _ClassVar[SourceStatus]
    SOURCE_STATUS_ANSWERED: _ClassVar[SourceStatus]
    SOURCE_STATUS_NO_RECORD: _ClassVar[SourceStatus]
    SOURCE_STATUS_REFUSED: _ClassVar[SourceStatus]
    SOURCE_STATUS_TIMED_OUT: _ClassVar[SourceStatus]
    SOURCE_STATUS_UNAVAILABLE: _ClassVar[SourceStatus]
QUESTION_KIND_UNSPECIFIED: QuestionKind
QUESTION_KIND_VEHICLE_VALUE_ABOVE: QuestionKind
QUESTION_KIND_REAL_ESTATE_BEYOND_ONE_HOME: QuestionKind
QUESTION_KIND_INCOME_PER_MEMBER_BELOW: QuestionKind
QUESTION_KIND_FINANCIAL_ASSETS_ABOVE: QuestionKind
QUESTION_KIND_BUSINESS_CAPITAL_ABOVE: QuestionKind
DISCLOSURE_UNSPECIFIED: Disclosure
DISCLOSURE_FULL_RECORDS: Disclosure
DISCLOSURE_PURPOSE_LIMITED: Disclosure
DISCLOSURE_THRESHOLD_ONLY: Disclosure
QUESTION_RESULT_UNSPECIFIED: QuestionResult
QUESTION_RESULT_YES: QuestionResult
QUESTION_RESULT_NO: QuestionResult
QUESTION_RESULT_UNDETERMINED: QuestionResult
SOURCE_STATUS_UNSPECIFIED: SourceStatus
SOURCE_STATUS_ANSWERED: SourceStatus
SOURCE_STATUS_NO_RECORD: SourceStatus
SOURCE_STATUS_REFUSED: SourceStatus
SOURCE_STATUS_TIMED_OUT: SourceStatus
SOURCE_STATUS_UNAVAILABLE: SourceStatus

class VerifyQuery(_message.Message):
    __slots__ = ("authorization", "member_id_numbers", "categories", "purpose", "case_reference", "questions", "threshold_only")
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_ONLY_FIELD_NUMBER: _ClassVar[int]
    authorization: _authorization_pb2.SignedAuthorization
    member_id_numbers: _containers.RepeatedScalarFieldContainer[str]
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    purpose: _common_pb2.Purpose
    case_reference: str
    questions: _containers.RepeatedCompositeFieldContainer[ThresholdQuestion]
    threshold_only: bool
    def __init__(self, authorization: _Optional[_Union[_authorization_pb2.SignedAuthorization, _Mapping]] = ..., member_id_numbers: _Optional[_Iterable[str]] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., purpose: _Optional[_Union[_common_pb2.Purpose, str]] = ..., case_reference: _Optional[str] = ..., questions: _Optional[_Iterable[_Union[ThresholdQuestion, _Mapping]]] = ..., threshold_only: _Optional[bool] = ...) -> None: ...

class ThresholdQuestion(_message.Message):
    __slots__ = ("id", "kind", "amount_fen")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: QuestionKind
    amount_fen: int
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[QuestionKind, str]] = ..., amount_fen: _Optional[int] = ...) -> None: ...

class Measure(_message.Message):
    __slots__ = ("question_id", "value", "records")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    value: int
    records: int
    def __init__(self, question_id: _Optional[str] = ..., value: _Optional[int] = ..., records: _Optional[int] = ...) -> None: ...

class QuestionAnswer(_message.Message):
    __slots__ = ("question_id", "kind", "amount_fen", "result", "sources", "reason")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    kind: QuestionKind
    amount_fen: int
    result: QuestionResult
    sources: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    def __init__(self, question_id: _Optional[str] = ..., kind: _Optional[_Union[QuestionKind, str]] = ..., amount_fen: _Optional[int] = ..., result: _Optional[_Union[QuestionResult, str]] = ..., sources: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ...) -> None: ...

class Answer(_message.Message):
    __slots__ = ("request_id", "responder", "request_sha256", "answered_at", "status", "reason", "categories", "records", "disclosure", "withheld_fields", "measures")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONDER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELDS_FIELD_NUMBER: _ClassVar[int]
    MEASURES_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    responder: str
    request_sha256: bytes
    answered_at: _timestamp_pb2.Timestamp
    status: SourceStatus
    reason: str
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    records: _containers.RepeatedCompositeFieldContainer[_records_pb2.Record]
    disclosure: Disclosure
    withheld_fields: _containers.RepeatedScalarFieldContainer[str]
    measures: _containers.RepeatedCompositeFieldContainer[Measure]
    def __init__(self, request_id: _Optional[str] = ..., responder: _Optional[str] = ..., request_sha256: _Optional[bytes] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[SourceStatus, str]] = ..., reason: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., records: _Optional[_Iterable[_Union[_records_pb2.Record, _Mapping]]] = ..., disclosure: _Optional[_Union[Disclosure, str]] = ..., withheld_fields: _Optional[_Iterable[str]] = ..., measures: _Optional[_Iterable[_Union[Measure, _Mapping]]] = ...) -> None: ...

class SignedAnswer(_message.Message):
    __slots__ = ("answer", "signature")
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    answer: bytes
    signature: _signature_pb2.Signature
    def __init__(self, answer: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ...) -> None: ...

class SourceResult(_message.Message):
    __slots__ = ("node", "status", "reason", "answer", "categories", "elapsed_ms", "disclosure", "answer_sha256")
    NODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURE_FIELD_NUMBER: _ClassVar[int]
    ANSWER_SHA256_FIELD_NUMBER: _ClassVar[int]
    node: str
    status: SourceStatus
    reason: str
    answer: SignedAnswer
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    elapsed_ms: int
    disclosure: Disclosure
    answer_sha256: bytes
    def __init__(self, node: _Optional[str] = ..., status: _Optional[_Union[SourceStatus, str]] = ..., reason: _Optional[str] = ..., answer: _Optional[_Union[SignedAnswer, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., elapsed_ms: _Optional[int] = ..., disclosure: _Optional[_Union[Disclosure, str]] = ..., answer_sha256: _Optional[bytes] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ("request_id", "responder", "request_sha256", "created_at", "sources", "answers")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONDER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    responder: str
    request_sha256: bytes
    created_at: _timestamp_pb2.Timestamp
    sources: _containers.RepeatedCompositeFieldContainer[SourceResult]
    answers: _containers.RepeatedCompositeFieldContainer[QuestionAnswer]
    def __init__(self, request_id: _Optional[str] = ..., responder: _Optional[str] = ..., request_sha256: _Optional[bytes] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sources: _Optional[_Iterable[_Union[SourceResult, _Mapping]]] = ..., answers: _Optional[_Iterable[_Union[QuestionAnswer, _Mapping]]] = ...) -> None: ...

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

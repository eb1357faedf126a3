import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hedui.v1 import common_pb2 as _common_pb2
from hedui.v1 import signature_pb2 as _signature_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConsentEvidence(_message.Message):
    __slots__ = ("kind", "sha256", "handling_officer")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[ConsentEvidence.Kind]
        KIND_PAPER_FORM_DIGEST: _ClassVar[ConsentEvidence.Kind]
        KIND_ELECTRONIC_SIGNATURE: _ClassVar[ConsentEvidence.Kind]
    KIND_UNSPECIFIED: ConsentEvidence.Kind
    KIND_PAPER_FORM_DIGEST: ConsentEvidence.Kind
    KIND_ELECTRONIC_SIGNATURE: ConsentEvidence.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    HANDLING_OFFICER_FIELD_NUMBER: _ClassVar[int]
    kind: ConsentEvidence.Kind
    sha256: bytes
    handling_officer: str
    def __init__(self, kind: _Optional[_Union[ConsentEvidence.Kind, str]] = ..., sha256: _Optional[bytes] = ..., handling_officer: _Optional[str] = ...) -> None: ...

class AuthorizationRecord(_message.Message):
    __slots__ = ("record_id", "issuer", "grantees", "members", "categories", "purpose", "case_reference", "not_before", "not_after", "use_limit", "consent", "assistance_category", "issued_at", "household_division")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    GRANTEES_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CASE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    USE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    ASSISTANCE_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_DIVISION_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    issuer: str
    grantees: _containers.RepeatedScalarFieldContainer[str]
    members: _containers.RepeatedCompositeFieldContainer[_common_pb2.PersonRef]
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    purpose: _common_pb2.Purpose
    case_reference: str
    not_before: _timestamp_pb2.Timestamp
    not_after: _timestamp_pb2.Timestamp
    use_limit: int
    consent: _containers.RepeatedCompositeFieldContainer[ConsentEvidence]
    assistance_category: _common_pb2.AssistanceCategory
    issued_at: _timestamp_pb2.Timestamp
    household_division: str
    def __init__(self, record_id: _Optional[str] = ..., issuer: _Optional[str] = ..., grantees: _Optional[_Iterable[str]] = ..., members: _Optional[_Iterable[_Union[_common_pb2.PersonRef, _Mapping]]] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., purpose: _Optional[_Union[_common_pb2.Purpose, str]] = ..., case_reference: _Optional[str] = ..., not_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., use_limit: _Optional[int] = ..., consent: _Optional[_Iterable[_Union[ConsentEvidence, _Mapping]]] = ..., assistance_category: _Optional[_Union[_common_pb2.AssistanceCategory, str]] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., household_division: _Optional[str] = ...) -> None: ...

class SignedAuthorization(_message.Message):
    __slots__ = ("record", "signature")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    record: bytes
    signature: _signature_pb2.Signature
    def __init__(self, record: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ...) -> None: ...

class RevocationList(_message.Message):
    __slots__ = ("issuer", "version", "issued_at", "revoked_record_ids")
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_RECORD_IDS_FIELD_NUMBER: _ClassVar[int]
    issuer: str
    version: int
    issued_at: _timestamp_pb2.Timestamp
    revoked_record_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, issuer: _Optional[str] = ..., version: _Optional[int] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_record_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SignedRevocationList(_message.Message):
    __slots__ = ("list", "signature")
    LIST_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    list: bytes
    signature: _signature_pb2.Signature
    def __init__(self, list: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ...) -> None: ...

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

class NodeRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NODE_ROLE_UNSPECIFIED: _ClassVar[NodeRole]
    NODE_ROLE_CIVIL_AFFAIRS: _ClassVar[NodeRole]
    NODE_ROLE_DEPARTMENT: _ClassVar[NodeRole]
    NODE_ROLE_CLIENT: _ClassVar[NodeRole]
    NODE_ROLE_MINISTRY_LINK: _ClassVar[NodeRole]
NODE_ROLE_UNSPECIFIED: NodeRole
NODE_ROLE_CIVIL_AFFAIRS: NodeRole
NODE_ROLE_DEPARTMENT: NodeRole
NODE_ROLE_CLIENT: NodeRole
NODE_ROLE_MINISTRY_LINK: NodeRole

class PublicKey(_message.Message):
    __slots__ = ("key_id", "algorithm", "public_key", "not_before", "not_after")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    algorithm: _signature_pb2.SignatureAlgorithm
    public_key: bytes
    not_before: _timestamp_pb2.Timestamp
    not_after: _timestamp_pb2.Timestamp
    def __init__(self, key_id: _Optional[str] = ..., algorithm: _Optional[_Union[_signature_pb2.SignatureAlgorithm, str]] = ..., public_key: _Optional[bytes] = ..., not_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TlsCertificate(_message.Message):
    __slots__ = ("sha256", "not_before", "not_after")
    SHA256_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    sha256: bytes
    not_before: _timestamp_pb2.Timestamp
    not_after: _timestamp_pb2.Timestamp
    def __init__(self, sha256: _Optional[bytes] = ..., not_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NodeEntry(_message.Message):
    __slots__ = ("node_id", "name", "credit_code", "role", "address", "keys", "parent", "categories", "issues_for_divisions", "tls_certificates", "revoked")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    ISSUES_FOR_DIVISIONS_FIELD_NUMBER: _ClassVar[int]
    TLS_CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    name: str
    credit_code: str
    role: NodeRole
    address: str
    keys: _containers.RepeatedCompositeFieldContainer[PublicKey]
    parent: str
    categories: _containers.RepeatedScalarFieldContainer[_common_pb2.DataCategory]
    issues_for_divisions: _containers.RepeatedScalarFieldContainer[str]
    tls_certificates: _containers.RepeatedCompositeFieldContainer[TlsCertificate]
    revoked: bool
    def __init__(self, node_id: _Optional[str] = ..., name: _Optional[str] = ..., credit_code: _Optional[str] = ..., role: _Optional[_Union[NodeRole, str]] = ..., address: _Optional[str] = ..., keys: _Optional[_Iterable[_Union[PublicKey, _Mapping]]] = ..., parent: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[_common_pb2.DataCategory, str]]] = ..., issues_for_divisions: _Optional[_Iterable[str]] = ..., tls_certificates: _Optional[_Iterable[_Union[TlsCertificate, _Mapping]]] = ..., revoked: _Optional[bool] = ...) -> None: ...

class Directory(_message.Message):
    __slots__ = ("federation", "version", "issued_at", "expires_at", "nodes")
    FEDERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    federation: str
    version: int
    issued_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    nodes: _containers.RepeatedCompositeFieldContainer[NodeEntry]
    def __init__(self, federation: _Optional[str] = ..., version: _Optional[int] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., nodes: _Optional[_Iterable[_Union[NodeEntry, _Mapping]]] = ...) -> None: ...

class SignedDirectory(_message.Message):
    __slots__ = ("directory", "signature", "delegations")
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    DELEGATIONS_FIELD_NUMBER: _ClassVar[int]
    directory: bytes
    signature: _signature_pb2.Signature
    delegations: _containers.RepeatedCompositeFieldContainer[SignedDirectory]
    def __init__(self, directory: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ..., delegations: _Optional[_Iterable[_Union[SignedDirectory, _Mapping]]] = ...) -> None: ...

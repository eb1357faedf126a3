import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hedui.v1 import signature_pb2 as _signature_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Header(_message.Message):
    __slots__ = ("request_id", "caller", "target", "issued_at", "nonce", "body_type")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CALLER_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    NONCE_FIELD_NUMBER: _ClassVar[int]
    BODY_TYPE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    caller: str
    target: str
    issued_at: _timestamp_pb2.Timestamp
    nonce: bytes
    body_type: str
    def __init__(self, request_id: _Optional[str] = ..., caller: _Optional[str] = ..., target: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., nonce: _Optional[bytes] = ..., body_type: _Optional[str] = ...) -> None: ...

class Hop(_message.Message):
    __slots__ = ("node", "forwarded_to", "received_sha256", "forwarded_at")
    NODE_FIELD_NUMBER: _ClassVar[int]
    FORWARDED_TO_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_SHA256_FIELD_NUMBER: _ClassVar[int]
    FORWARDED_AT_FIELD_NUMBER: _ClassVar[int]
    node: str
    forwarded_to: str
    received_sha256: bytes
    forwarded_at: _timestamp_pb2.Timestamp
    def __init__(self, node: _Optional[str] = ..., forwarded_to: _Optional[str] = ..., received_sha256: _Optional[bytes] = ..., forwarded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SignedHop(_message.Message):
    __slots__ = ("hop", "signature")
    HOP_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    hop: bytes
    signature: _signature_pb2.Signature
    def __init__(self, hop: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ...) -> None: ...

class Envelope(_message.Message):
    __slots__ = ("header", "body", "signature", "hops")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    HOPS_FIELD_NUMBER: _ClassVar[int]
    header: bytes
    body: bytes
    signature: _signature_pb2.Signature
    hops: _containers.RepeatedCompositeFieldContainer[SignedHop]
    def __init__(self, header: _Optional[bytes] = ..., body: _Optional[bytes] = ..., signature: _Optional[_Union[_signature_pb2.Signature, _Mapping]] = ..., hops: _Optional[_Iterable[_Union[SignedHop, _Mapping]]] = ...) -> None: ...

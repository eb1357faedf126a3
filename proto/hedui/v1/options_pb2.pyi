from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class Sensitivity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SENSITIVITY_UNSPECIFIED: _ClassVar[Sensitivity]
    SENSITIVITY_PUBLIC: _ClassVar[Sensitivity]
    SENSITIVITY_INTERNAL: _ClassVar[Sensitivity]
    SENSITIVITY_SENSITIVE: _ClassVar[Sensitivity]
    SENSITIVITY_HIGHLY_SENSITIVE: _ClassVar[Sensitivity]
SENSITIVITY_UNSPECIFIED: Sensitivity
SENSITIVITY_PUBLIC: Sensitivity
SENSITIVITY_INTERNAL: Sensitivity
SENSITIVITY_SENSITIVE: Sensitivity
SENSITIVITY_HIGHLY_SENSITIVE: Sensitivity
SENSITIVITY_FIELD_NUMBER: _ClassVar[int]
sensitivity: _descriptor.FieldDescriptor

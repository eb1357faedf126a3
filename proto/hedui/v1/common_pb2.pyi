from buf.validate import validate_pb2 as _validate_pb2
from hedui.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DataCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_CATEGORY_UNSPECIFIED: _ClassVar[DataCategory]
    DATA_CATEGORY_HOUSEHOLD_REGISTRATION: _ClassVar[DataCategory]
    DATA_CATEGORY_MARRIAGE: _ClassVar[DataCategory]
    DATA_CATEGORY_CREMATION: _ClassVar[DataCategory]
    DATA_CATEGORY_SOCIAL_INSURANCE: _ClassVar[DataCategory]
    DATA_CATEGORY_PENSION: _ClassVar[DataCategory]
    DATA_CATEGORY_UNEMPLOYMENT: _ClassVar[DataCategory]
    DATA_CATEGORY_MEDICAL_INSURANCE: _ClassVar[DataCategory]
    DATA_CATEGORY_REAL_ESTATE: _ClassVar[DataCategory]
    DATA_CATEGORY_VEHICLE: _ClassVar[DataCategory]
    DATA_CATEGORY_HOUSING_PROVIDENT_FUND: _ClassVar[DataCategory]
    DATA_CATEGORY_TAX: _ClassVar[DataCategory]
    DATA_CATEGORY_BUSINESS_REGISTRATION: _ClassVar[DataCategory]
    DATA_CATEGORY_DISABILITY: _ClassVar[DataCategory]
    DATA_CATEGORY_HEALTH: _ClassVar[DataCategory]
    DATA_CATEGORY_BANK_DEPOSIT: _ClassVar[DataCategory]
    DATA_CATEGORY_SECURITIES: _ClassVar[DataCategory]
    DATA_CATEGORY_COMMERCIAL_INSURANCE: _ClassVar[DataCategory]
    DATA_CATEGORY_LOW_INCOME_REGISTRY: _ClassVar[DataCategory]
    DATA_CATEGORY_RURAL_MONITORING: _ClassVar[DataCategory]

class Purpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PURPOSE_UNSPECIFIED: _ClassVar[Purpose]
    PURPOSE_INITIAL_ELIGIBILITY: _ClassVar[Purpose]
    PURPOSE_PERIODIC_REVIEW: _ClassVar[Purpose]
    PURPOSE_TEMPORARY_ASSISTANCE: _ClassVar[Purpose]
    PURPOSE_REPORTED_CASE: _ClassVar[Purpose]
    PURPOSE_DYNAMIC_MONITORING: _ClassVar[Purpose]
    PURPOSE_SPECIAL_ASSISTANCE: _ClassVar[Purpose]

class AssistanceCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSISTANCE_CATEGORY_UNSPECIFIED: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_EXTREME_POVERTY: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_MARGINAL: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_RIGID_EXPENDITURE: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_TEMPORARY_ASSISTANCE: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_OTHER_LOW_INCOME: _ClassVar[AssistanceCategory]
DATA_CATEGORY_UNSPECIFIED: DataCategory
DATA_CATEGORY_HOUSEHOLD_REGISTRATION: DataCategory
DATA_CATEGORY_MARRIAGE: DataCategory
DATA_CATEGORY_CREMATION: DataCategory
DATA_CATEGORY_SOCIAL_INSURANCE: DataCategory
DATA_CATEGORY_PENSION: DataCategory
DATA_CATEGORY_UNEMPLOYMENT: DataCategory
DATA_CATEGORY_MEDICAL_INSURANCE: DataCategory
DATA_CATEGORY_REAL_ESTATE: DataCategory
DATA_CATEGORY_VEHICLE: DataCategory
DATA_CATEGORY_HOUSING_PROVIDENT_FUND: DataCategory
DATA_CATEGORY_TAX: DataCategory
DATA_CATEGORY_BUSINESS_REGISTRATION: DataCategory
DATA_CATEGORY_DISABILITY: DataCategory
DATA_CATEGORY_HEALTH: DataCategory
DATA_CATEGORY_BANK_DEPOSIT: DataCategory
DATA_CATEGORY_SECURITIES: DataCategory
DATA_CATEGORY_COMMERCIAL_INSURANCE: DataCategory
DATA_CATEGORY_LOW_INCOME_REGISTRY: DataCategory
DATA_CATEGORY_RURAL_MONITORING: DataCategory
PURPOSE_UNSPECIFIED: Purpose
PURPOSE_INITIAL_ELIGIBILITY: Purpose
PURPOSE_PERIODIC_REVIEW: Purpose
PURPOSE_TEMPORARY_ASSISTANCE: Purpose
PURPOSE_REPORTED_CASE: Purpose
PURPOSE_DYNAMIC_MONITORING: Purpose
PURPOSE_SPECIAL_ASSISTANCE: Purpose
ASSISTANCE_CATEGORY_UNSPECIFIED: AssistanceCategory
ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE: AssistanceCategory
ASSISTANCE_CATEGORY_EXTREME_POVERTY: AssistanceCategory
ASSISTANCE_CATEGORY_MARGINAL: AssistanceCategory
ASSISTANCE_CATEGORY_RIGID_EXPENDITURE: AssistanceCategory
ASSISTANCE_CATEGORY_TEMPORARY_ASSISTANCE: AssistanceCategory
ASSISTANCE_CATEGORY_OTHER_LOW_INCOME: AssistanceCategory

class NodeId(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: str
    def __init__(self, value: _Optional[str] = ...) -> None: ...

class PersonRef(_message.Message):
    __slots__ = ("id_number", "name", "relation_code")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RELATION_CODE_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    name: str
    relation_code: str
    def __init__(self, id_number: _Optional[str] = ..., name: _Optional[str] = ..., relation_code: _Optional[str] = ...) -> None: ...

class DivisionCode(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

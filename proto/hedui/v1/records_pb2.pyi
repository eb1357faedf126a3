import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hedui.v1 import common_pb2 as _common_pb2
from hedui.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InsuranceScheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INSURANCE_SCHEME_UNSPECIFIED: _ClassVar[InsuranceScheme]
    INSURANCE_SCHEME_EMPLOYEE_PENSION: _ClassVar[InsuranceScheme]
    INSURANCE_SCHEME_RESIDENT_PENSION: _ClassVar[InsuranceScheme]
    INSURANCE_SCHEME_PUBLIC_SECTOR_PENSION: _ClassVar[InsuranceScheme]
    INSURANCE_SCHEME_UNEMPLOYMENT: _ClassVar[InsuranceScheme]
    INSURANCE_SCHEME_WORK_INJURY: _ClassVar[InsuranceScheme]

class PropertyUse(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROPERTY_USE_UNSPECIFIED: _ClassVar[PropertyUse]
    PROPERTY_USE_RESIDENTIAL: _ClassVar[PropertyUse]
    PROPERTY_USE_COMMERCIAL: _ClassVar[PropertyUse]
    PROPERTY_USE_INDUSTRIAL: _ClassVar[PropertyUse]
    PROPERTY_USE_PARKING: _ClassVar[PropertyUse]
    PROPERTY_USE_OTHER: _ClassVar[PropertyUse]
INSURANCE_SCHEME_UNSPECIFIED: InsuranceScheme
INSURANCE_SCHEME_EMPLOYEE_PENSION: InsuranceScheme
INSURANCE_SCHEME_RESIDENT_PENSION: InsuranceScheme
INSURANCE_SCHEME_PUBLIC_SECTOR_PENSION: InsuranceScheme
INSURANCE_SCHEME_UNEMPLOYMENT: InsuranceScheme
INSURANCE_SCHEME_WORK_INJURY: InsuranceScheme
PROPERTY_USE_UNSPECIFIED: PropertyUse
PROPERTY_USE_RESIDENTIAL: PropertyUse
PROPERTY_USE_COMMERCIAL: PropertyUse
PROPERTY_USE_INDUSTRIAL: PropertyUse
PROPERTY_USE_PARKING: PropertyUse
PROPERTY_USE_OTHER: PropertyUse

class SocialInsuranceRecord(_message.Message):
    __slots__ = ("scheme", "employer_name", "status", "monthly_contribution_base_fen", "last_paid_month")
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_CONTRIBUTION_BASE_FEN_FIELD_NUMBER: _ClassVar[int]
    LAST_PAID_MONTH_FIELD_NUMBER: _ClassVar[int]
    scheme: InsuranceScheme
    employer_name: str
    status: str
    monthly_contribution_base_fen: int
    last_paid_month: str
    def __init__(self, scheme: _Optional[_Union[InsuranceScheme, str]] = ..., employer_name: _Optional[str] = ..., status: _Optional[str] = ..., monthly_contribution_base_fen: _Optional[int] = ..., last_paid_month: _Optional[str] = ...) -> None: ...

class PensionRecord(_message.Message):
    __slots__ = ("scheme", "monthly_amount_fen", "start_date", "status")
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    scheme: InsuranceScheme
    monthly_amount_fen: int
    start_date: str
    status: str
    def __init__(self, scheme: _Optional[_Union[InsuranceScheme, str]] = ..., monthly_amount_fen: _Optional[int] = ..., start_date: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class UnemploymentRecord(_message.Message):
    __slots__ = ("registered_unemployed", "registration_date", "monthly_benefit_fen", "benefit_end_date")
    REGISTERED_UNEMPLOYED_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_DATE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_BENEFIT_FEN_FIELD_NUMBER: _ClassVar[int]
    BENEFIT_END_DATE_FIELD_NUMBER: _ClassVar[int]
    registered_unemployed: bool
    registration_date: str
    monthly_benefit_fen: int
    benefit_end_date: str
    def __init__(self, registered_unemployed: _Optional[bool] = ..., registration_date: _Optional[str] = ..., monthly_benefit_fen: _Optional[int] = ..., benefit_end_date: _Optional[str] = ...) -> None: ...

class RealEstateRecord(_message.Message):
    __slots__ = ("certificate_number", "location_division", "address", "use", "floor_area_cm2", "share_basis_points", "registration_date", "encumbered")
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    LOCATION_DIVISION_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USE_FIELD_NUMBER: _ClassVar[int]
    FLOOR_AREA_CM2_FIELD_NUMBER: _ClassVar[int]
    SHARE_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_DATE_FIELD_NUMBER: _ClassVar[int]
    ENCUMBERED_FIELD_NUMBER: _ClassVar[int]
    certificate_number: str
    location_division: _common_pb2.DivisionCode
    address: str
    use: PropertyUse
    floor_area_cm2: int
    share_basis_points: int
    registration_date: str
    encumbered: bool
    def __init__(self, certificate_number: _Optional[str] = ..., location_division: _Optional[_Union[_common_pb2.DivisionCode, _Mapping]] = ..., address: _Optional[str] = ..., use: _Optional[_Union[PropertyUse, str]] = ..., floor_area_cm2: _Optional[int] = ..., share_basis_points: _Optional[int] = ..., registration_date: _Optional[str] = ..., encumbered: _Optional[bool] = ...) -> None: ...

class VehicleRecord(_message.Message):
    __slots__ = ("plate_number", "vehicle_type_code", "model", "first_registration_date", "value_fen", "status")
    PLATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    FIRST_REGISTRATION_DATE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    plate_number: str
    vehicle_type_code: str
    model: str
    first_registration_date: str
    value_fen: int
    status: str
    def __init__(self, plate_number: _Optional[str] = ..., vehicle_type_code: _Optional[str] = ..., model: _Optional[str] = ..., first_registration_date: _Optional[str] = ..., value_fen: _Optional[int] = ..., status: _Optional[str] = ...) -> None: ...

class HouseholdRegistrationRecord(_message.Message):
    __slots__ = ("household_number", "division", "address", "relation_code", "status", "name")
    HOUSEHOLD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DIVISION_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RELATION_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    household_number: str
    division: _common_pb2.DivisionCode
    address: str
    relation_code: str
    status: str
    name: str
    def __init__(self, household_number: _Optional[str] = ..., division: _Optional[_Union[_common_pb2.DivisionCode, _Mapping]] = ..., address: _Optional[str] = ..., relation_code: _Optional[str] = ..., status: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Record(_message.Message):
    __slots__ = ("id_number", "category", "as_of", "social_insurance", "pension", "unemployment", "real_estate", "vehicle", "household_registration")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_INSURANCE_FIELD_NUMBER: _ClassVar[int]
    PENSION_FIELD_NUMBER: _ClassVar[int]
    UNEMPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    REAL_ESTATE_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    category: _common_pb2.DataCategory
    as_of: _timestamp_pb2.Timestamp
    social_insurance: SocialInsuranceRecord
    pension: PensionRecord
    unemployment: UnemploymentRecord
    real_estate: RealEstateRecord
    vehicle: VehicleRecord
    household_registration: HouseholdRegistrationRecord
    def __init__(self, id_number: _Optional[str] = ..., category: _Optional[_Union[_common_pb2.DataCategory, str]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., social_insurance: _Optional[_Union[SocialInsuranceRecord, _Mapping]] = ..., pension: _Optional[_Union[PensionRecord, _Mapping]] = ..., unemployment: _Optional[_Union[UnemploymentRecord, _Mapping]] = ..., real_estate: _Optional[_Union[RealEstateRecord, _Mapping]] = ..., vehicle: _Optional[_Union[VehicleRecord, _Mapping]] = ..., household_registration: _Optional[_Union[HouseholdRegistrationRecord, _Mapping]] = ...) -> None: ...

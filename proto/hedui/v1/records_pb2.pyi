import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hedui.v1 import common_pb2 as _common_pb2
from hedui.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
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

class MedicalScheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEDICAL_SCHEME_UNSPECIFIED: _ClassVar[MedicalScheme]
    MEDICAL_SCHEME_EMPLOYEE: _ClassVar[MedicalScheme]
    MEDICAL_SCHEME_RESIDENT: _ClassVar[MedicalScheme]

class IncomeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INCOME_KIND_UNSPECIFIED: _ClassVar[IncomeKind]
    INCOME_KIND_WAGES: _ClassVar[IncomeKind]
    INCOME_KIND_BUSINESS: _ClassVar[IncomeKind]
    INCOME_KIND_SERVICES: _ClassVar[IncomeKind]
    INCOME_KIND_PROPERTY: _ClassVar[IncomeKind]
    INCOME_KIND_INTEREST_DIVIDENDS: _ClassVar[IncomeKind]
    INCOME_KIND_OTHER: _ClassVar[IncomeKind]

class BusinessRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUSINESS_ROLE_UNSPECIFIED: _ClassVar[BusinessRole]
    BUSINESS_ROLE_LEGAL_REPRESENTATIVE: _ClassVar[BusinessRole]
    BUSINESS_ROLE_SHAREHOLDER: _ClassVar[BusinessRole]
    BUSINESS_ROLE_INDIVIDUAL_OPERATOR: _ClassVar[BusinessRole]

class DisabilityCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISABILITY_CATEGORY_UNSPECIFIED: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_VISUAL: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_HEARING: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_SPEECH: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_PHYSICAL: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_INTELLECTUAL: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_MENTAL: _ClassVar[DisabilityCategory]
    DISABILITY_CATEGORY_MULTIPLE: _ClassVar[DisabilityCategory]

class ConditionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONDITION_KIND_UNSPECIFIED: _ClassVar[ConditionKind]
    CONDITION_KIND_SERIOUS: _ClassVar[ConditionKind]
    CONDITION_KIND_CHRONIC: _ClassVar[ConditionKind]

class AssistanceProgramme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSISTANCE_PROGRAMME_UNSPECIFIED: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_MEDICAL: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_EDUCATION: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_HOUSING: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_EMPLOYMENT: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_TEMPORARY: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_DISASTER_RELIEF: _ClassVar[AssistanceProgramme]
    ASSISTANCE_PROGRAMME_DISABILITY_SUBSIDIES: _ClassVar[AssistanceProgramme]

class MonitoringCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MONITORING_CATEGORY_UNSPECIFIED: _ClassVar[MonitoringCategory]
    MONITORING_CATEGORY_UNSTABLE: _ClassVar[MonitoringCategory]
    MONITORING_CATEGORY_MARGINAL: _ClassVar[MonitoringCategory]
    MONITORING_CATEGORY_SUDDEN_HARDSHIP: _ClassVar[MonitoringCategory]
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
MEDICAL_SCHEME_UNSPECIFIED: MedicalScheme
MEDICAL_SCHEME_EMPLOYEE: MedicalScheme
MEDICAL_SCHEME_RESIDENT: MedicalScheme
INCOME_KIND_UNSPECIFIED: IncomeKind
INCOME_KIND_WAGES: IncomeKind
INCOME_KIND_BUSINESS: IncomeKind
INCOME_KIND_SERVICES: IncomeKind
INCOME_KIND_PROPERTY: IncomeKind
INCOME_KIND_INTEREST_DIVIDENDS: IncomeKind
INCOME_KIND_OTHER: IncomeKind
BUSINESS_ROLE_UNSPECIFIED: BusinessRole
BUSINESS_ROLE_LEGAL_REPRESENTATIVE: BusinessRole
BUSINESS_ROLE_SHAREHOLDER: BusinessRole
BUSINESS_ROLE_INDIVIDUAL_OPERATOR: BusinessRole
DISABILITY_CATEGORY_UNSPECIFIED: DisabilityCategory
DISABILITY_CATEGORY_VISUAL: DisabilityCategory
DISABILITY_CATEGORY_HEARING: DisabilityCategory
DISABILITY_CATEGORY_SPEECH: DisabilityCategory
DISABILITY_CATEGORY_PHYSICAL: DisabilityCategory
DISABILITY_CATEGORY_INTELLECTUAL: DisabilityCategory
DISABILITY_CATEGORY_MENTAL: DisabilityCategory
DISABILITY_CATEGORY_MULTIPLE: DisabilityCategory
CONDITION_KIND_UNSPECIFIED: ConditionKind
CONDITION_KIND_SERIOUS: ConditionKind
CONDITION_KIND_CHRONIC: ConditionKind
ASSISTANCE_PROGRAMME_UNSPECIFIED: AssistanceProgramme
ASSISTANCE_PROGRAMME_MEDICAL: AssistanceProgramme
ASSISTANCE_PROGRAMME_EDUCATION: AssistanceProgramme
ASSISTANCE_PROGRAMME_HOUSING: AssistanceProgramme
ASSISTANCE_PROGRAMME_EMPLOYMENT: AssistanceProgramme
ASSISTANCE_PROGRAMME_TEMPORARY: AssistanceProgramme
ASSISTANCE_PROGRAMME_DISASTER_RELIEF: AssistanceProgramme
ASSISTANCE_PROGRAMME_DISABILITY_SUBSIDIES: AssistanceProgramme
MONITORING_CATEGORY_UNSPECIFIED: MonitoringCategory
MONITORING_CATEGORY_UNSTABLE: MonitoringCategory
MONITORING_CATEGORY_MARGINAL: MonitoringCategory
MONITORING_CATEGORY_SUDDEN_HARDSHIP: MonitoringCategory

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

class MarriageRecord(_message.Message):
    __slots__ = ("marital_status_code", "spouse_id_number", "spouse_name", "registration_date", "registration_office")
    MARITAL_STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    SPOUSE_ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SPOUSE_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_DATE_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_OFFICE_FIELD_NUMBER: _ClassVar[int]
    marital_status_code: str
    spouse_id_number: str
    spouse_name: str
    registration_date: str
    registration_office: str
    def __init__(self, marital_status_code: _Optional[str] = ..., spouse_id_number: _Optional[str] = ..., spouse_name: _Optional[str] = ..., registration_date: _Optional[str] = ..., registration_office: _Optional[str] = ...) -> None: ...

class CremationRecord(_message.Message):
    __slots__ = ("date_of_death", "cremation_date", "funeral_home")
    DATE_OF_DEATH_FIELD_NUMBER: _ClassVar[int]
    CREMATION_DATE_FIELD_NUMBER: _ClassVar[int]
    FUNERAL_HOME_FIELD_NUMBER: _ClassVar[int]
    date_of_death: str
    cremation_date: str
    funeral_home: str
    def __init__(self, date_of_death: _Optional[str] = ..., cremation_date: _Optional[str] = ..., funeral_home: _Optional[str] = ...) -> None: ...

class MedicalInsuranceRecord(_message.Message):
    __slots__ = ("scheme", "status", "cost_year", "out_of_pocket_fen", "total_cost_fen")
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COST_YEAR_FIELD_NUMBER: _ClassVar[int]
    OUT_OF_POCKET_FEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COST_FEN_FIELD_NUMBER: _ClassVar[int]
    scheme: MedicalScheme
    status: str
    cost_year: int
    out_of_pocket_fen: int
    total_cost_fen: int
    def __init__(self, scheme: _Optional[_Union[MedicalScheme, str]] = ..., status: _Optional[str] = ..., cost_year: _Optional[int] = ..., out_of_pocket_fen: _Optional[int] = ..., total_cost_fen: _Optional[int] = ...) -> None: ...

class HousingProvidentFundRecord(_message.Message):
    __slots__ = ("account_status", "employer_name", "monthly_deposit_fen", "balance_fen", "last_paid_month")
    ACCOUNT_STATUS_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_NAME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_DEPOSIT_FEN_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FEN_FIELD_NUMBER: _ClassVar[int]
    LAST_PAID_MONTH_FIELD_NUMBER: _ClassVar[int]
    account_status: str
    employer_name: str
    monthly_deposit_fen: int
    balance_fen: int
    last_paid_month: str
    def __init__(self, account_status: _Optional[str] = ..., employer_name: _Optional[str] = ..., monthly_deposit_fen: _Optional[int] = ..., balance_fen: _Optional[int] = ..., last_paid_month: _Optional[str] = ...) -> None: ...

class TaxRecord(_message.Message):
    __slots__ = ("tax_year", "income_kind", "income_fen", "tax_paid_fen")
    TAX_YEAR_FIELD_NUMBER: _ClassVar[int]
    INCOME_KIND_FIELD_NUMBER: _ClassVar[int]
    INCOME_FEN_FIELD_NUMBER: _ClassVar[int]
    TAX_PAID_FEN_FIELD_NUMBER: _ClassVar[int]
    tax_year: int
    income_kind: IncomeKind
    income_fen: int
    tax_paid_fen: int
    def __init__(self, tax_year: _Optional[int] = ..., income_kind: _Optional[_Union[IncomeKind, str]] = ..., income_fen: _Optional[int] = ..., tax_paid_fen: _Optional[int] = ...) -> None: ...

class BusinessRegistrationRecord(_message.Message):
    __slots__ = ("credit_code", "business_name", "role", "registered_capital_fen", "subscribed_capital_fen", "share_basis_points", "status", "established_date")
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_CAPITAL_FEN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBED_CAPITAL_FEN_FIELD_NUMBER: _ClassVar[int]
    SHARE_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ESTABLISHED_DATE_FIELD_NUMBER: _ClassVar[int]
    credit_code: str
    business_name: str
    role: BusinessRole
    registered_capital_fen: int
    subscribed_capital_fen: int
    share_basis_points: int
    status: str
    established_date: str
    def __init__(self, credit_code: _Optional[str] = ..., business_name: _Optional[str] = ..., role: _Optional[_Union[BusinessRole, str]] = ..., registered_capital_fen: _Optional[int] = ..., subscribed_capital_fen: _Optional[int] = ..., share_basis_points: _Optional[int] = ..., status: _Optional[str] = ..., established_date: _Optional[str] = ...) -> None: ...

class DisabilityRecord(_message.Message):
    __slots__ = ("certificate_number", "category", "grade", "issue_date", "valid_until")
    CERTIFICATE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    certificate_number: str
    category: DisabilityCategory
    grade: int
    issue_date: str
    valid_until: str
    def __init__(self, certificate_number: _Optional[str] = ..., category: _Optional[_Union[DisabilityCategory, str]] = ..., grade: _Optional[int] = ..., issue_date: _Optional[str] = ..., valid_until: _Optional[str] = ...) -> None: ...

class HealthRecord(_message.Message):
    __slots__ = ("kind", "condition_name", "diagnosis_date", "institution")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CONDITION_NAME_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSIS_DATE_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_FIELD_NUMBER: _ClassVar[int]
    kind: ConditionKind
    condition_name: str
    diagnosis_date: str
    institution: str
    def __init__(self, kind: _Optional[_Union[ConditionKind, str]] = ..., condition_name: _Optional[str] = ..., diagnosis_date: _Optional[str] = ..., institution: _Optional[str] = ...) -> None: ...

class BankDepositRecord(_message.Message):
    __slots__ = ("institution", "account_type", "balance_fen", "balance_date")
    INSTITUTION_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FEN_FIELD_NUMBER: _ClassVar[int]
    BALANCE_DATE_FIELD_NUMBER: _ClassVar[int]
    institution: str
    account_type: str
    balance_fen: int
    balance_date: str
    def __init__(self, institution: _Optional[str] = ..., account_type: _Optional[str] = ..., balance_fen: _Optional[int] = ..., balance_date: _Optional[str] = ...) -> None: ...

class SecuritiesRecord(_message.Message):
    __slots__ = ("institution", "market_value_fen", "valuation_date")
    INSTITUTION_FIELD_NUMBER: _ClassVar[int]
    MARKET_VALUE_FEN_FIELD_NUMBER: _ClassVar[int]
    VALUATION_DATE_FIELD_NUMBER: _ClassVar[int]
    institution: str
    market_value_fen: int
    valuation_date: str
    def __init__(self, institution: _Optional[str] = ..., market_value_fen: _Optional[int] = ..., valuation_date: _Optional[str] = ...) -> None: ...

class CommercialInsuranceRecord(_message.Message):
    __slots__ = ("insurer", "product_type", "cash_value_fen", "annual_premium_fen")
    INSURER_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CASH_VALUE_FEN_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_PREMIUM_FEN_FIELD_NUMBER: _ClassVar[int]
    insurer: str
    product_type: str
    cash_value_fen: int
    annual_premium_fen: int
    def __init__(self, insurer: _Optional[str] = ..., product_type: _Optional[str] = ..., cash_value_fen: _Optional[int] = ..., annual_premium_fen: _Optional[int] = ...) -> None: ...

class LowIncomeRegistryRecord(_message.Message):
    __slots__ = ("assistance_category", "status", "start_date", "monthly_benefit_fen", "deciding_division", "programmes")
    ASSISTANCE_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_BENEFIT_FEN_FIELD_NUMBER: _ClassVar[int]
    DECIDING_DIVISION_FIELD_NUMBER: _ClassVar[int]
    PROGRAMMES_FIELD_NUMBER: _ClassVar[int]
    assistance_category: _common_pb2.AssistanceCategory
    status: str
    start_date: str
    monthly_benefit_fen: int
    deciding_division: _common_pb2.DivisionCode
    programmes: _containers.RepeatedScalarFieldContainer[AssistanceProgramme]
    def __init__(self, assistance_category: _Optional[_Union[_common_pb2.AssistanceCategory, str]] = ..., status: _Optional[str] = ..., start_date: _Optional[str] = ..., monthly_benefit_fen: _Optional[int] = ..., deciding_division: _Optional[_Union[_common_pb2.DivisionCode, _Mapping]] = ..., programmes: _Optional[_Iterable[_Union[AssistanceProgramme, str]]] = ...) -> None: ...

class RuralMonitoringRecord(_message.Message):
    __slots__ = ("category", "risk", "start_date", "status")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RISK_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    category: MonitoringCategory
    risk: str
    start_date: str
    status: str
    def __init__(self, category: _Optional[_Union[MonitoringCategory, str]] = ..., risk: _Optional[str] = ..., start_date: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class Record(_message.Message):
    __slots__ = ("id_number", "category", "as_of", "social_insurance", "pension", "unemployment", "real_estate", "vehicle", "household_registration", "marriage", "cremation", "medical_insurance", "housing_provident_fund", "tax", "business_registration", "disability", "health", "bank_deposit", "securities", "commercial_insurance", "low_income_registry", "rural_monitoring")
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_INSURANCE_FIELD_NUMBER: _ClassVar[int]
    PENSION_FIELD_NUMBER: _ClassVar[int]
    UNEMPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    REAL_ESTATE_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    MARRIAGE_FIELD_NUMBER: _ClassVar[int]
    CREMATION_FIELD_NUMBER: _ClassVar[int]
    MEDICAL_INSURANCE_FIELD_NUMBER: _ClassVar[int]
    HOUSING_PROVIDENT_FUND_FIELD_NUMBER: _ClassVar[int]
    TAX_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    BANK_DEPOSIT_FIELD_NUMBER: _ClassVar[int]
    SECURITIES_FIELD_NUMBER: _ClassVar[int]
    COMMERCIAL_INSURANCE_FIELD_NUMBER: _ClassVar[int]
    LOW_INCOME_REGISTRY_FIELD_NUMBER: _ClassVar[int]
    RURAL_MONITORING_FIELD_NUMBER: _ClassVar[int]
    id_number: str
    category: _common_pb2.DataCategory
    as_of: _timestamp_pb2.Timestamp
    social_insurance: SocialInsuranceRecord
    pension: PensionRecord
    unemployment: UnemploymentRecord
    real_estate: RealEstateRecord
    vehicle: VehicleRecord
    household_registration: HouseholdRegistrationRecord
    marriage: MarriageRecord
    cremation: CremationRecord
    medical_insurance: MedicalInsuranceRecord
    housing_provident_fund: HousingProvidentFundRecord
    tax: TaxRecord
    business_registration: BusinessRegistrationRecord
    disability: DisabilityRecord
    health: HealthRecord
    bank_deposit: BankDepositRecord
    securities: SecuritiesRecord
    commercial_insurance: CommercialInsuranceRecord
    low_income_registry: LowIncomeRegistryRecord
    rural_monitoring: RuralMonitoringRecord
    def __init__(self, id_number: _Optional[str] = ..., category: _Optional[_Union[_common_pb2.DataCategory, str]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., social_insurance: _Optional[_Union[SocialInsuranceRecord, _Mapping]] = ..., pension: _Optional[_Union[PensionRecord, _Mapping]] = ..., unemployment: _Optional[_Union[UnemploymentRecord, _Mapping]] = ..., real_estate: _Optional[_Union[RealEstateRecord, _Mapping]] = ..., vehicle: _Optional[_Union[VehicleRecord, _Mapping]] = ..., household_registration: _Optional[_Union[HouseholdRegistrationRecord, _Mapping]] = ..., marriage: _Optional[_Union[MarriageRecord, _Mapping]] = ..., cremation: _Optional[_Union[CremationRecord, _Mapping]] = ..., medical_insurance: _Optional[_Union[MedicalInsuranceRecord, _Mapping]] = ..., housing_provident_fund: _Optional[_Union[HousingProvidentFundRecord, _Mapping]] = ..., tax: _Optional[_Union[TaxRecord, _Mapping]] = ..., business_registration: _Optional[_Union[BusinessRegistrationRecord, _Mapping]] = ..., disability: _Optional[_Union[DisabilityRecord, _Mapping]] = ..., health: _Optional[_Union[HealthRecord, _Mapping]] = ..., bank_deposit: _Optional[_Union[BankDepositRecord, _Mapping]] = ..., securities: _Optional[_Union[SecuritiesRecord, _Mapping]] = ..., commercial_insurance: _Optional[_Union[CommercialInsuranceRecord, _Mapping]] = ..., low_income_registry: _Optional[_Union[LowIncomeRegistryRecord, _Mapping]] = ..., rural_monitoring: _Optional[_Union[RuralMonitoringRecord, _Mapping]] = ...) -> None: ...

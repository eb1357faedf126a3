"""The Record body kind of each data category, and its check, in one place."""

from __future__ import annotations

from hedui.gateway.errors import HeduiError, Reason
from hedui.v1 import common_pb2, records_pb2

C = common_pb2

# Each category has exactly one body kind; a record with another body is a mapping error.
BODY_BY_CATEGORY: dict[int, str] = {
    C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION: "household_registration",
    C.DATA_CATEGORY_MARRIAGE: "marriage",
    C.DATA_CATEGORY_CREMATION: "cremation",
    C.DATA_CATEGORY_SOCIAL_INSURANCE: "social_insurance",
    C.DATA_CATEGORY_PENSION: "pension",
    C.DATA_CATEGORY_UNEMPLOYMENT: "unemployment",
    C.DATA_CATEGORY_MEDICAL_INSURANCE: "medical_insurance",
    C.DATA_CATEGORY_REAL_ESTATE: "real_estate",
    C.DATA_CATEGORY_VEHICLE: "vehicle",
    C.DATA_CATEGORY_HOUSING_PROVIDENT_FUND: "housing_provident_fund",
    C.DATA_CATEGORY_TAX: "tax",
    C.DATA_CATEGORY_BUSINESS_REGISTRATION: "business_registration",
    C.DATA_CATEGORY_DISABILITY: "disability",
    C.DATA_CATEGORY_HEALTH: "health",
    C.DATA_CATEGORY_BANK_DEPOSIT: "bank_deposit",
    C.DATA_CATEGORY_SECURITIES: "securities",
    C.DATA_CATEGORY_COMMERCIAL_INSURANCE: "commercial_insurance",
    C.DATA_CATEGORY_LOW_INCOME_REGISTRY: "low_income_registry",
    C.DATA_CATEGORY_RURAL_MONITORING: "rural_monitoring",
}


def check_record_kind(record: records_pb2.Record, source: str) -> None:
    """Raise DEPARTMENT_UNAVAILABLE unless the record's body is the kind its category carries."""
    expected = BODY_BY_CATEGORY.get(record.category)
    found = record.WhichOneof("body")
    if found is not None and found != expected:
        raise HeduiError(Reason.DEPARTMENT_UNAVAILABLE, source,
                         (f"部门数据映射错误：类别 {C.DataCategory.Name(record.category)} 的记录内容是 {found}",
                          f"department data mapping error: a {C.DataCategory.Name(record.category)} record carries {found}"))

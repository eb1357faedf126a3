"""人社 (human resources and social security) system: field mapping and HTTP/JSON adapter.

The department serves three batch endpoints under ``/rs/api/v1``, each taking
``{"qqlsh": <request serial number>, "sfzhm": [<ID numbers>]}`` and returning
``{"code": "0", "msg": "...", "data": [<rows>]}``. A non-zero ``code`` is a
business error. Field names are the department's pinyin abbreviations:

============  ==========================  ==========================================
endpoint      department field            standard field
============  ==========================  ==========================================
cbxx (参保)   sfzhm 身份证号码             Record.id_number
              xzlx 险种类型                SocialInsuranceRecord.scheme
              cbdwmc 参保单位名称          .employer_name
              cbzt 参保状态                .status
              jfjs 缴费基数（元）          .monthly_contribution_base_fen
              zhjfny 最后缴费年月          .last_paid_month
ylj (养老金)  xzlx 险种类型                PensionRecord.scheme
              yljje 月养老金（元）         .monthly_amount_fen
              kslqrq 开始领取日期          .start_date
              ffzt 发放状态                .status
sy (失业)     sydjbz 失业登记标志          UnemploymentRecord.registered_unemployed
              sydjrq 失业登记日期          .registration_date
              syjje 月失业保险金（元）     .monthly_benefit_fen
              lqjzrq 领取截止日期          .benefit_end_date
all           gxsj 更新时间（北京时间）    Record.as_of
============  ==========================  ==========================================
"""

from __future__ import annotations

from collections.abc import Mapping

from hedui.adapters import convert
from hedui.adapters.base import AdapterDataError, AdapterRejected
from hedui.adapters.http_json import JsonApi, JsonRoute, JsonRows
from hedui.adapters.mapping import FieldMap, RecordMapping, code_table, flag
from hedui.v1 import common_pb2, records_pb2

LABEL = "人社系统"
ID_FIELD = "sfzhm"
AS_OF_FIELD = "gxsj"

# 险种类型 codes as the 人社 system numbers its insurance schemes.
SCHEME_CODES = {
    "110": records_pb2.INSURANCE_SCHEME_EMPLOYEE_PENSION,
    "120": records_pb2.INSURANCE_SCHEME_PUBLIC_SECTOR_PENSION,
    "170": records_pb2.INSURANCE_SCHEME_RESIDENT_PENSION,
    "210": records_pb2.INSURANCE_SCHEME_UNEMPLOYMENT,
    "410": records_pb2.INSURANCE_SCHEME_WORK_INJURY,
}
ENROLMENT_STATUS = {"1": "参保缴费", "2": "暂停缴费", "3": "终止参保"}
PAYMENT_STATUS = {"1": "正常发放", "2": "暂停发放", "3": "终止发放"}

SOCIAL_INSURANCE = RecordMapping(
    category=common_pb2.DATA_CATEGORY_SOCIAL_INSURANCE,
    body="social_insurance",
    id_field=ID_FIELD,
    as_of_field=AS_OF_FIELD,
    source_label=LABEL,
    fields=(
        FieldMap("scheme", "xzlx", code_table(SCHEME_CODES, "险种类型")),
        FieldMap("employer_name", "cbdwmc", convert.require_text, required=False, default=""),
        FieldMap("status", "cbzt", code_table(ENROLMENT_STATUS, "参保状态")),
        FieldMap("monthly_contribution_base_fen", "jfjs", convert.yuan_to_fen),
        FieldMap("last_paid_month", "zhjfny", convert.year_month, required=False, default=""),
    ),
)

PENSION = RecordMapping(
    category=common_pb2.DATA_CATEGORY_PENSION,
    body="pension",
    id_field=ID_FIELD,
    as_of_field=AS_OF_FIELD,
    source_label=LABEL,
    fields=(
        FieldMap("scheme", "xzlx", code_table(SCHEME_CODES, "险种类型")),
        FieldMap("monthly_amount_fen", "yljje", convert.yuan_to_fen),
        FieldMap("start_date", "kslqrq", convert.iso_date, required=False, default=""),
        FieldMap("status", "ffzt", code_table(PAYMENT_STATUS, "发放状态")),
    ),
)

UNEMPLOYMENT = RecordMapping(
    category=common_pb2.DATA_CATEGORY_UNEMPLOYMENT,
    body="unemployment",
    id_field=ID_FIELD,
    as_of_field=AS_OF_FIELD,
    source_label=LABEL,
    fields=(
        FieldMap("registered_unemployed", "sydjbz", flag),
        FieldMap("registration_date", "sydjrq", convert.iso_date, required=False, default=""),
        # The department leaves syjje empty for a registered person who draws no benefit.
        FieldMap("monthly_benefit_fen", "syjje", convert.yuan_to_fen, required=False, default=0),
        FieldMap("benefit_end_date", "lqjzrq", convert.iso_date, required=False, default=""),
    ),
)

API_PREFIX = "/rs/api/v1"
ENDPOINT_SOCIAL_INSURANCE = f"{API_PREFIX}/cbxx/query"
ENDPOINT_PENSION = f"{API_PREFIX}/ylj/query"
ENDPOINT_UNEMPLOYMENT = f"{API_PREFIX}/sy/query"


def build_request(request_id: str, id_numbers: tuple[str, ...]) -> dict[str, object]:
    """Build the department's batch request body."""
    return {"qqlsh": request_id, ID_FIELD: list(id_numbers)}


def extract_rows(payload: object) -> JsonRows:
    """Return the rows of a department response, raising on its business error codes."""
    if not isinstance(payload, Mapping) or "code" not in payload:
        raise AdapterDataError(f"{LABEL}的应答缺少字段 code；请联系该部门检查接口。", field="code")
    if str(payload["code"]) != "0":
        message = convert.shown(payload.get("msg", ""))
        raise AdapterRejected(
            f"{LABEL}返回业务错误 code={convert.shown(payload['code'])}，msg={message}；"
            "请按该部门的说明处理后重试。"
        )
    rows = payload.get("data")
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise AdapterDataError(f"{LABEL}的应答字段 data 应为对象数组；请联系该部门检查接口。", field="data")
    return rows


API = JsonApi(
    label=LABEL,
    routes=(
        JsonRoute(ENDPOINT_SOCIAL_INSURANCE, SOCIAL_INSURANCE),
        JsonRoute(ENDPOINT_PENSION, PENSION),
        JsonRoute(ENDPOINT_UNEMPLOYMENT, UNEMPLOYMENT),
    ),
    build_request=build_request,
    extract_rows=extract_rows,
)


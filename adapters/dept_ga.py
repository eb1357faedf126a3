"""公安 (public security) system: field mapping and HTTP/JSON adapter description.

The department serves two batch endpoints under ``/ga/api/v1``, each taking
``{"cxlsh": <query serial number>, "gmsfhm_list": [<ID numbers>]}`` and
returning ``{"zt": "00", "ztms": "...", "jg": [<rows>]}``. Any ``zt`` other
than ``00`` is a business error. Field names are the department's pinyin
abbreviations:

=============  ============================  ==========================================
endpoint       department field              standard field
=============  ============================  ==========================================
hjxx (户籍)    gmsfhm 公民身份号码            Record.id_number
               xm 姓名                        HouseholdRegistrationRecord.name
               hh 户号                        .household_number
               hjdxzqh 户籍地行政区划         .division
               hjdz 户籍地址                  .address
               yhzgx 与户主关系               .relation_code
               hjzt 户籍状态                  .status
jdc (机动车)   syrzjhm 所有人证件号码         Record.id_number
               hphm 号牌号码                  VehicleRecord.plate_number
               cllx 车辆类型（GA 24.4）        .vehicle_type_code
               clppxh 品牌型号                .model
               ccdjrq 初次登记日期            .first_registration_date
               gmjg 购买价格（元）            .value_fen
               zt 机动车状态                  .status
all            gxsj 更新时间（北京时间）      Record.as_of
=============  ============================  ==========================================
"""

from __future__ import annotations

from collections.abc import Mapping

from hedui.adapters import convert
from hedui.adapters.base import AdapterDataError, AdapterRejected
from hedui.adapters.http_json import JsonApi, JsonRoute, JsonRows
from hedui.adapters.mapping import FieldMap, RecordMapping, code_table, division_code
from hedui.v1 import common_pb2

LABEL = "公安系统"
AS_OF_FIELD = "gxsj"

REGISTRATION_STATUS = {"0": "正常", "1": "死亡注销", "2": "迁出"}
# Letter codes for a vehicle's state, in the manner of traffic-management systems.
VEHICLE_STATUS = {"A": "正常", "B": "转出", "C": "被盗抢", "E": "注销"}


def relation_code(value: object, field: str) -> str:
    """Check a two-digit GB/T 4761 relation code."""
    text = convert.require_text(value, field)
    if len(text) != 2 or not ("0" <= text[0] <= "9" and "0" <= text[1] <= "9"):
        raise AdapterDataError(
            f"字段 {field} 的与户主关系代码 {convert.shown(value)} 无效：应为 GB/T 4761 两位数字代码；"
            "请联系数据提供部门更正。",
            field=field,
        )
    return text


HOUSEHOLD_REGISTRATION = RecordMapping(
    category=common_pb2.DATA_CATEGORY_HOUSEHOLD_REGISTRATION,
    body="household_registration",
    id_field="gmsfhm",
    as_of_field=AS_OF_FIELD,
    source_label=LABEL,
    fields=(
        FieldMap("name", "xm", convert.require_text),
        FieldMap("household_number", "hh", convert.require_text),
        FieldMap("division", "hjdxzqh", division_code),
        FieldMap("address", "hjdz", convert.require_text, required=False, default=""),
        FieldMap("relation_code", "yhzgx", relation_code, required=False, default=""),
        FieldMap("status", "hjzt", code_table(REGISTRATION_STATUS, "户籍状态")),
    ),
)

VEHICLE = RecordMapping(
    category=common_pb2.DATA_CATEGORY_VEHICLE,
    body="vehicle",
    id_field="syrzjhm",
    as_of_field=AS_OF_FIELD,
    source_label=LABEL,
    fields=(
        FieldMap("plate_number", "hphm", convert.require_text),
        FieldMap("vehicle_type_code", "cllx", convert.require_text),
        FieldMap("model", "clppxh", convert.require_text, required=False, default=""),
        FieldMap("first_registration_date", "ccdjrq", convert.iso_date, required=False, default=""),
        FieldMap("value_fen", "gmjg", convert.yuan_to_fen),
        FieldMap("status", "zt", code_table(VEHICLE_STATUS, "机动车状态")),
    ),
)

API_PREFIX = "/ga/api/v1"
ENDPOINT_HOUSEHOLD_REGISTRATION = f"{API_PREFIX}/hjxx/query"
ENDPOINT_VEHICLE = f"{API_PREFIX}/jdc/query"
QUERY_REASON = "家庭经济状况核对"


def build_request(request_id: str, id_numbers: tuple[str, ...]) -> dict[str, object]:
    """Build the department's batch request body."""
    return {"cxlsh": request_id, "cxyy": QUERY_REASON, "gmsfhm_list": list(id_numbers)}


def extract_rows(payload: object) -> JsonRows:
    """Return the rows of a department response, raising on its business error codes."""
    if not isinstance(payload, Mapping) or "zt" not in payload:
        raise AdapterDataError(f"{LABEL}的应答缺少字段 zt；请联系该部门检查接口。", field="zt")
    if str(payload["zt"]) != "00":
        raise AdapterRejected(
            f"{LABEL}返回业务错误 zt={convert.shown(payload['zt'])}，"
            f"ztms={convert.shown(payload.get('ztms', ''))}；请按该部门的说明处理后重试。"
        )
    rows = payload.get("jg")
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise AdapterDataError(f"{LABEL}的应答字段 jg 应为对象数组；请联系该部门检查接口。", field="jg")
    return rows


API = JsonApi(
    label=LABEL,
    routes=(
        JsonRoute(ENDPOINT_HOUSEHOLD_REGISTRATION, HOUSEHOLD_REGISTRATION),
        JsonRoute(ENDPOINT_VEHICLE, VEHICLE),
    ),
    build_request=build_request,
    extract_rows=extract_rows,
)

"""Render a verified report as a readable terminal table, in Chinese or English."""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Iterable

from hedui.gateway.errors import current_lang
from hedui.gateway.identifiers import mask_id_number
from hedui.gateway.timeutil import iso
from hedui.sdk.report import VerificationReport
from hedui.sdk.totals import TOTAL_INPUTS, HouseholdTotals, household_totals
from hedui.v1 import common_pb2, records_pb2

CATEGORY_NAMES = {
    "HOUSEHOLD_REGISTRATION": ("户籍", "household registration"),
    "MARRIAGE": ("婚姻登记", "marriage"),
    "CREMATION": ("火化", "cremation"),
    "SOCIAL_INSURANCE": ("社会保险", "social insurance"),
    "PENSION": ("养老金", "pension"),
    "UNEMPLOYMENT": ("失业", "unemployment"),
    "MEDICAL_INSURANCE": ("医疗保险", "medical insurance"),
    "REAL_ESTATE": ("不动产", "real estate"),
    "VEHICLE": ("机动车", "vehicle"),
    "HOUSING_PROVIDENT_FUND": ("住房公积金", "housing provident fund"),
    "TAX": ("纳税", "tax"),
    "BUSINESS_REGISTRATION": ("工商登记", "business registration"),
    "DISABILITY": ("残疾", "disability"),
    "HEALTH": ("卫生健康", "health"),
    "BANK_DEPOSIT": ("银行存款", "bank deposits"),
    "SECURITIES": ("证券", "securities"),
    "COMMERCIAL_INSURANCE": ("商业保险", "commercial insurance"),
    "LOW_INCOME_REGISTRY": ("低收入人口库", "low-income registry"),
    "RURAL_MONITORING": ("防返贫监测", "rural monitoring"),
}
STATUS_NAMES = {
    "ANSWERED": ("已应答", "answered"),
    "NO_RECORD": ("无记录", "no record"),
    "REFUSED": ("拒绝", "refused"),
    "TIMED_OUT": ("超时", "timed out"),
    "UNAVAILABLE": ("不可用", "unavailable"),
}
DISCLOSURE_NAMES = {
    "FULL_RECORDS": ("完整记录", "full records"),
    "PURPOSE_LIMITED": ("按用途限定字段", "fields limited by purpose"),
    "THRESHOLD_ONLY": ("仅答是否", "yes/no answers only"),
}
RESULT_NAMES = {"YES": ("是", "yes"), "NO": ("否", "no"), "UNDETERMINED": ("无法判定", "undetermined")}
QUESTION_NAMES = {
    "VEHICLE_VALUE_ABOVE": ("车辆总价值高于 {amount} 元", "vehicle value above {amount} yuan"),
    "REAL_ESTATE_BEYOND_ONE_HOME": ("有一套住房以外的不动产", "real estate besides one home"),
    "INCOME_PER_MEMBER_BELOW": ("人均月收入低于 {amount} 元", "monthly income per member below {amount} yuan"),
    "FINANCIAL_ASSETS_ABOVE": ("金融资产高于 {amount} 元", "financial assets above {amount} yuan"),
    "BUSINESS_CAPITAL_ABOVE": ("名下企业出资高于 {amount} 元", "business capital above {amount} yuan"),
}
RELATION_NAMES = {"01": ("本人", "self"), "02": ("户主", "head"), "10": ("配偶", "spouse"), "11": ("夫", "husband"),
                  "12": ("妻", "wife"), "20": ("子", "son"), "30": ("女", "daughter"), "50": ("父母", "parent"),
                  "51": ("父亲", "father"), "52": ("母亲", "mother")}


SCHEME_NAMES = {
    "EMPLOYEE_PENSION": ("企业职工基本养老保险", "employee pension insurance"),
    "RESIDENT_PENSION": ("城乡居民基本养老保险", "resident pension insurance"),
    "PUBLIC_SECTOR_PENSION": ("机关事业单位养老保险", "public sector pension insurance"),
    "UNEMPLOYMENT": ("失业保险", "unemployment insurance"),
    "WORK_INJURY": ("工伤保险", "work injury insurance"),
}
USE_NAMES = {
    "RESIDENTIAL": ("住宅", "residential"),
    "COMMERCIAL": ("商业", "commercial"),
    "INDUSTRIAL": ("工业", "industrial"),
    "PARKING": ("车位", "parking"),
    "OTHER": ("其他", "other"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def category_label(category: int, lang: str | None = None) -> str:
    """Return the display name of a data category."""
    name = common_pb2.DataCategory.Name(category).removeprefix("DATA_CATEGORY_")
    return _pick(CATEGORY_NAMES.get(name, (name, name)), lang or current_lang())


def yuan(fen: int) -> str:
    """Format integer fen as yuan with two decimals and thousands separators."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def summarize(record: records_pb2.Record, lang: str) -> str:
    """Return a one-line summary of a record's body."""
    en = lang == "en"
    kind = record.WhichOneof("body")
    if kind == "social_insurance":
        b = record.social_insurance
        scheme_key = records_pb2.InsuranceScheme.Name(b.scheme).removeprefix("INSURANCE_SCHEME_")
        scheme = _pick(SCHEME_NAMES.get(scheme_key, (scheme_key, scheme_key)), lang)
        return (f"{scheme} {b.status}, base {yuan(b.monthly_contribution_base_fen)} yuan/month, last paid {b.last_paid_month}"
                if en else f"{scheme} {b.status}，缴费基数 {yuan(b.monthly_contribution_base_fen)} 元/月，最近缴费 {b.last_paid_month}")
    if kind == "pension":
        b = record.pension
        return (f"pension {yuan(b.monthly_amount_fen)} yuan/month ({b.status})" if en
                else f"月养老金 {yuan(b.monthly_amount_fen)} 元（{b.status}）")
    if kind == "unemployment":
        b = record.unemployment
        if b.registered_unemployed:
            registered = "registered" if en else "已失业登记"
        else:
            registered = "not registered" if en else "未失业登记"
        return (f"{registered}, benefit {yuan(b.monthly_benefit_fen)} yuan/month" if en
                else f"{registered}，失业保险金 {yuan(b.monthly_benefit_fen)} 元/月")
    if kind == "real_estate":
        b = record.real_estate
        area = f"{b.floor_area_cm2 / 10000:.2f}"
        use_key = records_pb2.PropertyUse.Name(b.use).removeprefix("PROPERTY_USE_")
        use = _pick(USE_NAMES.get(use_key, (use_key, use_key)), lang)
        return (f"{b.address}, {area} m², {use}, share {b.share_basis_points / 100:.0f}%" if en
                else f"{b.address}，{area} 平方米，{use}，份额 {b.share_basis_points / 100:.0f}%")
    if kind == "vehicle":
        b = record.vehicle
        return (f"{b.plate_number} {b.model}, value {yuan(b.value_fen)} yuan ({b.status})" if en
                else f"{b.plate_number} {b.model}，价值 {yuan(b.value_fen)} 元（{b.status}）")
    if kind == "household_registration":
        b = record.household_registration
        return (f"household {b.household_number}, {b.address} ({b.status})" if en
                else f"户号 {b.household_number}，{b.address}（{b.status}）")
    if kind is not None and kind in _MORE_SUMMARIES:
        return _MORE_SUMMARIES[kind](getattr(record, kind), en)
    return kind or "-"


def _enum_label(enum: Any, value: int, prefix: str, en: bool) -> str:
    """Return the label of a code-table value in the report's language, as the printable report shows it."""
    from hedui.sdk._html_labels import ENUM_LABELS  # imports this module, so not at the top

    try:
        name = enum.Name(value)
    except ValueError:
        return str(value)
    pair = ENUM_LABELS.get(name)
    if pair is None:
        return name.removeprefix(prefix).lower()
    return pair[1] if en else pair[0]


def _marriage(b: Any, en: bool) -> str:
    from hedui.sdk._html_labels import MARITAL_STATUS  # imports this module, so not at the top

    spouse = mask_id_number(b.spouse_id_number) if b.spouse_id_number else "-"
    meaning = MARITAL_STATUS.get(b.marital_status_code)
    status = f"{b.marital_status_code} {meaning[1 if en else 0]}" if meaning else b.marital_status_code
    return (f"marital status {status}, spouse {b.spouse_name} {spouse}, registered {b.registration_date}"
            if en else f"婚姻状况 {status}，配偶 {b.spouse_name} {spouse}，登记日期 {b.registration_date}")


def _cremation(b: Any, en: bool) -> str:
    return (f"died {b.date_of_death}, cremated {b.cremation_date}" if en
            else f"死亡日期 {b.date_of_death}，火化日期 {b.cremation_date}")


def _medical(b: Any, en: bool) -> str:
    return (f"{b.status}, {b.cost_year} out of pocket {yuan(b.out_of_pocket_fen)} of {yuan(b.total_cost_fen)} yuan" if en
            else f"{b.status}，{b.cost_year} 年个人负担 {yuan(b.out_of_pocket_fen)} 元（总费用 {yuan(b.total_cost_fen)} 元）")


def _provident(b: Any, en: bool) -> str:
    return (f"{b.account_status}, deposit {yuan(b.monthly_deposit_fen)} yuan/month, balance {yuan(b.balance_fen)} yuan" if en
            else f"{b.account_status}，月缴存 {yuan(b.monthly_deposit_fen)} 元，余额 {yuan(b.balance_fen)} 元")


def _tax(b: Any, en: bool) -> str:
    kind = _enum_label(records_pb2.IncomeKind, b.income_kind, "INCOME_KIND_", en)
    return (f"{b.tax_year} {kind} income {yuan(b.income_fen)} yuan, tax {yuan(b.tax_paid_fen)} yuan" if en
            else f"{b.tax_year} 年 {kind} 所得 {yuan(b.income_fen)} 元，已缴税 {yuan(b.tax_paid_fen)} 元")


def _business(b: Any, en: bool) -> str:
    role = _enum_label(records_pb2.BusinessRole, b.role, "BUSINESS_ROLE_", en)
    return (f"{b.business_name} ({b.status}), {role}, capital {yuan(b.registered_capital_fen)} yuan" if en
            else f"{b.business_name}（{b.status}），{role}，注册资本 {yuan(b.registered_capital_fen)} 元")


def _disability(b: Any, en: bool) -> str:
    category = _enum_label(records_pb2.DisabilityCategory, b.category, "DISABILITY_CATEGORY_", en)
    return (f"{category} disability, grade {b.grade}, valid until {b.valid_until}" if en
            else f"{category} 残疾 {b.grade} 级，有效期至 {b.valid_until}")


def _health(b: Any, en: bool) -> str:
    kind = _enum_label(records_pb2.ConditionKind, b.kind, "CONDITION_KIND_", en)
    return (f"{kind}: {b.condition_name}, diagnosed {b.diagnosis_date}" if en
            else f"{kind}：{b.condition_name}，确诊 {b.diagnosis_date}")


def _deposit(b: Any, en: bool) -> str:
    return (f"{b.institution} {b.account_type}, balance {yuan(b.balance_fen)} yuan on {b.balance_date}" if en
            else f"{b.institution} {b.account_type}，{b.balance_date} 余额 {yuan(b.balance_fen)} 元")


def _securities(b: Any, en: bool) -> str:
    return (f"{b.institution}, market value {yuan(b.market_value_fen)} yuan on {b.valuation_date}" if en
            else f"{b.institution}，{b.valuation_date} 市值 {yuan(b.market_value_fen)} 元")


def _insurance(b: Any, en: bool) -> str:
    return (f"{b.insurer} {b.product_type}, cash value {yuan(b.cash_value_fen)} yuan" if en
            else f"{b.insurer} {b.product_type}，现金价值 {yuan(b.cash_value_fen)} 元")


def _low_income(b: Any, en: bool) -> str:
    category = _enum_label(common_pb2.AssistanceCategory, b.assistance_category, "ASSISTANCE_CATEGORY_", en)
    programmes = [_enum_label(records_pb2.AssistanceProgramme, p, "ASSISTANCE_PROGRAMME_", en) for p in b.programmes]
    if en:
        received = f", also receives {', '.join(programmes)}" if programmes else ""
        return f"{category} ({b.status}) since {b.start_date}, {yuan(b.monthly_benefit_fen)} yuan/month{received}"
    received = f"，已享受{'、'.join(programmes)}" if programmes else ""
    return f"{category}（{b.status}），自 {b.start_date} 起，每月 {yuan(b.monthly_benefit_fen)} 元{received}"


def _rural(b: Any, en: bool) -> str:
    category = _enum_label(records_pb2.MonitoringCategory, b.category, "MONITORING_CATEGORY_", en)
    return (f"{category}, risk {b.risk} ({b.status}) since {b.start_date}" if en
            else f"{category}，风险 {b.risk}（{b.status}），自 {b.start_date} 起")


# One-line summaries of the record kinds added for the full verification list.
_MORE_SUMMARIES = {
    "marriage": _marriage, "cremation": _cremation, "medical_insurance": _medical,
    "housing_provident_fund": _provident, "tax": _tax, "business_registration": _business,
    "disability": _disability, "health": _health, "bank_deposit": _deposit, "securities": _securities,
    "commercial_insurance": _insurance, "low_income_registry": _low_income, "rural_monitoring": _rural,
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Return the lines of a plain aligned table; CJK characters count as two columns."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return lines


def render_report(report: VerificationReport, names: dict[str, tuple[str, str]] | None = None,
                  lang: str | None = None, mask: Callable[[str], str] = mask_id_number) -> str:
    """Return the report as text: source statuses, then each member's records by category.

    ``names`` maps ID numbers to (name, relation code) for display; ID
    numbers are shown masked.
    """
    lang = lang or current_lang()
    en = lang == "en"
    names = names or {}
    out = [
        ("Household economic status verification report" if en else "家庭经济状况核对报告"),
        (f"request {report.request_id}  aggregated by {report.responder}  at {iso(report.created_at)}" if en
         else f"请求编号 {report.request_id}  汇总节点 {report.responder}  生成时间 {iso(report.created_at)}"),
        "",
        ("Sources" if en else "数据来源"),
    ]
    source_rows = []
    for source in report.sources:
        status = _pick(STATUS_NAMES.get(source.status, (source.status, source.status)), lang)
        if source.reason:
            status += f" ({source.reason})" if en else f"（{source.reason}）"
        categories = ", ".join(category_label(c, lang) for c in source.categories)
        signed = "-"
        if source.signature_verified:
            signed = "verified" if en else "已验证"
        disclosure = _pick(DISCLOSURE_NAMES.get(source.disclosure, ("-", "-")), lang)
        source_rows.append([source.node, status, categories, f"{source.elapsed_ms} ms", signed, disclosure])
    headers = (["node", "status", "categories", "time", "signature", "disclosure"] if en
               else ["节点", "状态", "数据类别", "耗时", "部门签名", "披露方式"])
    out += ["  " + line for line in table(headers, source_rows)]
    for source in report.sources:
        if source.withheld_fields:
            fields = ", ".join(source.withheld_fields)
            out.append(f"  {source.node} withheld for this purpose: {fields}" if en
                       else f"  {source.node} 按核对目的未返回：{fields}")
    if report.answers:
        out += ["", *render_answers(report, lang)]
    if report.threshold_only:
        out += ["", ("Answers only: this report holds no records." if en else "仅答是否：本报告不含任何记录。")]
        return "\n".join(out)

    by_category = {s.node: s for s in report.sources}
    for index, number in enumerate(report.members, start=1):
        name, relation = names.get(number, ("", ""))
        relation_text = _pick(RELATION_NAMES.get(relation, (relation, relation)), lang) if relation else ""
        out += ["", (f"Member {index}: {name} ({relation_text}) {mask(number)}" if en
                     else f"成员 {index}：{name}（{relation_text}） {mask(number)}")]
        rows = []
        for category in report.categories:
            found = False
            for source in by_category.values():
                if category not in source.categories:
                    continue
                for record in source.records:
                    if record.id_number == number and record.category == category:
                        rows.append([category_label(category, lang), source.node,
                                     iso(record.as_of.ToDatetime()).split("T")[0] if record.HasField("as_of") else "-",
                                     summarize(record, lang) + _withheld_note(record, source.withheld_fields, en)])
                        found = True
                if not found and source.status in ("ANSWERED", "NO_RECORD"):
                    rows.append([category_label(category, lang), source.node, "-", "no record" if en else "无记录"])
                    found = True
                elif not found:
                    label = _pick(STATUS_NAMES.get(source.status, (source.status, source.status)), lang)
                    if source.reason:
                        label += f" ({source.reason})" if en else f"（{source.reason}）"
                    rows.append([category_label(category, lang), source.node, "-", label])
                    found = True
        headers = ["category", "source", "as of", "content"] if en else ["类别", "来源", "截至", "内容"]
        out += ["  " + line for line in table(headers, rows)]
    out += ["", *render_totals(household_totals(report), lang, report.categories)]
    return "\n".join(out)


def _withheld_note(record: records_pb2.Record, withheld: tuple[str, ...], en: bool) -> str:
    """Return a note naming the fields of this record's kind that the purpose withheld, since they print as 0."""
    from hedui.sdk._html_labels import FIELD_LABELS  # imports this module, so not at the top

    kind = record.WhichOneof("body")
    names = [FIELD_LABELS.get(path, (path, path))[1 if en else 0] for path in withheld
             if path.split(".", 1)[0] == kind]
    if not names:
        return ""
    return f" (withheld for this purpose: {', '.join(names)})" if en else f"（按用途未提供：{'、'.join(names)}）"


def render_answers(report: VerificationReport, lang: str) -> list[str]:
    """Return the answers to the threshold questions as a table."""
    rows = []
    for answer in report.answers:
        template = _pick(QUESTION_NAMES.get(answer.kind, (answer.kind, answer.kind)), lang)
        result = _pick(RESULT_NAMES.get(answer.result, (answer.result, answer.result)), lang)
        if answer.reason:
            result += f" ({answer.reason})" if lang == "en" else f"（{answer.reason}）"
        rows.append([answer.question_id, template.format(amount=yuan(answer.amount_fen)), result,
                     ", ".join(answer.sources) or "-"])
    headers = ["question", "asks", "answer", "sources"] if lang == "en" else ["问题", "内容", "答案", "依据来源"]
    title = "Threshold questions" if lang == "en" else "阈值问题"
    return [title, *("  " + line for line in table(headers, rows))]


def render_totals(totals: HouseholdTotals, lang: str, categories: Iterable[int] | None = None) -> list[str]:
    """Return the household totals as lines of text.

    ``categories`` are those the request asked for; a total none of whose
    categories was asked for reads "not checked" instead of a misleading zero.
    """
    en = lang == "en"
    lines = {
        "income": (f"monthly income (pensions, benefits, taxable income / 12): {yuan(totals.monthly_income_fen)} yuan, "
                   f"{yuan(totals.monthly_income_per_member_fen)} yuan per member" if en
                   else f"月收入（养老金、失业保险金、纳税所得月均）：{yuan(totals.monthly_income_fen)} 元，"
                        f"人均 {yuan(totals.monthly_income_per_member_fen)} 元"),
        "assistance": (f"assistance already received: {yuan(totals.monthly_assistance_fen)} yuan a month" if en
                       else f"已领取的救助金：每月 {yuan(totals.monthly_assistance_fen)} 元"),
        "vehicles": (f"vehicles: {totals.vehicles}, value {yuan(totals.vehicle_value_fen)} yuan" if en
                     else f"机动车：{totals.vehicles} 辆，价值 {yuan(totals.vehicle_value_fen)} 元"),
        "real_estate": (f"real estate: {totals.properties}, own floor area {totals.floor_area_cm2 / 10000:.2f} m², "
                        f"{totals.floor_area_per_member_cm2 / 10000:.2f} m² per member" if en
                        else f"不动产：{totals.properties} 处，本人份额建筑面积 {totals.floor_area_cm2 / 10000:.2f} 平方米，"
                             f"人均 {totals.floor_area_per_member_cm2 / 10000:.2f} 平方米"),
        "financial": (f"financial assets: {yuan(totals.financial_assets_fen)} yuan" if en
                      else f"金融资产：{yuan(totals.financial_assets_fen)} 元"),
    }
    requested = None if categories is None else {common_pb2.DataCategory.Name(c).removeprefix("DATA_CATEGORY_")
                                             for c in categories}
    out = ["Household totals (from the records above)" if en else "家庭合计（根据以上记录）"]
    for key, text in lines.items():
        if requested is not None and not requested.intersection(TOTAL_INPUTS[key][0]):
            label = text.split(":")[0] if en else text.split("：")[0]
            text = f"{label}: not checked" if en else f"{label}：未核对"
        out.append("  " + text)
    return out

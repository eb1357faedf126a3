"""Render a verified report as the printable HTML verification report (核对报告) a case worker files and signs.

The document is one self-contained UTF-8 page: inline CSS, no script, no
external font or image, and a Content-Security-Policy that forbids loading
anything. It prints on A4 with the table headers repeated on every page.
Every value that comes from the report is HTML-escaped, because record
strings come from department systems.

The report does not carry the case reference, the purpose, the
authorization or the members' names; the caller passes them in
``CaseDetails`` and ``names``. Household totals come from
``hedui.sdk.totals`` only. Disclosure modes, withheld fields and threshold
answers are read from ``VerificationReport.to_dict()`` when it has them,
so this page and the JSON form name the same things.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
from typing import Any, Mapping

from hedui.sdk._html_labels import DISCLOSURES, ENUM_LABELS, FIELD_LABELS, QUESTION_KINDS, QUESTION_RESULTS, RELATIONS
from hedui.sdk._html_labels import pick, reason_words
from hedui.sdk._html_records import EMPTY, area, money, record_fields
from hedui.sdk._html_style import STYLE, page_rule
from hedui.sdk.render import STATUS_NAMES, category_label
from hedui.sdk.report import SourceOutcome, VerificationReport
from hedui.sdk.totals import TOTAL_INPUTS, HouseholdTotals, household_totals
from hedui.v1 import authorization_pb2, common_pb2, exchange_pb2

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
TITLE = ("社会救助家庭经济状况核对报告", "Social Assistance Household Economic Status Verification Report")
# Sources in these states answered; any other state means the source's records are missing.
ANSWERED_STATES = ("ANSWERED", "NO_RECORD")

@dataclasses.dataclass(frozen=True)
class CaseDetails:
    """The case facts the filed report shows beside the verified report."""

    case_reference: str = ""
    purpose: int = 0                  # a common_pb2.Purpose value; 0 when not given
    assistance_category: int = 0      # a common_pb2.AssistanceCategory value; 0 when not given
    authorization_id: str = ""
    requested_by: str = ""            # the node that ran the verification, for example 140100/MZ

    @classmethod
    def from_authorization(cls, record: authorization_pb2.AuthorizationRecord,
                           requested_by: str = "") -> CaseDetails:
        """Take the case reference, purpose, assistance category and record id from an authorization record."""
        return cls(case_reference=record.case_reference, purpose=record.purpose,
                   assistance_category=record.assistance_category, authorization_id=record.record_id,
                   requested_by=requested_by)


def member_names(record: authorization_pb2.AuthorizationRecord) -> dict[str, tuple[str, str]]:
    """Return {ID number: (name, relation code)} for the members an authorization record covers."""
    return {member.id_number: (member.name, member.relation_code) for member in record.members}


@dataclasses.dataclass(frozen=True)
class _Source:
    """One source's outcome with what to_dict adds about it."""

    outcome: SourceOutcome
    disclosure: str | None            # a DISCLOSURES key, or None when to_dict has no disclosure
    withheld: frozenset[str]


@dataclasses.dataclass(frozen=True)
class _Context:
    report: VerificationReport
    lang: str
    case: CaseDetails
    names: Mapping[str, tuple[str, str]]
    node_names: Mapping[str, str]
    sources: tuple[_Source, ...]
    threshold_only: bool
    answers: tuple[Mapping[str, Any], ...]

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh


def render_html(report: VerificationReport, *, lang: str = "zh", case: CaseDetails | None = None,
                names: Mapping[str, tuple[str, str]] | None = None,
                node_names: Mapping[str, str] | None = None) -> str:
    """Return the report as one printable HTML document, in Chinese or (``lang="en"``) English.

    ``names`` maps ID numbers to (name, relation code), as ``member_names``
    returns them; ``node_names`` maps node ids to organisation names, for
    example from the federation directory. ID numbers are shown in full,
    because the household's paper authorization form lists them in full and
    the filed report must match it. The document holds personal data: store
    it as the case file is stored, and keep it out of logs.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    document = report.to_dict()
    context = _Context(
        report=report, lang=lang, case=case or CaseDetails(), names=names or {}, node_names=node_names or {},
        sources=_sources(report, document), threshold_only=bool(document.get("threshold_only", False)),
        answers=tuple(document.get("answers") or ()),
    )
    parts = [_header(context), _members_table(context), _sources_table(context), _answers_section(context)]
    parts += [_member_section(context, index, number) for index, number in enumerate(report.members, start=1)]
    parts += [_totals_section(context), _signature_block(context)]
    return _page(context, "\n".join(part for part in parts if part))


# Reading to_dict: the disclosure fields may be absent (older reports) or given as proto enum names.

def _sources(report: VerificationReport, document: Mapping[str, Any]) -> tuple[_Source, ...]:
    entries = document.get("sources", [])
    sources = []
    for outcome, entry in zip(report.sources, entries, strict=True):
        sources.append(_Source(outcome, _disclosure_key(entry.get("disclosure")),
                               frozenset(entry.get("withheld_fields") or ())))
    return tuple(sources)


def _disclosure_key(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        value = exchange_pb2.Disclosure.Name(value)
    key = str(value).lower().removeprefix("disclosure_")
    return None if key == "unspecified" else key


def _question_kind(value: Any) -> str:
    if isinstance(value, int):
        value = exchange_pb2.QuestionKind.Name(value)
    return str(value).upper().removeprefix("QUESTION_KIND_")


def _question_result(value: Any) -> str:
    if isinstance(value, int):
        value = exchange_pb2.QuestionResult.Name(value)
    return str(value).lower().removeprefix("question_result_")


# Small formatting helpers; everything that reaches the page goes through _e.

def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _local_time(moment: datetime.datetime | None) -> str:
    """Return a time as Beijing time to the second, the way the form states times."""
    if moment is None:
        return EMPTY
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _time_cell(moment: datetime.datetime | None) -> str:
    """Return a time for a narrow table cell: the line may break between the date and the time only."""
    text = _local_time(moment)
    if moment is None:
        return _e(text)
    day, clock = text.split(" ")
    return f'<span class="nowrap">{_e(day)}</span> <span class="nowrap">{_e(clock)}</span>'


def _enum_label(enum: Any, number: int, lang: str) -> str:
    if number == 0:
        return EMPTY
    try:
        name = enum.Name(number)
    except ValueError:
        return str(number)
    return pick(ENUM_LABELS.get(name, (name, name)), lang)


def _node(context: _Context, node: str) -> str:
    name = context.node_names.get(node)
    if not name:
        return f'<span class="node-id">{_e(node)}</span>'
    return f'<span class="node-name">{_e(name)}</span><br><span class="node-id">{_e(node)}</span>'


def _status(context: _Context, source: _Source) -> str:
    """Return a source's status in words, with the reason when it has one."""
    outcome = source.outcome
    text = pick(STATUS_NAMES.get(outcome.status, (outcome.status, outcome.status)), context.lang)
    reason = reason_words(outcome.reason, context.lang)
    if reason:
        text += f": {reason}" if context.lang == "en" else f"：{reason}"
    return text


def _field_path_label(path: str, lang: str) -> str:
    """Return a withheld field path in words, for example 机动车价值 (vehicle.value_fen)."""
    kind = path.split(".", 1)[0]
    try:
        category = category_label(common_pb2.DataCategory.Value(f"DATA_CATEGORY_{kind.upper()}"), lang)
    except ValueError:
        category = kind
    field = FIELD_LABELS.get(path)
    if field is None:
        return path
    if lang == "en":
        return f"{category} {pick(field, lang)} ({path})"
    return f"{category}{pick(field, lang)}（{path}）"


def _table_head(headers: list[str], widths: list[int] | None = None) -> str:
    """Return the colgroup (widths in per cent, when given) and the thead that repeats on every printed page."""
    columns = ""
    if widths:
        columns = "<colgroup>" + "".join(f'<col style="width: {width}%">' for width in widths) + "</colgroup>"
    head = "".join(f"<th>{_e(header)}</th>" for header in headers)
    return f"{columns}<thead><tr>{head}</tr></thead>"


def _table(headers: list[str], rows: list[str], css_class: str, widths: list[int] | None = None) -> str:
    return f'<table class="{css_class}">{_table_head(headers, widths)}<tbody>{"".join(rows)}</tbody></table>'


# The sections of the page, top to bottom.

def _page(context: _Context, body: str) -> str:
    # The title names the case, because browsers offer it as the file name when printing to PDF.
    title = " ".join(part for part in (pick(TITLE, context.lang), context.case.case_reference) if part)
    html_lang = "en" if context.lang == "en" else "zh-CN"
    header = context.t(f"请求编号 {context.report.request_id}", f"Request {context.report.request_id}")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{page_rule(header, context.lang)}{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _header(context: _Context) -> str:
    case, report, lang = context.case, context.report, context.lang
    requested_by = _node(context, case.requested_by) if case.requested_by else EMPTY
    facts = [
        (context.t("案件编号", "Case reference"), _e(case.case_reference or EMPTY)),
        (context.t("核对目的", "Purpose"), _e(_enum_label(common_pb2.Purpose, case.purpose, lang))),
        (context.t("救助类别", "Assistance category"),
         _e(_enum_label(common_pb2.AssistanceCategory, case.assistance_category, lang))),
        (context.t("授权记录编号", "Authorization record"), _e(case.authorization_id or EMPTY)),
        (context.t("发起核对单位", "Requested by"), requested_by),
        (context.t("汇总核对节点", "Aggregating node"), _node(context, report.responder)),
        (context.t("请求编号", "Request id"), _e(report.request_id)),
        (context.t("报告生成时间", "Report time"), _e(_local_time(report.created_at))),
    ]
    rows = "".join(f"<tr><th>{_e(label)}</th><td>{value}</td></tr>" for label, value in facts)
    note = context.t("本报告中的时间均为北京时间（UTC+8）。金额单位为元，面积单位为平方米。",
                     "Times are Beijing time (UTC+8). Amounts are in yuan, areas in square metres.")
    return (f'<h1>{_e(pick(TITLE, lang))}</h1>\n<section class="case"><table class="facts"><tbody>{rows}</tbody></table>'
            f'<p class="note">{_e(note)}</p></section>')


def _member_label(context: _Context, number: str) -> tuple[str, str]:
    """Return a member's name and relation in words; either is a dash when the caller did not give it."""
    name, relation = context.names.get(number, ("", ""))
    relation_text = pick(RELATIONS.get(relation, (relation, relation)), context.lang) if relation else ""
    return name or EMPTY, relation_text or EMPTY


def _members_table(context: _Context) -> str:
    rows = []
    for index, number in enumerate(context.report.members, start=1):
        name, relation = _member_label(context, number)
        rows.append(f'<tr data-member="{_e(number)}"><td class="number">{index}</td><td>{_e(name)}</td>'
                    f'<td>{_e(relation)}</td><td class="id-number">{_e(number)}</td></tr>')
    headers = [context.t("序号", "No."), context.t("姓名", "Name"), context.t("与户主关系", "Relation to the head"),
               context.t("公民身份号码", "Resident ID number")]
    return (f'<section class="members"><h2>{_e(context.t("家庭成员", "Household members"))}</h2>'
            f'{_table(headers, rows, "members", [8, 22, 25, 45])}</section>')


def _disclosure_cell(context: _Context, source: _Source) -> str:
    # A source that did not answer disclosed nothing, whatever mode its entry names.
    if source.disclosure is None or source.outcome.status not in ANSWERED_STATES:
        return EMPTY
    mode = DISCLOSURES.get(source.disclosure)
    text = _e(pick(mode, context.lang) if mode else source.disclosure)
    if source.withheld:
        label = context.t("未提供字段：", "Withheld: ")
        fields = (", " if context.lang == "en" else "、").join(
            _field_path_label(path, context.lang) for path in sorted(source.withheld))
        text += f'<br><span class="withheld">{_e(label)}{_e(fields)}</span>'
    return text


def _sources_table(context: _Context) -> str:
    lang = context.lang
    with_disclosure = any(source.disclosure is not None or source.withheld for source in context.sources)
    rows = []
    for source in context.sources:
        outcome = source.outcome
        categories = ("、" if lang == "zh" else ", ").join(category_label(c, lang) for c in outcome.categories)
        signed = context.t("已验证", "verified") if outcome.signature_verified else EMPTY
        bad = "" if outcome.status in ANSWERED_STATES else ' class="status-bad"'
        cells = [
            _node(context, outcome.node), _e(categories or EMPTY), f"<span{bad}>{_e(_status(context, source))}</span>",
            _time_cell(outcome.answered_at), _e(f"{outcome.elapsed_ms} ms"), _e(signed),
        ]
        if with_disclosure:
            cells.append(_disclosure_cell(context, source))
        rows.append(f'<tr data-source="{_e(outcome.node)}" data-status="{_e(outcome.status)}">'
                    + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    headers = [context.t("数据来源", "Source"), context.t("核对项目", "Items"), context.t("应答状态", "Status"),
               context.t("应答时间", "Answered at"), context.t("耗时", "Time taken"),
               context.t("部门签名", "Signature")]
    widths = [20, 18, 22, 14, 9, 9]
    if with_disclosure:
        headers.append(context.t("披露方式", "Disclosure"))
        widths = [17, 16, 19, 13, 8, 9, 18]
    return (f'<section class="sources"><h2>{_e(context.t("数据来源及应答状态", "Sources and their status"))}</h2>'
            f'{_table(headers, rows, "sources", widths)}</section>')


def _question_text(context: _Context, answer: Mapping[str, Any]) -> str:
    kind = _question_kind(answer.get("kind", ""))
    amount = money(int(answer.get("amount_fen") or 0), context.lang)
    template = QUESTION_KINDS.get(kind)
    if template is None:
        return f"{kind} {amount}"
    return pick(template, context.lang).format(amount=amount)


def _answers_section(context: _Context) -> str:
    if not context.answers and not context.threshold_only:
        return ""
    rows = []
    for answer in context.answers:
        result = _question_result(answer.get("result", ""))
        sources = (", " if context.lang == "en" else "、").join(str(node) for node in answer.get("sources") or ())
        reason = reason_words(str(answer.get("reason") or ""), context.lang)
        bad = ' class="status-bad"' if result == "undetermined" else ""
        rows.append(
            f'<tr data-question="{_e(answer.get("question_id", ""))}" data-result="{_e(result)}">'
            f'<td>{_e(answer.get("question_id", ""))}</td><td>{_e(_question_text(context, answer))}</td>'
            f'<td><span{bad}>{_e(pick(QUESTION_RESULTS.get(result, (result, result)), context.lang))}</span></td>'
            f"<td>{_e(sources or EMPTY)}</td><td>{_e(reason or EMPTY)}</td></tr>")
    headers = [context.t("问题编号", "Question"), context.t("问题", "Question asked"), context.t("结果", "Result"),
               context.t("依据来源", "Sources counted"), context.t("说明", "Note")]
    note = ""
    if context.threshold_only:
        note = '<p class="note">' + _e(context.t(
            "本次核对只答是否：各部门只返回是否达到阈值，报告不含记录。",
            "This verification asked for yes/no answers only: the departments returned no records.")) + "</p>"
    return (f'<section class="answers"><h2>{_e(context.t("阈值问题核对结果", "Threshold questions"))}</h2>'
            f'{note}{_table(headers, rows, "answers", [14, 38, 12, 18, 18])}</section>')


def _fields_list(fields: list[tuple[str, str]], lang: str) -> str:
    if not fields:
        return EMPTY
    colon = ": " if lang == "en" else "："
    items = "".join(f'<li><span class="label">{_e(label)}{colon}</span><span class="value">{_e(value)}</span></li>'
                    for label, value in fields)
    return f'<ul class="fields">{items}</ul>'


def _item_rows(context: _Context, number: str, category: int) -> list[tuple[str, str, str, str, str]]:
    """Return (source id, source cell, status, as-of, content) rows for one member and one category."""
    rows = []
    for source in context.sources:
        outcome = source.outcome
        if category not in outcome.categories:
            continue
        node = _node(context, outcome.node)
        records = [r for r in outcome.records if r.id_number == number and r.category == category]
        for record in records:
            as_of = record.as_of.ToDatetime(tzinfo=datetime.timezone.utc) if record.HasField("as_of") else None
            content = _fields_list(record_fields(record, context.lang, source.withheld), context.lang)
            rows.append((outcome.node, node, _e(context.t("有记录", "record found")), _time_cell(as_of), content))
        if records:
            continue
        if outcome.status not in ANSWERED_STATES:
            status = f'<span class="status-bad">{_e(_status(context, source))}</span>'
        elif source.disclosure == "threshold_only" or context.threshold_only:
            status = _e(context.t("仅答是否，未提供记录", "yes/no answers only, no records"))
        else:
            status = _e(context.t("无记录", "no record"))
        rows.append((outcome.node, node, status, EMPTY, EMPTY))
    return rows


def _member_section(context: _Context, index: int, number: str) -> str:
    name, relation = _member_label(context, number)
    heading = context.t(f"成员 {index}：{name}（{relation}） 公民身份号码 {number}",
                        f"Member {index}: {name} ({relation}), ID number {number}")
    bodies = []
    for category in context.report.categories:
        label = _e(category_label(category, context.lang))
        rows = _item_rows(context, number, category)
        if not rows:
            rows = [("", EMPTY, _e(context.t("无数据来源", "no source serves this item")), EMPTY, EMPTY)]
        lines = []
        for position, (node, source_cell, status, as_of, content) in enumerate(rows):
            first = f'<th rowspan="{len(rows)}" scope="rowgroup">{label}</th>' if position == 0 else ""
            lines.append(f'<tr data-source="{_e(node)}">{first}<td>{source_cell}</td><td>{status}</td>'
                         f"<td>{as_of}</td><td>{content}</td></tr>")
        name_attr = _e(common_pb2.DataCategory.Name(category).removeprefix("DATA_CATEGORY_"))
        bodies.append(f'<tbody class="item" data-category="{name_attr}">{"".join(lines)}</tbody>')
    headers = [context.t("核对项目", "Item"), context.t("数据来源", "Source"), context.t("核对情况", "Result"),
               context.t("数据截至", "As of"), context.t("记录内容", "Record")]
    columns = "".join(f'<col style="width: {width}%">' for width in (13, 17, 19, 13, 38))
    head = "".join(f"<th>{_e(header)}</th>" for header in headers)
    # The member's name sits in the table head, so every printed page of the table says whose records these are.
    return (f'<section class="member" data-member="{_e(number)}"><table class="items"><colgroup>{columns}</colgroup>'
            f'<thead><tr><th class="member-heading" colspan="{len(headers)}">{_e(heading)}</th></tr>'
            f'<tr>{head}</tr></thead>{"".join(bodies)}</table></section>')


def _total_note(context: _Context, key: str) -> str | None:
    """Return why a total is incomplete, "" when it is complete, or None when no category behind it was checked."""
    categories, fields = TOTAL_INPUTS[key]
    numbers = {common_pb2.DataCategory.Value(f"DATA_CATEGORY_{name}") for name in categories}
    if not numbers & set(context.report.categories):
        return None
    reasons = []
    for source in context.sources:
        if numbers & set(source.outcome.categories) and source.outcome.status not in ANSWERED_STATES:
            reasons.append(f"{source.outcome.node} {_status(context, source)}")
        for path in sorted(source.withheld & set(fields)):
            field = _field_path_label(path, context.lang)
            reasons.append(context.t(f"{source.outcome.node} 未提供{field}", f"{source.outcome.node} withheld {field}"))
    if not reasons:
        return ""
    return context.t("不完整：", "Incomplete: ") + ("; " if context.lang == "en" else "；").join(reasons)


def _total_values(context: _Context, totals: HouseholdTotals) -> dict[str, tuple[str, str]]:
    lang, t = context.lang, context.t
    return {
        "income": (t("月收入（养老金、失业保险金、纳税所得月均）", "Monthly income (pensions, benefits, taxable income / 12)"),
                   t(f"{money(totals.monthly_income_fen, lang)}，人均 {money(totals.monthly_income_per_member_fen, lang)}",
                     f"{money(totals.monthly_income_fen, lang)}, "
                     f"{money(totals.monthly_income_per_member_fen, lang)} per member")),
        "assistance": (t("已领取的救助金（每月）", "Assistance already received (a month)"),
                       money(totals.monthly_assistance_fen, lang)),
        "tax": (t("年度纳税所得", "Yearly taxable income"), money(totals.yearly_taxable_income_fen, lang)),
        "vehicles": (t("机动车", "Vehicles"),
                     t(f"{totals.vehicles} 辆，价值 {money(totals.vehicle_value_fen, lang)}",
                       f"{totals.vehicles}, value {money(totals.vehicle_value_fen, lang)}")),
        "real_estate": (t("不动产", "Real estate"),
                        t(f"{totals.properties} 处，本人份额建筑面积 {area(totals.floor_area_cm2, lang)}，"
                          f"人均 {area(totals.floor_area_per_member_cm2, lang)}",
                          f"{totals.properties}, own floor area {area(totals.floor_area_cm2, lang)}, "
                          f"{area(totals.floor_area_per_member_cm2, lang)} per member")),
        "financial": (t("金融资产（存款、证券、商业保险现金价值）", "Financial assets (deposits, securities, insurance)"),
                      t(f"{money(totals.financial_assets_fen, lang)}（存款 {money(totals.deposit_fen, lang)}，"
                        f"证券 {money(totals.securities_fen, lang)}，"
                        f"保险现金价值 {money(totals.insurance_cash_value_fen, lang)}）",
                        f"{money(totals.financial_assets_fen, lang)} (deposits {money(totals.deposit_fen, lang)}, "
                        f"securities {money(totals.securities_fen, lang)}, "
                        f"insurance cash value {money(totals.insurance_cash_value_fen, lang)})")),
    }


def _totals_section(context: _Context) -> str:
    heading = f'<h2>{_e(context.t("家庭合计", "Household totals"))}</h2>'
    if context.threshold_only:
        note = context.t("本次核对只答是否，报告不含记录，因此不列家庭合计。",
                         "This verification returned yes/no answers only and no records, so there are no totals.")
        return f'<section class="totals">{heading}<p class="note">{_e(note)}</p></section>'
    rows = []
    for key, (label, value) in _total_values(context, household_totals(context.report)).items():
        note = _total_note(context, key)
        if note is None:
            value, note = context.t("未核对该项目", "not checked"), ""
        rows.append(f'<tr data-total="{key}"><th>{_e(label)}</th><td>{_e(value)}</td>'
                    f'<td class="incomplete">{_e(note or EMPTY)}</td></tr>')
    headers = [context.t("项目", "Item"), context.t("合计", "Total"), context.t("说明", "Note")]
    basis = context.t(f"根据以上经签名验证的记录计算，同一记录只计一次；家庭人数 {len(context.report.members)} 人。",
                      f"Computed from the verified records above, each record counted once; "
                      f"{len(context.report.members)} household members.")
    return (f'<section class="totals">{heading}<p class="note">{_e(basis)}</p>'
            f'{_table(headers, rows, "totals", [30, 40, 30])}</section>')


def _signature_block(context: _Context) -> str:
    t = context.t
    statement = t("以上信息来自各数据来源部门经签名验证的应答，仅用于本案家庭经济状况核对。",
                  "The information above comes from the sources' signed and verified answers and serves "
                  "only this household's verification.")
    line = '<span class="line"></span>'
    return (
        f'<section class="signatures"><p>{_e(statement)}</p><table class="signatures"><tbody>'
        f'<tr><td>{_e(t("经办人签字：", "Case worker signature: "))}{line}</td>'
        f'<td class="seal" rowspan="3">{_e(t("核对机构（盖章）", "Verifying office (seal)"))}</td></tr>'
        f'<tr><td>{_e(t("复核人签字：", "Reviewer signature: "))}{line}</td></tr>'
        f'<tr><td>{_e(t("日期：", "Date: "))}{line}</td></tr>'
        "</tbody></table></section>"
    )

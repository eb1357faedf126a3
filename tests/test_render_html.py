"""The printable HTML report, loaded in headless Chromium and read back as a person sees it.

Each test renders a report, writes it to a file, opens it over file:// in
Debian's chromium driven by playwright, and compares the visible text
(innerText) of each member, item and source with the values in the report.
Every request other than the file itself is aborted and counted, so a page
that tried to load a font, an image or a script fails the test.

The browser tests skip, with the reason, when playwright or chromium is missing;
.ci/run installs chromium so CI runs it.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import shutil
from typing import Any

import pytest

from exchange_helpers import id_number
from hedui.gateway.timeutil import to_timestamp
from hedui.sdk import render_html
from hedui.sdk.render_html import CaseDetails
from hedui.sdk.report import SourceOutcome, VerificationReport
from hedui.sdk.totals import household_totals
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2 as R

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
A4_POINTS = (595.28, 841.89)

NOW = datetime.datetime(2026, 12, 4, 8, 30, tzinfo=datetime.timezone.utc)
AS_OF = NOW - datetime.timedelta(hours=10)
HEAD = id_number("14010519800101001")
SPOUSE = id_number("14010519820315002")
CHILD = id_number("14010520100720003")
NAMES = {HEAD: ("张建国", "02"), SPOUSE: ("李秀兰", "10"), CHILD: ("张小明", "20")}
NODE_NAMES = {"140000/RS": "山西省人社厅", "140000/BDC": "山西省不动产登记中心", "140000/GA": "山西省公安厅",
              "140000/MZ": "山西省民政厅", "140100/MZ": "太原市民政局"}
CASE = CaseDetails(case_reference="TY-2026-DB-0001", purpose=C.PURPOSE_INITIAL_ELIGIBILITY,
                   assistance_category=C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE,
                   authorization_id="TY-HD-20261204-0001", requested_by="140100/MZ")
HOSTILE = "<script>window.injected = 1</script> & 有限公司 <b>粗体</b>"
CATEGORIES = (C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION,
              C.DATA_CATEGORY_UNEMPLOYMENT, C.DATA_CATEGORY_REAL_ESTATE, C.DATA_CATEGORY_VEHICLE)


def chromium_path() -> str:
    """Return the system chromium, or skip: playwright must not download a browser of its own."""
    path = os.environ.get("HEDUI_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    return path


@dataclasses.dataclass
class OpenedReport:
    """A rendered report open in the browser, with the requests it tried to make."""

    page: Any
    requests: list[str]

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def texts(self, selector: str) -> list[str]:
        return self.page.locator(selector).all_inner_texts()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    executable = chromium_path()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def show(browser, tmp_path):
    """Return a function that writes an HTML document to a file and opens it in a fresh page."""
    pages = []

    def open_document(document: str, name: str = "report.html") -> OpenedReport:
        path = tmp_path / name
        path.write_text(document, encoding="utf-8")
        page = browser.new_page()
        pages.append(page)
        requests: list[str] = []

        def only_the_file(route: Any) -> None:
            if route.request.url == path.as_uri():
                route.continue_()
            else:
                requests.append(route.request.url)
                route.abort()

        page.route("**/*", only_the_file)
        page.goto(path.as_uri())
        return OpenedReport(page, requests)

    yield open_document
    for page in pages:
        page.close()


# Reports built from records, the way the SDK hands them to a caller.

def record(number: str, category: str, **body: Any) -> R.Record:
    return R.Record(id_number=number, category=getattr(C, f"DATA_CATEGORY_{category}"), as_of=to_timestamp(AS_OF),
                    **body)


def answered(node: str, categories: tuple[int, ...], *records: R.Record) -> SourceOutcome:
    return SourceOutcome(node=node, status="ANSWERED", reason="", categories=categories, records=records,
                         answered_at=NOW, elapsed_ms=120, signature_verified=True)


def failed(node: str, categories: tuple[int, ...], status: str, reason: str) -> SourceOutcome:
    return SourceOutcome(node=node, status=status, reason=reason, categories=categories, records=(),
                         answered_at=None, elapsed_ms=5000, signature_verified=False)


RS_CATEGORIES = (C.DATA_CATEGORY_SOCIAL_INSURANCE, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_UNEMPLOYMENT)
BDC_CATEGORIES = (C.DATA_CATEGORY_REAL_ESTATE,)
GA_CATEGORIES = (C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_VEHICLE)

PENSION = record(HEAD, "PENSION", pension=R.PensionRecord(
    scheme=R.INSURANCE_SCHEME_EMPLOYEE_PENSION, monthly_amount_fen=325_050, start_date="2020-01-01", status="正常发放"))
INSURANCE = record(HEAD, "SOCIAL_INSURANCE", social_insurance=R.SocialInsuranceRecord(
    scheme=R.INSURANCE_SCHEME_EMPLOYEE_PENSION, employer_name=HOSTILE, status="参保缴费",
    monthly_contribution_base_fen=420_000, last_paid_month="2026-11"))
BENEFIT = record(SPOUSE, "UNEMPLOYMENT", unemployment=R.UnemploymentRecord(
    registered_unemployed=True, registration_date="2026-03-01", monthly_benefit_fen=172_000))
HOME = record(HEAD, "REAL_ESTATE", real_estate=R.RealEstateRecord(
    certificate_number="晋(2019)太原市不动产权第0012345号", location_division=C.DivisionCode(code="140105"),
    address="小店区长风街 1 号 3 单元 502", use=R.PROPERTY_USE_RESIDENTIAL, floor_area_cm2=895_000,
    share_basis_points=5_000, registration_date="2019-05-10"))
CAR = record(SPOUSE, "VEHICLE", vehicle=R.VehicleRecord(
    plate_number="晋A·12345", vehicle_type_code="K33", model="大众朗逸", first_registration_date="2018-06-01",
    value_fen=8_000_000, status="正常"))
REGISTRATION = record(CHILD, "HOUSEHOLD_REGISTRATION", household_registration=R.HouseholdRegistrationRecord(
    household_number="140105001234", division=C.DivisionCode(code="140105"), address="小店区长风街 1 号",
    relation_code="20", status="正常", name="张小明"))


def full_report(*sources: SourceOutcome) -> VerificationReport:
    return VerificationReport(request_id="8f1c2d3e-0000-4000-8000-000000000001", responder="140000/MZ",
                              created_at=NOW, members=(HEAD, SPOUSE, CHILD), categories=CATEGORIES,
                              sources=sources or (answered("140000/RS", RS_CATEGORIES, PENSION, INSURANCE, BENEFIT),
                                                  answered("140000/BDC", BDC_CATEGORIES, HOME),
                                                  answered("140000/GA", GA_CATEGORIES, CAR, REGISTRATION)))


def with_failures() -> VerificationReport:
    return full_report(answered("140000/RS", RS_CATEGORIES, PENSION, INSURANCE, BENEFIT),
                       failed("140000/BDC", BDC_CATEGORIES, "REFUSED", "AUTHORIZATION_EXPIRED"),
                       failed("140000/GA", GA_CATEGORIES, "TIMED_OUT", "DEPARTMENT_TIMEOUT"))


@dataclasses.dataclass(frozen=True)
class MinimisedReport(VerificationReport):
    """A report whose to_dict carries the data-minimisation fields, as the SDK's JSON form names them."""

    source_extras: tuple[dict[str, Any], ...] = ()
    top_extras: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict:
        document = super().to_dict()
        for entry, extra in zip(document["sources"], self.source_extras, strict=True):
            entry.update(extra)
        document.update(self.top_extras)
        return document


@dataclasses.dataclass(frozen=True)
class PlainReport(VerificationReport):
    """A report whose to_dict has none of the data-minimisation fields, like reports before them."""

    def to_dict(self) -> dict:
        document = super().to_dict()
        for key in ("threshold_only", "answers"):
            document.pop(key, None)
        for entry in document["sources"]:
            for key in ("disclosure", "withheld_fields"):
                entry.pop(key, None)
        return document


def minimised(base: VerificationReport, source_extras: list[dict[str, Any]], **top: Any) -> MinimisedReport:
    fields = {field.name: getattr(base, field.name) for field in dataclasses.fields(VerificationReport)}
    return MinimisedReport(**fields, source_extras=tuple(source_extras), top_extras=top)


def plain(base: VerificationReport) -> PlainReport:
    return PlainReport(**{field.name: getattr(base, field.name) for field in dataclasses.fields(VerificationReport)})


# What a person must find on the page, derived from the records themselves.

def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def expected_fragments(found: R.Record) -> list[str]:
    """Return the texts every rendering of a record must show: strings as given, money in yuan, areas in m²."""
    kind = found.WhichOneof("body")
    body = getattr(found, kind)
    fragments = []
    for field in body.DESCRIPTOR.fields:
        value = getattr(body, field.name)
        if field.name.endswith("_fen"):
            fragments.append(yuan(value))
        elif field.name.endswith("_cm2"):
            fragments.append(f"{value / 10000:,.2f}")
        elif isinstance(value, str) and value:
            fragments.append(value)
    return fragments


def beijing(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S")


def row_selector(number: str, category: int, node: str) -> str:
    name = C.DataCategory.Name(category).removeprefix("DATA_CATEGORY_")
    return f'section.member[data-member="{number}"] tbody[data-category="{name}"] tr[data-source="{node}"]'


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Return each page's width and height in points from the PDF's MediaBox entries."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    return [(float(width), float(height)) for width, height in boxes]


# The tests.

def test_records_shown_per_member_and_item(show) -> None:
    report = full_report()
    opened = show(render_html(report, case=CASE, names=NAMES, node_names=NODE_NAMES))

    for source in report.sources:
        for found in source.records:
            texts = opened.texts(row_selector(found.id_number, found.category, source.node))
            assert len(texts) == 1, (found.id_number, found.category, source.node)
            for fragment in expected_fragments(found):
                assert fragment in texts[0], (fragment, texts[0])
            assert beijing(AS_OF) in texts[0]
            assert "有记录" in texts[0]


def test_units_in_words(show) -> None:
    opened = show(render_html(full_report(), case=CASE, names=NAMES, node_names=NODE_NAMES))

    pension = opened.text(row_selector(HEAD, C.DATA_CATEGORY_PENSION, "140000/RS"))
    home = opened.text(row_selector(HEAD, C.DATA_CATEGORY_REAL_ESTATE, "140000/BDC"))
    car = opened.text(row_selector(SPOUSE, C.DATA_CATEGORY_VEHICLE, "140000/GA"))
    assert "月养老金：3,250.50 元" in pension
    assert "企业职工基本养老保险" in pension
    assert "建筑面积：89.50 平方米" in home
    assert "权利份额：50%" in home
    assert "用途：住宅" in home
    assert "价值：80,000.00 元" in car
    assert "山西省公安厅" in car


def test_member_without_record_says_so(show) -> None:
    opened = show(render_html(full_report(), case=CASE, names=NAMES))

    row = opened.text(row_selector(CHILD, C.DATA_CATEGORY_PENSION, "140000/RS"))
    assert "无记录" in row
    assert "元" not in row


def test_case_and_members_header(show) -> None:
    report = full_report()
    opened = show(render_html(report, case=CASE, names=NAMES, node_names=NODE_NAMES))

    facts = opened.text("section.case")
    assert opened.text("h1") == "社会救助家庭经济状况核对报告"
    assert "TY-2026-DB-0001" in facts
    assert "救助申请审核（初次认定）" in facts
    assert "最低生活保障" in facts
    assert "TY-HD-20261204-0001" in facts
    assert "太原市民政局" in facts
    assert "140000/MZ" in facts
    assert report.request_id in facts
    assert beijing(NOW) in facts
    for number, (name, _) in NAMES.items():
        row = opened.text(f'section.members tr[data-member="{number}"]')
        assert number in row  # the filed form shows the whole ID number
        assert name in row
    assert "户主" in opened.text(f'section.members tr[data-member="{HEAD}"]')
    assert "配偶" in opened.text(f'section.members tr[data-member="{SPOUSE}"]')


def test_source_statuses(show) -> None:
    opened = show(render_html(with_failures(), case=CASE, node_names=NODE_NAMES))

    assert "已应答" in opened.text('section.sources tr[data-source="140000/RS"]')
    refused = opened.text('section.sources tr[data-source="140000/BDC"]')
    timed_out = opened.text('section.sources tr[data-source="140000/GA"]')
    assert "拒绝" in refused
    assert "授权记录已过期" in refused
    assert "超时" in timed_out
    assert "部门系统在时限内未应答" in timed_out
    assert "DEPARTMENT_TIMEOUT" in timed_out


def test_failed_source_in_member_items(show) -> None:
    opened = show(render_html(with_failures(), case=CASE, names=NAMES))

    for number in (HEAD, SPOUSE, CHILD):
        vehicle = opened.text(row_selector(number, C.DATA_CATEGORY_VEHICLE, "140000/GA"))
        home = opened.text(row_selector(number, C.DATA_CATEGORY_REAL_ESTATE, "140000/BDC"))
        assert "超时" in vehicle
        assert "无记录" not in vehicle
        assert "拒绝" in home
    assert "3,250.50" in opened.text(row_selector(HEAD, C.DATA_CATEGORY_PENSION, "140000/RS"))


def test_unavailable_source(show) -> None:
    report = full_report(answered("140000/RS", RS_CATEGORIES, PENSION),
                         failed("140000/BDC", BDC_CATEGORIES, "UNAVAILABLE", "DEPARTMENT_UNAVAILABLE"),
                         answered("140000/GA", GA_CATEGORIES))
    opened = show(render_html(report))

    assert "不可用" in opened.text('section.sources tr[data-source="140000/BDC"]')
    assert "部门系统暂不可用" in opened.text(row_selector(HEAD, C.DATA_CATEGORY_REAL_ESTATE, "140000/BDC"))
    assert "无记录" in opened.text(row_selector(HEAD, C.DATA_CATEGORY_VEHICLE, "140000/GA"))


def test_totals_match_totals_module(show) -> None:
    report = full_report()
    totals = household_totals(report)
    opened = show(render_html(report, names=NAMES))

    income = opened.text('section.totals tr[data-total="income"]')
    vehicles = opened.text('section.totals tr[data-total="vehicles"]')
    estate = opened.text('section.totals tr[data-total="real_estate"]')
    assert f"{yuan(totals.monthly_income_fen)} 元" in income
    assert f"人均 {yuan(totals.monthly_income_per_member_fen)} 元" in income
    assert f"{totals.vehicles} 辆" in vehicles
    assert f"{yuan(totals.vehicle_value_fen)} 元" in vehicles
    assert f"{totals.floor_area_cm2 / 10000:,.2f} 平方米" in estate
    assert f"{totals.floor_area_per_member_cm2 / 10000:,.2f} 平方米" in estate
    # The report did not ask for deposits or tax, so those totals must not read as zero.
    assert "未核对" in opened.text('section.totals tr[data-total="financial"]')
    assert "未核对" in opened.text('section.totals tr[data-total="tax"]')


def test_totals_marked_incomplete(show) -> None:
    opened = show(render_html(with_failures()))

    vehicles = opened.text('section.totals tr[data-total="vehicles"]')
    estate = opened.text('section.totals tr[data-total="real_estate"]')
    assert "不完整" in vehicles
    assert "140000/GA" in vehicles
    assert "不完整" in estate
    assert "不完整" not in opened.text('section.totals tr[data-total="income"]')


def test_signature_block(show) -> None:
    opened = show(render_html(full_report(), case=CASE))

    block = opened.text("section.signatures")
    for label in ("经办人签字", "复核人签字", "日期", "核对机构（盖章）"):
        assert label in block


def test_hostile_strings_shown_literally(show) -> None:
    document = render_html(full_report(), case=CASE, names={HEAD: ("<b>张</b> & 李", "02")})
    opened = show(document)

    row = opened.text(row_selector(HEAD, C.DATA_CATEGORY_SOCIAL_INSURANCE, "140000/RS"))
    assert HOSTILE in row
    assert "<b>张</b> & 李" in opened.text(f'section.members tr[data-member="{HEAD}"]')
    assert opened.page.locator("script").count() == 0
    assert opened.page.locator("b").count() == 0
    assert opened.page.evaluate("window.injected") is None


def test_page_is_self_contained(show) -> None:
    document = render_html(full_report(), case=CASE, names=NAMES, node_names=NODE_NAMES)
    opened = show(document)

    assert opened.requests == []
    assert not re.search(r"<(script|link|img|iframe|object)\b", document, re.IGNORECASE)
    assert "Content-Security-Policy" in document
    assert opened.page.evaluate("document.characterSet") == "UTF-8"


def test_print_rules(show) -> None:
    opened = show(render_html(full_report(), case=CASE, names=NAMES))

    head_display = opened.page.evaluate("getComputedStyle(document.querySelector('table.items thead')).display")
    item_break = opened.page.evaluate("getComputedStyle(document.querySelector('tbody.item')).breakInside")
    signature_break = opened.page.evaluate(
        "getComputedStyle(document.querySelector('section.signatures')).breakInside")
    assert head_display == "table-header-group"
    assert item_break == "avoid"
    assert signature_break == "avoid"
    # The member's name is in the repeated table head, so each printed page names the member.
    assert "张建国" in opened.text(f'section.member[data-member="{HEAD}"] thead')


def test_pdf_is_a4(show) -> None:
    many = tuple(id_number(f"14010519800101{index:03d}") for index in range(1, 13))
    pensions = tuple(record(number, "PENSION", pension=R.PensionRecord(monthly_amount_fen=100_000 + index))
                     for index, number in enumerate(many))
    report = VerificationReport(request_id="r-many", responder="140000/MZ", created_at=NOW, members=many,
                                categories=CATEGORIES,
                                sources=(answered("140000/RS", RS_CATEGORIES, *pensions),
                                         answered("140000/BDC", BDC_CATEGORIES),
                                         answered("140000/GA", GA_CATEGORIES)))
    opened = show(render_html(report))

    pages = pdf_pages(opened.page.pdf(prefer_css_page_size=True))
    assert len(pages) >= 3
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 1.5
        assert abs(height - A4_POINTS[1]) < 1.5


def test_english_rendering(show) -> None:
    opened = show(render_html(with_failures(), lang="en", case=CASE, names=NAMES, node_names=NODE_NAMES))

    assert opened.page.evaluate("document.documentElement.lang") == "en"
    assert opened.text("h1") == "Social Assistance Household Economic Status Verification Report"
    assert "initial eligibility check" in opened.text("section.case")
    pension = opened.text(row_selector(HEAD, C.DATA_CATEGORY_PENSION, "140000/RS"))
    assert "monthly pension: 3,250.50 yuan" in pension
    assert "timed out" in opened.text('section.sources tr[data-source="140000/GA"]')
    assert "refused" in opened.text('section.sources tr[data-source="140000/BDC"]')
    block = opened.text("section.signatures")
    for label in ("Case worker signature", "Reviewer signature", "Date", "Verifying office (seal)"):
        assert label in block
    assert not re.search(r"[\u4e00-\u9fff]", opened.text("section.signatures"))


def test_disclosure_and_withheld_fields(show) -> None:
    car = record(SPOUSE, "VEHICLE", vehicle=R.VehicleRecord(plate_number="晋A·12345", model="大众朗逸", status="正常"))
    base = full_report(answered("140000/RS", RS_CATEGORIES, PENSION),
                       answered("140000/BDC", BDC_CATEGORIES, HOME),
                       answered("140000/GA", GA_CATEGORIES, car))
    report = minimised(base, [
        {"disclosure": "full_records", "withheld_fields": []},
        {"disclosure": "full_records", "withheld_fields": []},
        {"disclosure": "purpose_limited", "withheld_fields": ["vehicle.value_fen"]},
    ])
    opened = show(render_html(report, names=NAMES))

    assert "完整记录" in opened.text('section.sources tr[data-source="140000/RS"]')
    limited = opened.text('section.sources tr[data-source="140000/GA"]')
    assert "按用途限定字段" in limited
    assert "vehicle.value_fen" in limited
    car_row = opened.text(row_selector(SPOUSE, C.DATA_CATEGORY_VEHICLE, "140000/GA"))
    assert "价值：（按用途未提供）" in car_row
    assert "0.00" not in car_row
    assert "不完整" in opened.text('section.totals tr[data-total="vehicles"]')


def test_threshold_answers(show) -> None:
    base = full_report(answered("140000/RS", RS_CATEGORIES), answered("140000/BDC", BDC_CATEGORIES),
                       failed("140000/GA", GA_CATEGORIES, "TIMED_OUT", "DEPARTMENT_TIMEOUT"))
    answers = [
        {"question_id": "q1", "kind": "INCOME_PER_MEMBER_BELOW", "amount_fen": 75_000, "result": "yes",
         "sources": ["140000/RS"], "reason": ""},
        {"question_id": "q2", "kind": "VEHICLE_VALUE_ABOVE", "amount_fen": 5_000_000, "result": "undetermined",
         "sources": [], "reason": "DEPARTMENT_TIMEOUT"},
    ]
    report = minimised(base, [{"disclosure": "threshold_only", "withheld_fields": []}] * 3,
                       threshold_only=True, answers=answers)
    opened = show(render_html(report, names=NAMES))

    section = opened.text("section.answers")
    first = opened.text('section.answers tr[data-question="q1"]')
    second = opened.text('section.answers tr[data-question="q2"]')
    assert "阈值问题核对结果" in section
    assert "家庭人均月收入是否低于 750.00 元" in first
    assert "是" in first
    assert "140000/RS" in first
    assert "无法判定" in second
    assert "80,000" not in second
    assert "部门系统在时限内未应答" in second
    assert "仅答是否" in opened.text('section.sources tr[data-source="140000/RS"]')
    assert "仅答是否" in opened.text(row_selector(HEAD, C.DATA_CATEGORY_PENSION, "140000/RS"))
    assert "不列家庭合计" in opened.text("section.totals")


def test_without_minimisation_fields(show) -> None:
    opened = show(render_html(plain(full_report()), names=NAMES))

    assert opened.page.locator("section.answers").count() == 0
    assert "披露方式" not in opened.text("section.sources")
    assert "3,250.50" in opened.text(row_selector(HEAD, C.DATA_CATEGORY_PENSION, "140000/RS"))


def test_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        render_html(full_report(), lang="fr")


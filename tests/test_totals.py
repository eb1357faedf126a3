"""Household totals over a verified report."""

from __future__ import annotations

import datetime

from hedui.sdk.render import render_totals
from hedui.sdk.report import SourceOutcome, VerificationReport
from hedui.sdk.totals import household_totals
from hedui.v1 import common_pb2 as C
from hedui.v1 import records_pb2 as R

NOW = datetime.datetime(2026, 12, 4, tzinfo=datetime.timezone.utc)
HEAD, SPOUSE = "11010519491231002X", "140105198001010011"


def source(node: str, *records: R.Record) -> SourceOutcome:
    return SourceOutcome(node=node, status="ANSWERED", reason="", categories=(), records=records,
                         answered_at=NOW, elapsed_ms=1, signature_verified=True)


def report(*sources: SourceOutcome) -> VerificationReport:
    return VerificationReport(request_id="r", responder="140000/MZ", created_at=NOW, members=(HEAD, SPOUSE),
                              categories=(), sources=sources)


PENSION = R.Record(id_number=HEAD, category=C.DATA_CATEGORY_PENSION, pension=R.PensionRecord(monthly_amount_fen=325_050))
BENEFIT = R.Record(id_number=SPOUSE, category=C.DATA_CATEGORY_UNEMPLOYMENT,
                   unemployment=R.UnemploymentRecord(monthly_benefit_fen=172_000))
HOME = R.Record(id_number=HEAD, category=C.DATA_CATEGORY_REAL_ESTATE,
                real_estate=R.RealEstateRecord(floor_area_cm2=800_000, share_basis_points=5_000))
CAR = R.Record(id_number=SPOUSE, category=C.DATA_CATEGORY_VEHICLE, vehicle=R.VehicleRecord(value_fen=8_000_000))
DEPOSIT = R.Record(id_number=HEAD, category=C.DATA_CATEGORY_BANK_DEPOSIT,
                   bank_deposit=R.BankDepositRecord(balance_fen=1_234_567))


def test_monthly_income_adds_stated_amounts() -> None:
    totals = household_totals(report(source("140000/RS", PENSION, BENEFIT)))

    assert totals.monthly_income_fen == 497_050
    assert totals.monthly_income_per_member_fen == 248_525


def test_assets_add_up_by_kind() -> None:
    totals = household_totals(report(source("140000/GA", CAR), source("140000/BDC", HOME), source("JR", DEPOSIT)))

    assert totals.vehicle_value_fen == 8_000_000
    assert totals.vehicles == 1
    assert totals.floor_area_cm2 == 400_000  # half of 80 m²
    assert totals.floor_area_per_member_cm2 == 200_000
    assert totals.financial_assets_fen == 1_234_567


def test_same_record_counted_once() -> None:
    totals = household_totals(report(source("140000/RS", PENSION), source("140000/RS-COPY", PENSION)))

    assert totals.monthly_income_fen == 325_050


def test_empty_report_totals_zero() -> None:
    totals = household_totals(report())

    assert totals.monthly_income_fen == 0
    assert totals.financial_assets_fen == 0


TAX = R.Record(id_number=SPOUSE, category=C.DATA_CATEGORY_TAX, tax=R.TaxRecord(tax_year=2025, income_fen=2_400_000))
OLD_TAX = R.Record(id_number=SPOUSE, category=C.DATA_CATEGORY_TAX, tax=R.TaxRecord(tax_year=2024, income_fen=9_900_000))
ALLOWANCE = R.Record(id_number=HEAD, category=C.DATA_CATEGORY_LOW_INCOME_REGISTRY,
                     low_income_registry=R.LowIncomeRegistryRecord(monthly_benefit_fen=62_000))


def test_income_counts_latest_tax_year_not_assistance() -> None:
    totals = household_totals(report(source("140000/RS", PENSION), source("140000/SW", TAX, OLD_TAX),
                                     source("140000/MZ/DB", ALLOWANCE)))

    # 3 250.50 a month plus 24 000 a year spread over twelve months.
    assert totals.monthly_income_fen == 525_050
    assert totals.monthly_assistance_fen == 62_000
    assert totals.yearly_taxable_income_fen == 2_400_000


def test_joint_home_counts_once() -> None:
    home = R.RealEstateRecord(certificate_number="晋(2011)太原市不动产权第0000012号", floor_area_cm2=800_000,
                              share_basis_points=5_000)
    head = R.Record(id_number=HEAD, category=C.DATA_CATEGORY_REAL_ESTATE, real_estate=home)
    spouse = R.Record(id_number=SPOUSE, category=C.DATA_CATEGORY_REAL_ESTATE, real_estate=home)

    totals = household_totals(report(source("140000/BDC", head, spouse)))

    assert totals.properties == 1
    assert totals.floor_area_cm2 == 800_000


def test_unrequested_totals_read_not_checked() -> None:
    verified = report(source("140000/RS", PENSION))
    lines = render_totals(household_totals(verified), "zh", (C.DATA_CATEGORY_PENSION,))

    assert any("月收入" in line and "3,250.50" in line for line in lines)
    assert "  机动车：未核对" in lines
    assert "  金融资产：未核对" in lines


def test_totals_in_json_and_text() -> None:
    verified = report(source("140000/RS", PENSION, BENEFIT))

    assert verified.to_dict()["totals"]["monthly_income_fen"] == 497_050
    assert "4,970.50" in "\n".join(render_totals(household_totals(verified), "zh"))
    assert "2,485.25" in "\n".join(render_totals(household_totals(verified), "en"))


def test_marriage_summary_names_status() -> None:
    from hedui.sdk.render import summarize

    record = R.Record(id_number=HEAD, category=C.DATA_CATEGORY_MARRIAGE,
                      marriage=R.MarriageRecord(marital_status_code="30", spouse_name="徐东"))

    assert summarize(record, "zh").startswith("婚姻状况 30 丧偶")
    assert summarize(record, "en").startswith("marital status 30 widowed")

"""Household totals computed from a verified report, in one place for every renderer.

Monthly income is what the threshold question INCOME_PER_MEMBER_BELOW
measures: pensions, unemployment benefit and the latest year's taxable
income spread over twelve months. Assistance already received (the
low-income registry's benefit) is kept apart, because eligibility checks do
not count it as income. Assets add up vehicle values, deposit balances,
securities and the cash value of commercial insurance. Real estate is
counted by distinct certificate and by floor area, because the registry
records no value. All money is integer fen.
"""

from __future__ import annotations

import dataclasses

from hedui.gateway.questions import latest_tax_year
from hedui.sdk.report import VerificationReport


# The categories and record fields each total reads, keyed by total. Renderers
# use it to say "not checked" when no category of a total was requested, and
# "incomplete" when a source behind it failed or withheld a field.
TOTAL_INPUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "income": (("PENSION", "UNEMPLOYMENT", "TAX"),
               ("pension.monthly_amount_fen", "unemployment.monthly_benefit_fen", "tax.income_fen")),
    "assistance": (("LOW_INCOME_REGISTRY",), ("low_income_registry.monthly_benefit_fen",)),
    "tax": (("TAX",), ("tax.income_fen",)),
    "vehicles": (("VEHICLE",), ("vehicle.value_fen",)),
    "real_estate": (("REAL_ESTATE",), ("real_estate.floor_area_cm2", "real_estate.share_basis_points")),
    "financial": (("BANK_DEPOSIT", "SECURITIES", "COMMERCIAL_INSURANCE"),
                  ("bank_deposit.balance_fen", "securities.market_value_fen", "commercial_insurance.cash_value_fen")),
}


@dataclasses.dataclass(frozen=True)
class HouseholdTotals:
    """Totals over every verified record of the household's members."""

    members: int
    monthly_income_fen: int          # pensions, unemployment benefit and yearly taxable income / 12
    monthly_assistance_fen: int      # benefit the low-income registry records as already received
    yearly_taxable_income_fen: int
    vehicle_value_fen: int
    deposit_fen: int
    securities_fen: int
    insurance_cash_value_fen: int
    floor_area_cm2: int
    properties: int
    vehicles: int

    @property
    def monthly_income_per_member_fen(self) -> int:
        """Return monthly income per member, rounded down to whole fen."""
        return self.monthly_income_fen // self.members if self.members else 0

    @property
    def financial_assets_fen(self) -> int:
        """Return deposits, securities and insurance cash value together."""
        return self.deposit_fen + self.securities_fen + self.insurance_cash_value_fen

    @property
    def floor_area_per_member_cm2(self) -> int:
        """Return floor area per member in square centimetres, rounded down."""
        return self.floor_area_cm2 // self.members if self.members else 0


def household_totals(report: VerificationReport) -> HouseholdTotals:
    """Add up the records of a verified report; a record counts once even if two sources sent it."""
    totals = dict.fromkeys(
        ("monthly_income_fen", "monthly_assistance_fen", "yearly_taxable_income_fen", "vehicle_value_fen",
         "deposit_fen", "securities_fen", "insurance_cash_value_fen", "floor_area_cm2", "properties", "vehicles"), 0)
    seen: set[bytes] = set()
    certificates: set[str | bytes] = set()
    for source in report.sources:
        for record in latest_tax_year(list(source.records)):
            key = record.SerializeToString(deterministic=True)
            if key in seen:
                continue
            seen.add(key)
            _add(totals, record)
            if record.WhichOneof("body") == "real_estate":
                certificates.add(record.real_estate.certificate_number or key)
    # Co-owners each hold a record of the same property, so count certificates.
    totals["properties"] = len(certificates)
    # Income is added up per year so that taxable income divides into months once.
    totals["monthly_income_fen"] = (totals["monthly_income_fen"] * 12 + totals["yearly_taxable_income_fen"]) // 12
    return HouseholdTotals(members=len(report.members), **totals)


def _add(totals: dict[str, int], record) -> None:
    kind = record.WhichOneof("body")
    if kind == "pension":
        totals["monthly_income_fen"] += record.pension.monthly_amount_fen
    elif kind == "unemployment":
        totals["monthly_income_fen"] += record.unemployment.monthly_benefit_fen
    elif kind == "low_income_registry":
        totals["monthly_assistance_fen"] += record.low_income_registry.monthly_benefit_fen
    elif kind == "tax":
        totals["yearly_taxable_income_fen"] += record.tax.income_fen
    elif kind == "vehicle":
        totals["vehicle_value_fen"] += record.vehicle.value_fen
        totals["vehicles"] += 1
    elif kind == "real_estate":
        # A share below 100% counts only the member's part of the floor area.
        totals["floor_area_cm2"] += record.real_estate.floor_area_cm2 * record.real_estate.share_basis_points // 10000
    elif kind == "bank_deposit":
        totals["deposit_fen"] += record.bank_deposit.balance_fen
    elif kind == "securities":
        totals["securities_fen"] += record.securities.market_value_fen
    elif kind == "commercial_insurance":
        totals["insurance_cash_value_fen"] += record.commercial_insurance.cash_value_fen

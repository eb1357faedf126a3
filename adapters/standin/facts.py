"""Facts about the synthetic people that several departments' rows must agree on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from hedui.adapters.standin.divisions import BY_CODE

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household, Person

Row = dict[str, Any]

# Monthly minimum living allowance standards in fen, for the synthetic data only:
# a city district and a county. Real standards are set by each city each year.
URBAN_STANDARD_FEN = 800_00
RURAL_STANDARD_FEN = 620_00


@dataclasses.dataclass(frozen=True)
class Earnings:
    """What the 人社 rows say about one person's monthly income."""

    employer: str  # "" for flexible workers and people without employee insurance
    base_fen: int  # monthly contribution base; 0 when not insured
    paying: bool  # contributions are current
    last_paid: str  # YYYYMM of the last contribution, "" when not insured
    pension_fen: int  # monthly pension being paid
    benefit_fen: int  # monthly unemployment benefit

    @property
    def income_fen(self) -> int:
        """Monthly income the verification would count; the contribution base stands in for wages."""
        wages = self.base_fen if self.paying else 0
        return wages + self.pension_fen + self.benefit_fen


@dataclasses.dataclass
class Facts:
    """Facts about the synthetic people that several departments' rows must agree on."""

    today: dt.date
    updated: str  # YYYY-MM-DD HH:MM:SS the department extracts are current as of
    earnings: dict[str, Earnings]
    rural: set[str]  # household numbers of rural households
    conditions: dict[str, list[tuple[str, str]]] = dataclasses.field(default_factory=dict)  # id -> (kind, name)
    disabled: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)  # id -> (category, grade)
    operators: set[str] = dataclasses.field(default_factory=set)  # run an individual business
    shareholders: set[str] = dataclasses.field(default_factory=set)  # hold shares in a company
    assistance: dict[str, str] = dataclasses.field(default_factory=dict)  # household number -> category code

    def standard_fen(self, household: Household) -> int:
        """Return the monthly minimum living allowance standard where the household lives."""
        return RURAL_STANDARD_FEN if household.household_number in self.rural else URBAN_STANDARD_FEN

    def per_capita_fen(self, household: Household) -> int:
        """Return the household's monthly income per living member, in fen."""
        living = [member for member in household.members if not member.deceased]
        total = sum(self.earnings[member.id_number].income_fen for member in living)
        return total // max(len(living), 1)

    def seriously_ill(self, person: Person) -> bool:
        """Whether 卫健 registered a serious illness for the person."""
        return any(kind == "1" for kind, _ in self.conditions.get(person.id_number, ()))


def earnings_from_rs(households: list[Household], rs: dict[str, list[Row]]) -> dict[str, Earnings]:
    insured: dict[str, Row] = {}
    for row in rs["cbxx"]:
        if row["xzlx"] == "110":  # the pension scheme row carries employer, base and months paid
            insured[row["sfzhm"]] = row
    pensions = {row["sfzhm"]: row for row in rs["ylj"] if row["ffzt"] == "1"}
    benefits = {row["sfzhm"]: row for row in rs["sy"] if row["syjje"] is not None}
    earnings = {}
    for household in households:
        for person in household.members:
            insurance = insured.get(person.id_number)
            pension = pensions.get(person.id_number)
            benefit = benefits.get(person.id_number)
            earnings[person.id_number] = Earnings(
                employer=insurance["cbdwmc"] if insurance else "",
                base_fen=fen_of(insurance["jfjs"]) if insurance else 0,
                paying=bool(insurance) and insurance["cbzt"] == "1",
                last_paid=insurance["zhjfny"] if insurance else "",
                pension_fen=fen_of(pension["yljje"]) if pension else 0,
                benefit_fen=fen_of(benefit["syjje"]) if benefit else 0,
            )
    return earnings


def rural_households(households: list[Household], rng: random.Random) -> set[str]:
    """Pick the rural households: all in counties, and a few on the edge of city districts."""
    rural = set()
    for household in households:
        county = BY_CODE[household.division_code].name
        if county.endswith(("县", "市")) or rng.random() < 0.15:
            rural.add(household.household_number)
    return rural


def fen_of(yuan: str) -> int:
    """Parse the stand-in's own yuan text ("3250.50") back to fen."""
    whole, _, cents = yuan.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def date_text(day: dt.date, style: str) -> str:
    """Format a date the way one department writes it: "iso", "compact" (YYYYMMDD) or "slash"."""
    formats = {"iso": "%Y-%m-%d", "compact": "%Y%m%d", "slash": "%Y/%m/%d"}
    return day.strftime(formats[style])


def adult_living(person: Person, today: dt.date, minimum_age: int = 18) -> bool:
    """Whether the person is alive and at least ``minimum_age`` years old on ``today``."""
    return not person.deceased and person.age_on(today) >= minimum_age

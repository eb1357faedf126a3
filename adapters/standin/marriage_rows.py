"""Rows of the civil affairs marriage registration (hy_djxx) and cremation (bz_hhxx) systems.

The marriage table holds one row per registration with both parties, as the
registry does; the department file turns it into one current record per
person. The couple at the head of a household always has a marriage
registration, and everyone who died has a cremation record, so a surviving
spouse reads as widowed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from faker import Faker

from hedui.adapters.standin.divisions import BY_CODE, County
from hedui.adapters.standin.facts import Facts, Row, date_text

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household, Person

# yw_lx, the registry's own business type codes.
MARRIAGE = "IA"
DIVORCE = "IB"
LEGAL_AGE = {"男": 22, "女": 20}


class _Registry:
    def __init__(self, households: list[Household], facts: Facts, rng: random.Random, fake: Faker) -> None:
        self.facts = facts
        self.rng = rng
        self.fake = fake
        self.registrations: list[Row] = []
        self.cremations: list[Row] = []
        self.issued = {person.id_number for household in households for person in household.members}

    def register(self, kind: str, first: tuple[str, str, str], second: tuple[str, str, str], day: dt.date,
                 county: County) -> None:
        """Add a registration of two (ID number, name, sex) parties; the man is written first."""
        man, woman = (first, second) if first[2] == "男" else (second, first)
        self.registrations.append({
            "ywlsh": f"{'J' if kind == MARRIAGE else 'L'}{county.code}{day:%Y}{len(self.registrations) + 1:06d}",
            "yw_lx": kind,
            "nf_sfzh": man[0],
            "nf_xm": man[1],
            "vf_sfzh": woman[0],
            "vf_xm": woman[1],
            "djrq": date_text(day, "compact"),
            "djjg": f"{county.city}{county.name}民政局婚姻登记处",
            "djjgdm": county.code,
            "gxsj": self.facts.updated,
        })

    def cremate(self, id_number: str, name: str, died: dt.date, county: County) -> None:
        self.cremations.append({
            "hhbh": f"HH{county.code}{died:%Y}{len(self.cremations) + 1:05d}",
            "szsfzh": id_number,
            "szxm": name,
            "swrq": date_text(died, "iso"),
            "hhrq": date_text(died + dt.timedelta(days=self.rng.randint(2, 5)), "iso"),
            "bygmc": f"{county.city}殡仪馆",
            "gxsj": self.facts.updated,
        })

    def outsider(self, sex: str, near: Person, county: County) -> tuple[str, str, str]:
        """Make a spouse who is not in the synthetic population: (ID number, name, sex)."""
        from hedui.adapters.standin.people import make_id_number

        born = dt.date.fromisoformat(near.birth_date) + dt.timedelta(days=self.rng.randint(-4 * 365, 4 * 365))
        while True:
            sequence = self.rng.randrange(1 if sex == "男" else 0, 1000, 2)
            id_number = make_id_number(county.code, born, sequence)
            if id_number not in self.issued:
                self.issued.add(id_number)
                break
        name = self.fake.last_name() + (self.fake.first_name_male() if sex == "男" else self.fake.first_name_female())
        return id_number, name, sex

    def wedding_day(self, first: Person | tuple[str, str, str], second: Person | tuple[str, str, str],
                    latest: dt.date) -> dt.date:
        """Draw a date when both were of legal age, no later than ``latest`` where that allows."""
        earliest = max(_legal_from(party) for party in (first, second))
        latest = max(latest, earliest + dt.timedelta(days=30))
        return earliest + dt.timedelta(days=self.rng.randint(0, min((latest - earliest).days, 12 * 365)))


def marriage_and_cremation(households: list[Household], facts: Facts, rng: random.Random, fake: Faker
                           ) -> dict[str, list[Row]]:
    """Marriage registrations and cremations of the households' members and their spouses."""
    registry = _Registry(households, facts, rng, fake)
    for household in households:
        county = BY_CODE[household.division_code]
        head = household.members[0]
        spouse = next((member for member in household.members if member.relation_code == "10"), None)
        children = [member for member in household.members if member.relation_code in ("20", "30")]
        first_child = min((dt.date.fromisoformat(child.birth_date) for child in children), default=facts.today)
        if spouse is not None:
            day = registry.wedding_day(head, spouse, min(first_child, facts.today))
            if rng.random() < 0.12:
                _earlier_divorce(registry, head, county, day)
            registry.register(MARRIAGE, _party(head), _party(spouse), day, county)
        elif head.age_on(facts.today) >= 28:
            _single_head(registry, head, county, facts.today)
        for member in household.members:
            if member.relation_code in ("51", "52"):
                _parent(registry, member, county)
            elif member in children and member.age_on(facts.today) >= 24 and rng.random() < 0.2:
                partner = registry.outsider("女" if member.sex == "男" else "男", member, county)
                registry.register(MARRIAGE, _party(member), partner, registry.wedding_day(member, partner, facts.today),
                                  county)
            if member.deceased:
                registry.cremate(member.id_number, member.name, dt.date.fromisoformat(member.date_of_death), county)
    return {"hy_djxx": registry.registrations, "bz_hhxx": registry.cremations}


def _earlier_divorce(registry: _Registry, person: Person, county: County, wedding: dt.date) -> None:
    """Register a marriage and divorce that both ended before ``wedding``, if the person was old enough."""
    former = registry.outsider("女" if person.sex == "男" else "男", person, county)
    earliest = max(_legal_from(_party(person)), _legal_from(former))
    room = (wedding - earliest).days
    if room < 3 * 365:
        return
    married = earliest + dt.timedelta(days=registry.rng.randint(0, room - 2 * 365))
    divorced = married + dt.timedelta(days=registry.rng.randint(365, (wedding - married).days - 30))
    registry.register(MARRIAGE, _party(person), former, married, county)
    registry.register(DIVORCE, _party(person), former, divorced, county)


def _single_head(registry: _Registry, head: Person, county: County, today: dt.date) -> None:
    """A head living alone is divorced, widowed or never married."""
    draw = registry.rng.random()
    if draw >= 0.7:
        return
    former = registry.outsider("女" if head.sex == "男" else "男", head, county)
    married = registry.wedding_day(head, former, today - dt.timedelta(days=5 * 365))
    registry.register(MARRIAGE, _party(head), former, married, county)
    ended = married + dt.timedelta(days=registry.rng.randint(2 * 365, 30 * 365))
    ended = min(ended, today - dt.timedelta(days=30))
    if draw < 0.4:
        registry.register(DIVORCE, _party(head), former, ended, county)
    else:
        registry.cremate(former[0], former[1], ended, county)


def _parent(registry: _Registry, parent: Person, county: County) -> None:
    """A parent in the household married the other parent, who lives elsewhere or has died."""
    other = registry.outsider("女" if parent.sex == "男" else "男", parent, county)
    married = registry.wedding_day(parent, other, registry.facts.today - dt.timedelta(days=30 * 365))
    registry.register(MARRIAGE, _party(parent), other, married, county)
    if registry.rng.random() < 0.5:
        died = registry.facts.today - dt.timedelta(days=registry.rng.randint(60, 15 * 365))
        registry.cremate(other[0], other[1], max(died, married + dt.timedelta(days=365)), county)


def _party(person: Person) -> tuple[str, str, str]:
    return person.id_number, person.name, person.sex


def _legal_from(party: Person | tuple[str, str, str]) -> dt.date:
    if isinstance(party, tuple):
        id_number, sex = party[0], party[2]
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    else:
        sex, born = party.sex, dt.date.fromisoformat(party.birth_date)
    try:
        return born.replace(year=born.year + LEGAL_AGE[sex])
    except ValueError:  # 29 February
        return born.replace(year=born.year + LEGAL_AGE[sex], day=28)

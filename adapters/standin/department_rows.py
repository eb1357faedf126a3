"""Department rows about synthetic people, in each department's own field names.

Every category leaves some people without a row, so callers meet the
"no record" case as they would with real departments.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from faker import Faker

from hedui.adapters.standin.divisions import BY_CODE

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household, Person

Row = dict[str, Any]

VEHICLE_MODELS = ("大众朗逸", "丰田卡罗拉", "比亚迪秦PLUS", "五菱宏光", "哈弗H6", "本田雅阁", "吉利帝豪", "长安CS75")
PLATE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, which read as 1 and 0


def build_tables(
    households: list[Household], rng: random.Random, fake: Faker, today: dt.date
) -> dict[str, dict[str, list[Row]]]:
    """Generate every department table for the households."""
    builder = _RowBuilder(rng, fake, today)
    for household in households:
        builder.add_household(household)
    return builder.tables


def yuan_text(fen: int) -> str:
    """Format an amount in fen the way the departments send it, as yuan text ("3250.50")."""
    return f"{fen // 100}.{fen % 100:02d}"


class _RowBuilder:
    def __init__(self, rng: random.Random, fake: Faker, today: dt.date) -> None:
        self._rng = rng
        self._fake = fake
        self._today = today
        # Departments load their query databases in a nightly batch, so data is a day or two old.
        self._updated = f"{today - dt.timedelta(days=1)} 02:00:00"
        self._property_serial = 0
        self.tables: dict[str, dict[str, list[Row]]] = {
            "rs": {"cbxx": [], "ylj": [], "sy": []},
            "ga": {"hjxx": [], "jdc": []},
            "bdc": {"fdcq": [], "qlr": []},
        }

    def add_household(self, household: Household) -> None:
        for person in household.members:
            age = person.age_on(self._today)
            retirement_age = 60 if person.sex == "男" else 55
            if person.deceased:
                # A deceased member keeps a cancelled registration and a stopped pension, and nothing current.
                self._registration(household, person)
                if age >= retirement_age:
                    self._pension(person, retirement_age)
                continue
            if 18 <= age < retirement_age:
                self._social_insurance(person)
                self._unemployment(person)
            elif age >= retirement_age:
                self._pension(person, retirement_age)
            self._registration(household, person)
            if 22 <= age <= 70 and person.relation_code in ("02", "10"):
                self._vehicle(household, person)
        self._real_estate(household)

    def _social_insurance(self, person: Person) -> None:
        draw = self._rng.random()
        if draw >= 0.8:
            return  # not insured here: informal work, or insured in another province
        employed = draw < 0.65
        paying = self._rng.random() < 0.85
        last_paid = self._today if paying else self._today - dt.timedelta(days=self._rng.randint(60, 700))
        base_fen = self._rng.randint(3000_00, 8000_00) if employed else self._rng.randint(3000_00, 5000_00)
        schemes = ("110", "210", "410") if employed else ("110",)  # flexible workers pay pension only
        for scheme in schemes:
            self.tables["rs"]["cbxx"].append(
                {
                    "sfzhm": person.id_number,
                    "xm": person.name,
                    "xzlx": scheme,
                    "cbdwmc": self._fake.company() if employed else "",
                    "cbzt": "1" if paying else "2",
                    "jfjs": yuan_text(base_fen),
                    "zhjfny": f"{last_paid:%Y%m}",
                    "gxsj": self._updated,
                }
            )

    def _pension(self, person: Person, retirement_age: int) -> None:
        if self._rng.random() >= 0.85:
            return
        scheme = self._rng.choices(("110", "120", "170"), weights=(70, 15, 15))[0]
        # The resident scheme pays a few hundred yuan; employee schemes pay far more.
        amount_fen = self._rng.randint(180_00, 400_00) if scheme == "170" else self._rng.randint(1500_00, 4500_00)
        born = dt.date.fromisoformat(person.birth_date)
        start = dt.date(born.year + retirement_age, born.month, 1) + dt.timedelta(days=31)
        self.tables["rs"]["ylj"].append(
            {
                "sfzhm": person.id_number,
                "xm": person.name,
                "xzlx": scheme,
                "yljje": yuan_text(amount_fen),
                "kslqrq": f"{start.replace(day=1):%Y%m%d}",
                "ffzt": "3" if person.deceased else "1" if self._rng.random() < 0.95 else "2",
                "gxsj": self._updated,
            }
        )

    def _unemployment(self, person: Person) -> None:
        if self._rng.random() >= 0.12:
            return
        registered = self._today - dt.timedelta(days=self._rng.randint(10, 360))
        receiving = self._rng.random() < 0.7
        end = registered + dt.timedelta(days=30 * self._rng.randint(12, 24))
        self.tables["rs"]["sy"].append(
            {
                "sfzhm": person.id_number,
                "xm": person.name,
                "sydjbz": "1",
                "sydjrq": f"{registered:%Y%m%d}",
                "syjje": yuan_text(self._rng.randint(1500_00, 1900_00)) if receiving else None,
                "lqjzrq": f"{end:%Y%m%d}" if receiving else None,
                "gxsj": self._updated,
            }
        )

    def _registration(self, household: Household, person: Person) -> None:
        if self._rng.random() < 0.03:
            return  # registered in another province, so this register has no row
        self.tables["ga"]["hjxx"].append(
            {
                "gmsfhm": person.id_number,
                "xm": person.name,
                "hh": household.household_number,
                "hjdxzqh": household.division_code,
                "hjdz": household.address,
                "yhzgx": person.relation_code,
                "hjzt": "1" if person.deceased else "0",
                "gxsj": self._updated,
            }
        )

    def _vehicle(self, household: Household, person: Person) -> None:
        if self._rng.random() >= 0.3:
            return
        prefix = BY_CODE[household.division_code].plate_prefix
        registered = self._today - dt.timedelta(days=self._rng.randint(30, 12 * 365))
        self.tables["ga"]["jdc"].append(
            {
                "syrzjhm": person.id_number,
                "hphm": prefix + "".join(self._rng.choice(PLATE_CHARACTERS) for _ in range(5)),
                "cllx": self._rng.choices(("K33", "K31"), weights=(7, 3))[0],
                "clppxh": self._rng.choice(VEHICLE_MODELS),
                "ccdjrq": registered.isoformat(),
                "gmjg": self._rng.randint(30_000, 200_000),  # whole yuan, sent as a JSON number
                "zt": "A" if self._rng.random() < 0.95 else "E",
                "gxsj": self._updated,
            }
        )

    def _real_estate(self, household: Household) -> None:
        owners = [person for person in household.members if person.relation_code in ("02", "10")]
        if self._rng.random() < 0.65:
            shared = len(owners) == 2 and self._rng.random() < 0.5
            self._property(household, owners if shared else owners[:1], "住宅", (50_00, 140_00))
        if self._rng.random() < 0.1:
            self._property(household, owners[:1], "车位", (12_00, 30_00))
        if self._rng.random() < 0.1:
            # A home sold earlier stays in the registry as a historical right.
            self._property(household, owners[:1], "成套住宅", (50_00, 140_00), current=False)

    def _property(
        self,
        household: Household,
        owners: list[Person],
        use: str,
        area_range: tuple[int, int],
        *,
        current: bool = True,
    ) -> None:
        self._property_serial += 1
        county = BY_CODE[household.division_code]
        registered = self._today - dt.timedelta(days=self._rng.randint(30, 20 * 365))
        business_number = f"{registered:%Y}{self._property_serial:08d}"
        area_hundredths = self._rng.randint(*area_range)
        self.tables["bdc"]["fdcq"].append(
            {
                "ywh": business_number,
                "bdcdyh": f"{county.code}{self._rng.randint(1, 20):03d}{self._rng.randint(1, 99):03d}"
                f"GB{self._rng.randint(1, 99999):05d}F{self._rng.randint(1, 99999999):08d}",
                "bdcqzh": f"晋({registered:%Y}){county.city}不动产权第{self._property_serial:07d}号",
                "qxdm": county.code,
                "zl": f"{household.address}地下车位" if use == "车位" else household.address,
                "ghyt": use,
                "jzmj": f"{area_hundredths // 100}.{area_hundredths % 100:02d}",
                "djsj": f"{registered} 10:{self._rng.randint(0, 59):02d}:00",
                "dyzt": "1" if use != "车位" and self._rng.random() < 0.3 else "0",
                "cfzt": "1" if self._rng.random() < 0.02 else "0",
                "qszt": "1" if current else "2",
                "gxsj": self._updated,
            }
        )
        for owner in owners:
            self.tables["bdc"]["qlr"].append(
                {
                    "ywh": business_number,
                    "qlrmc": owner.name,
                    "zjzl": "1",
                    # Older registrations often hold a lower-case x check character.
                    "zjh": owner.id_number.lower() if self._rng.random() < 0.5 else owner.id_number,
                    "gyfs": "2" if len(owners) > 1 else "0",
                    "qlbl": "50" if len(owners) > 1 else "100",
                }
            )

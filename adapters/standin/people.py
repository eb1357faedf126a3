"""Deterministic synthetic households and the department rows about them."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import random
from collections.abc import Iterator, Sequence
import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any

from faker import Faker
from stdnum.cn import ric

from hedui.adapters.standin import department_rows, more_departments
from hedui.adapters.standin.divisions import COUNTIES, County, current_county

DEFAULT_REFERENCE_DATE = dt.date(2025, 6, 30)

RELATION_HEAD = "02"
RELATION_SPOUSE = "10"
RELATION_SON = "20"
RELATION_DAUGHTER = "30"
RELATION_FATHER = "51"
RELATION_MOTHER = "52"

# One JSON file per department system, each holding its tables by name. The
# HTTP stand-in serves rs, ga, yb, gjj and sw from these files; the others are
# also written as SQLite databases or CSV exports (see standin.systems).
DEPARTMENT_FILES = {
    "rs": ("cbxx", "ylj", "sy"),
    "ga": ("hjxx", "jdc"),
    "bdc": ("fdcq", "qlr"),
    "mz_hybz": ("hy_djxx", "bz_hhxx"),
    "mz_db": ("jzjt", "jzcy", "zxjz"),
    "yb": ("cbfy",),
    "gjj": ("grzh",),
    "sw": ("grsds",),
    "scjg": ("sczt", "tzr"),
    "cl": ("cjrz",),
    "wj": ("jbzd",),
    "jr": ("ck", "zq", "bx"),
    "xczx": ("jcdx",),
}
HOUSEHOLDS_FILE = "households.json"


@dataclass(frozen=True)
class Person:
    """A synthetic household member."""

    id_number: str
    name: str
    sex: str  # 男 or 女
    birth_date: str  # YYYY-MM-DD
    relation_code: str  # GB/T 4761 relation to the head of household
    date_of_death: str = ""  # YYYY-MM-DD; empty while the person is alive

    @property
    def deceased(self) -> bool:
        """Whether the person has died."""
        return bool(self.date_of_death)

    def age_on(self, day: dt.date) -> int:
        """Return the person's age in whole years on ``day``."""
        born = dt.date.fromisoformat(self.birth_date)
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Household:
    """A synthetic household as recorded in the public security register."""

    household_number: str
    division_code: str  # division of today's registration
    address: str
    members: tuple[Person, ...]


@dataclass
class Dataset:
    """Synthetic households plus every department's rows about them, in the departments' own fields."""

    seed: int
    reference_date: str  # YYYY-MM-DD the department data is current as of
    households: list[Household]
    tables: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)  # system -> table -> rows

    def people(self) -> Iterator[Person]:
        """Yield every member of every household."""
        for household in self.households:
            yield from household.members

    def rows(self, system: str, table: str) -> list[dict[str, Any]]:
        """Return the rows of one department table, for example ``rows("rs", "ylj")``."""
        return self.tables[system][table]

    def save(self, directory: pathlib.Path) -> None:
        """Write the dataset as JSON files into ``directory``, creating it if needed."""
        directory.mkdir(parents=True, exist_ok=True)
        households = {
            "seed": self.seed,
            "reference_date": self.reference_date,
            "households": [asdict(household) for household in self.households],
        }
        _write_json(directory / HOUSEHOLDS_FILE, households)
        for system, tables in self.tables.items():
            _write_json(directory / f"{system}.json", tables)

    @classmethod
    def load(cls, directory: pathlib.Path) -> Dataset:
        """Read a dataset written by ``save``; a department system without its file is left out."""
        households = json.loads((directory / HOUSEHOLDS_FILE).read_text(encoding="utf-8"))
        tables = {
            system: json.loads((directory / f"{system}.json").read_text(encoding="utf-8"))
            for system in DEPARTMENT_FILES
            if (directory / f"{system}.json").is_file()
        }
        return cls(
            seed=households["seed"],
            reference_date=households["reference_date"],
            households=[_household_from_json(item) for item in households["households"]],
            tables=tables,
        )


def make_dataset(seed: int, households: int, *, reference_date: dt.date = DEFAULT_REFERENCE_DATE,
                 counties: Sequence[County] = COUNTIES) -> Dataset:
    """Generate ``households`` synthetic households in ``counties``; the same arguments give the same dataset."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    generator = _PeopleGenerator(rng, fake, reference_date, tuple(counties))
    generated = [generator.household() for _ in range(households)]
    # Deaths draw from their own random source, so they leave every other draw as it was.
    generated = [_with_deaths(household, random.Random(f"{seed}:deaths:{index}"), reference_date)
                 for index, household in enumerate(generated)]
    tables = department_rows.build_tables(generated, rng, fake, reference_date)
    tables.update(more_departments.build_tables(generated, tables, seed, fake, reference_date))
    return Dataset(seed=seed, reference_date=reference_date.isoformat(), households=generated, tables=tables)


def _with_deaths(household: Household, rng: random.Random, today: dt.date) -> Household:
    """Mark one elderly spouse or parent of some households as deceased in the last two years.

    The head stays alive. The deceased stays in the household, as a member
    whose registration was cancelled, because checks of such members are what
    the cremation records are for.
    """
    candidates = [member for member in household.members
                  if member.relation_code in (RELATION_SPOUSE, RELATION_FATHER, RELATION_MOTHER)
                  and member.age_on(today) >= 60]
    if not candidates or rng.random() >= 0.4:
        return household
    deceased = rng.choice(candidates)
    died = today - dt.timedelta(days=rng.randint(20, 700))
    members = tuple(
        dataclasses.replace(member, date_of_death=died.isoformat()) if member is deceased else member
        for member in household.members
    )
    return dataclasses.replace(household, members=members)


def make_id_number(county_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build an 18-character resident ID number; an odd ``sequence`` marks a man."""
    body = f"{county_code}{birth_date:%Y%m%d}{sequence:03d}"
    # python-stdnum's calc_check_digit expects a full 18-character number and
    # ignores its last character, so a placeholder fills that position.
    return body + ric.calc_check_digit(body + "0")


class _PeopleGenerator:
    """Draws households from one seeded random source, keeping ID numbers unique."""

    def __init__(self, rng: random.Random, fake: Faker, reference_date: dt.date,
                 counties: tuple[County, ...] = COUNTIES) -> None:
        self._rng = rng
        self._fake = fake
        self._today = reference_date
        self._issued: set[str] = set()
        self._counties = counties
        self._weights = [county.weight for county in counties]

    def household(self) -> Household:
        county = self._rng.choices(self._counties, weights=self._weights)[0]
        head_age = self._rng.randint(25, 80)
        head_surname = self._fake.last_name()
        head = self._person(county, head_age, self._rng.choice("男女"), RELATION_HEAD, head_surname)
        members = [head]
        children_surname = head_surname
        if self._rng.random() < 0.75:
            spouse_surname = self._fake.last_name()
            spouse_sex = "女" if head.sex == "男" else "男"
            spouse_age = head_age + self._rng.randint(-4, 4)
            members.append(self._person(county, spouse_age, spouse_sex, RELATION_SPOUSE, spouse_surname))
            if spouse_sex == "男":
                children_surname = spouse_surname
        members.extend(self._children(county, head_age, children_surname))
        if head_age < 55 and self._rng.random() < 0.2:
            members.append(self._parent(county, head_age, head_surname))
        registered = current_county(county)
        return Household(
            household_number=f"{self._rng.randint(100_000_000, 999_999_999)}",
            division_code=registered.code,
            address=self._address(registered),
            members=tuple(members),
        )

    def _parent(self, county: County, head_age: int, head_surname: str) -> Person:
        age = head_age + self._rng.randint(22, 35)
        if self._rng.random() < 0.5:
            return self._person(county, age, "男", RELATION_FATHER, head_surname)
        return self._person(county, age, "女", RELATION_MOTHER, self._fake.last_name())

    def _children(self, county: County, head_age: int, family_name: str) -> list[Person]:
        children: list[Person] = []
        for _ in range(self._rng.choices((0, 1, 2, 3), weights=(3, 5, 3, 1))[0]):
            age = head_age - self._rng.randint(22, 38)
            if age < 0 or age > 35:
                continue  # not born yet, or long since left the household
            sex = self._rng.choice("男女")
            relation = RELATION_SON if sex == "男" else RELATION_DAUGHTER
            children.append(self._person(county, age, sex, relation, family_name))
        return children

    def _person(self, county: County, age: int, sex: str, relation: str, family_name: str) -> Person:
        birth = self._birth_date(age)
        # Children born after a code was withdrawn get the code in force at birth.
        code = county.code if birth.year < 2018 else county.current_code
        given_name = self._fake.first_name_male() if sex == "男" else self._fake.first_name_female()
        return Person(
            id_number=self._unique_id(code, birth, sex),
            name=family_name + given_name,
            sex=sex,
            birth_date=birth.isoformat(),
            relation_code=relation,
        )

    def _birth_date(self, age: int) -> dt.date:
        """Draw a birth date that gives exactly ``age`` on the reference date."""
        try:
            latest = self._today.replace(year=self._today.year - age)
        except ValueError:  # 29 February in a year that has none
            latest = self._today.replace(year=self._today.year - age, day=28)
        return latest - dt.timedelta(days=self._rng.randint(0, 364))

    def _unique_id(self, code: str, birth: dt.date, sex: str) -> str:
        while True:
            sequence = self._rng.randrange(1 if sex == "男" else 0, 1000, 2)
            id_number = make_id_number(code, birth, sequence)
            if id_number not in self._issued:
                self._issued.add(id_number)
                return id_number

    def _address(self, county: County) -> str:
        street = self._fake.street_name()
        return (
            f"{county.province}{county.city}{county.name}{street}{self._rng.randint(1, 300)}号"
            f"{self._rng.randint(1, 30)}栋{self._rng.randint(1, 6)}单元{self._rng.randint(1, 28)}0{self._rng.randint(1, 4)}室"
        )


def _household_from_json(item: dict[str, Any]) -> Household:
    members = tuple(Person(**member) for member in item["members"])
    return Household(
        household_number=item["household_number"],
        division_code=item["division_code"],
        address=item["address"],
        members=members,
    )


def _write_json(path: pathlib.Path, content: object) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")

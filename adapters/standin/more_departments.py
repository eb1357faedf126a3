"""Rows of the departments beyond 人社, 公安 and 不动产, consistent with the households and with each other.

Each department draws from its own random source, seeded from the dataset
seed and the department's name, so adding or changing one department leaves
the rows of the others as they were. The facts several departments share
(who works where, who is ill or disabled, who is on a low income) live in
``facts.Facts`` and are recorded by the departments built first.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from faker import Faker

from hedui.adapters.standin import assistance_rows, finance_rows, health_rows, marriage_rows
from hedui.adapters.standin.facts import Facts, Row, earnings_from_rs, rural_households

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household

Tables = dict[str, dict[str, list[Row]]]


def build_tables(households: list[Household], tables: Tables, seed: int, fake: Faker, today: dt.date) -> Tables:
    """Generate the rows of every further department from the households and the 人社/公安/不动产 tables."""
    facts = Facts(
        today=today,
        updated=f"{today - dt.timedelta(days=1)} 02:00:00",
        earnings=earnings_from_rs(households, tables["rs"]),
        rural=rural_households(households, random.Random(f"{seed}:rural")),
    )
    built: Tables = {}

    def run(system: str, build: Callable[[random.Random, Faker], dict[str, list[Row]]]) -> None:
        # Each department gets its own random source and a Faker reseeded for it.
        fake.seed_instance(f"{seed}:{system}")
        built[system] = build(random.Random(f"{seed}:{system}"), fake)

    # Order matters: later departments read the facts earlier ones recorded.
    run("wj", lambda rng, _: health_rows.health(households, facts, rng))
    run("cl", lambda rng, _: health_rows.disability(households, facts, rng))
    run("yb", lambda rng, _: health_rows.medical_insurance(households, facts, rng))
    run("gjj", lambda rng, _: finance_rows.provident_fund(households, facts, rng))
    run("scjg", lambda rng, faker: finance_rows.businesses(households, facts, rng, faker))
    run("jr", lambda rng, _: finance_rows.financial_assets(households, facts, rng))
    run("sw", lambda rng, _: finance_rows.tax(households, facts, tables["bdc"], rng))
    run("mz_db", lambda rng, _: assistance_rows.low_income_registry(households, facts, rng))
    run("xczx", lambda rng, _: assistance_rows.rural_monitoring(households, facts, rng))
    run("mz_hybz", lambda rng, faker: marriage_rows.marriage_and_cremation(households, facts, rng, faker))
    return built

"""Rows of the civil affairs low-income registry (民政低收入人口库) and of rural monitoring (防返贫监测)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from hedui.adapters.standin.department_rows import yuan_text
from hedui.adapters.standin.facts import Facts, Row, date_text

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household, Person

# The registry's own category codes (jzlb).
MINIMUM_LIVING_ALLOWANCE = "10"  # 低保
EXTREME_POVERTY = "20"  # 特困
MARGINAL = "30"  # 低保边缘
RIGID_EXPENDITURE = "40"  # 刚性支出困难
TEMPORARY = "50"  # 临时救助
# Its special assistance programme codes (xmdm in table zxjz).
MEDICAL_AID = "11"
EDUCATION_AID = "12"
HOUSING_AID = "13"
EMPLOYMENT_AID = "14"
TEMPORARY_AID = "15"
DISABILITY_SUBSIDIES = "21"

# Rural monitoring export values, as the 防返贫监测 system writes them.
MONITORING_CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
RELATIONS = {"02": "户主", "10": "配偶", "20": "子", "30": "女", "51": "父亲", "52": "母亲"}


def low_income_registry(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Households in the registry (jzjt), their members (jzcy) and special assistance received (zxjz)."""
    families: list[Row] = []
    members: list[Row] = []
    programmes: list[Row] = []
    for household in households:
        category = _assistance_category(household, facts, rng)
        if category is None:
            continue
        facts.assistance[household.household_number] = category
        included = facts.today - dt.timedelta(days=rng.randint(30, 8 * 365))
        benefit_fen = _monthly_benefit_fen(category, household, facts)
        number = f"{household.division_code}{len(families) + 1:06d}"
        in_registry = [person for person in household.members
                       if not person.deceased or dt.date.fromisoformat(person.date_of_death) > included]
        living = [person for person in in_registry if not person.deceased]
        families.append({
            "jtbh": number,
            "hzsfzh": household.members[0].id_number,
            "jzlb": category,
            "jtzt": "1",
            "rdjgqh": household.division_code,
            "nrrq": date_text(included, "compact"),
            "jtybzje": yuan_text(benefit_fen * len(living)),
            "gxsj": facts.updated,
        })
        for person in in_registry:
            members.append({
                "jtbh": number,
                "sfzh": person.id_number,
                "xm": person.name,
                "yhzgx": person.relation_code,
                # A member who died after inclusion is stopped (停保) and paid nothing.
                "cyzt": "2" if person.deceased else "1",
                "ybzje": yuan_text(0 if person.deceased else benefit_fen),
            })
            if not person.deceased:
                for code in _programmes(person, category, facts, rng):
                    programmes.append({"sfzh": person.id_number, "xmdm": code,
                                       "ksrq": date_text(included + dt.timedelta(days=rng.randint(0, 60)), "compact")})
    return {"jzjt": families, "jzcy": members, "zxjz": programmes}


def rural_monitoring(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Monitored rural households, one export row per living member (file jcdx)."""
    rows: list[Row] = []
    for household in households:
        if household.household_number not in facts.rural:
            continue
        risk = _main_risk(household, facts)
        low = facts.per_capita_fen(household) < 2.5 * facts.standard_fen(household)
        if rng.random() >= (0.7 if low or risk in ("因病", "因残") else 0.25):
            continue
        category = rng.choices(MONITORING_CATEGORIES, weights=(3, 5, 2))[0]
        started = facts.today - dt.timedelta(days=rng.randint(30, 4 * 365))
        cleared = "是" if rng.random() < 0.3 else "否"
        for person in household.members:
            if person.deceased:
                continue
            rows.append({
                "户编号": f"{household.division_code}{household.household_number[-6:]}",
                "证件号码": person.id_number,
                "姓名": person.name,
                "与户主关系": RELATIONS.get(person.relation_code, "其他"),
                "监测对象类别": category,
                "风险类型": risk,
                "识别监测时间": date_text(started, "slash"),
                "风险是否消除": cleared,
                "导出时间": facts.updated,
            })
    return {"jcdx": rows}


def _assistance_category(household: Household, facts: Facts, rng: random.Random) -> str | None:
    """Decide whether and how the household is registered, from its income and circumstances."""
    per_capita = facts.per_capita_fen(household)
    standard = facts.standard_fen(household)
    living = [person for person in household.members if not person.deceased]
    head = household.members[0]
    if len(living) == 1 and head.age_on(facts.today) >= 60 and per_capita < 2 * standard and rng.random() < 0.8:
        return EXTREME_POVERTY
    if per_capita < standard and rng.random() < 0.85:
        return MINIMUM_LIVING_ALLOWANCE
    if per_capita < 2 * standard and rng.random() < 0.6:
        return MARGINAL
    if any(facts.seriously_ill(person) for person in living) and per_capita < 4 * standard and rng.random() < 0.6:
        return RIGID_EXPENDITURE
    if rng.random() < 0.05:
        return TEMPORARY
    return None


def _monthly_benefit_fen(category: str, household: Household, facts: Facts) -> int:
    """Return the monthly amount each living member receives, in whole yuan."""
    standard = facts.standard_fen(household)
    if category == EXTREME_POVERTY:
        return standard * 13 // 10 // 100 * 100  # basic support is 1.3 times the allowance standard
    if category == MINIMUM_LIVING_ALLOWANCE:
        return max(standard - facts.per_capita_fen(household), 100_00) // 100 * 100
    return 0  # the other categories receive special assistance, not a monthly allowance


def _programmes(person: Person, category: str, facts: Facts, rng: random.Random) -> list[str]:
    """Special assistance the person already receives, in the registry's own codes."""
    found = []
    age = person.age_on(facts.today)
    supported = category in (MINIMUM_LIVING_ALLOWANCE, EXTREME_POVERTY)
    if person.id_number in facts.conditions or (supported and rng.random() < 0.5):
        found.append(MEDICAL_AID)
    if 6 <= age <= 22 and category in (MINIMUM_LIVING_ALLOWANCE, EXTREME_POVERTY, MARGINAL):
        found.append(EDUCATION_AID)
    if supported and rng.random() < 0.08:
        found.append(HOUSING_AID)
    if facts.earnings[person.id_number].benefit_fen and rng.random() < 0.5:
        found.append(EMPLOYMENT_AID)
    if category == TEMPORARY or rng.random() < 0.05:
        found.append(TEMPORARY_AID)
    if person.id_number in facts.disabled:
        found.append(DISABILITY_SUBSIDIES)
    return found


def _main_risk(household: Household, facts: Facts) -> str:
    living = [person for person in household.members if not person.deceased]
    if any(facts.seriously_ill(person) for person in living):
        return "因病"
    if any(person.id_number in facts.disabled for person in living):
        return "因残"
    if any(6 <= person.age_on(facts.today) <= 22 for person in living):
        return "因学"
    if not any(facts.earnings[person.id_number].paying for person in living):
        return "缺劳动力"
    return "因务工就业不稳"

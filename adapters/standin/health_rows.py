"""Rows of 卫健 (serious and chronic illness), 残联 (disability certificates) and 医保 (medical insurance)."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from hedui.adapters.standin.department_rows import yuan_text
from hedui.adapters.standin.divisions import BY_CODE
from hedui.adapters.standin.facts import Facts, Row, date_text

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household, Person

# 卫健's own kind codes: 1 大病 (serious illness), 2 慢病 (chronic illness).
SERIOUS = "1"
CHRONIC = "2"
SERIOUS_CONDITIONS = (
    ("C34.9", "支气管和肺恶性肿瘤"),
    ("C16.9", "胃恶性肿瘤"),
    ("C50.9", "乳房恶性肿瘤"),
    ("N18.5", "慢性肾脏病5期"),
    ("I63.9", "脑梗死"),
    ("D61.9", "再生障碍性贫血"),
    ("F20.9", "精神分裂症"),
)
CHRONIC_CONDITIONS = (
    ("I10", "原发性高血压"),
    ("E11.9", "2型糖尿病"),
    ("J44.9", "慢性阻塞性肺疾病"),
    ("I25.1", "动脉粥样硬化性心脏病"),
    ("M06.9", "类风湿性关节炎"),
    ("G20", "帕金森病"),
)
PROVINCE_HOSPITALS = ("山西省人民医院", "山西医科大学第一医院", "山西省肿瘤医院")

# 残联 exports write category and grade as text; the number is the GB/T 26341 code.
DISABILITY_CATEGORIES = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神", "7": "多重"}
DISABILITY_GRADES = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}

# 医保 code tables: insutype 310 employee, 390 resident; psn_insu_stas 1 enrolled, 2 paused, 4 ended.
EMPLOYEE_SCHEME = "310"
RESIDENT_SCHEME = "390"


def health(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Diagnoses of serious and chronic illness registered with 卫健 (table jbzd)."""
    rows: list[Row] = []
    for household in households:
        county = BY_CODE[household.division_code]
        for person in household.members:
            age = person.age_on(facts.today)
            if person.deceased:
                serious_chance = 0.6
            elif age >= 50:
                serious_chance = 0.09
            else:
                serious_chance = 0.02
            found: list[tuple[str, str, str]] = []  # (kind, ICD-10 code, name)
            if rng.random() < serious_chance:
                code, name = rng.choice(SERIOUS_CONDITIONS)
                found.append((SERIOUS, code, name))
            if age >= 65:
                chronic_chance = 0.55
            elif age >= 45:
                chronic_chance = 0.35
            else:
                chronic_chance = 0.03
            if rng.random() < chronic_chance:
                code, name = rng.choice(CHRONIC_CONDITIONS)
                found.append((CHRONIC, code, name))
            for kind, code, name in found:
                diagnosed = _diagnosis_date(person, facts.today, rng)
                hospital = rng.choice(PROVINCE_HOSPITALS) if kind == SERIOUS else f"{county.city}{county.name}人民医院"
                rows.append({
                    "id": len(rows) + 1,
                    "sfzh": person.id_number,
                    "xm": person.name,
                    "jblx": kind,
                    "jbbm": code,
                    "jbmc": name,
                    "zdrq": date_text(diagnosed, "slash"),
                    "zdjgmc": hospital,
                    "zt": "1",
                    "gxsj": facts.updated,
                })
                facts.conditions.setdefault(person.id_number, []).append((kind, name))
            if found and rng.random() < 0.05:
                # A diagnosis later withdrawn stays in the table with zt 0; queries skip it.
                rows.append({**rows[-1], "id": len(rows) + 1, "jbbm": "R69", "jbmc": "待查", "zt": "0"})
    return {"jbzd": rows}


def disability(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Disability certificates in the 残联 export (file cjrz): text categories and grades, varied numbers."""
    rows: list[Row] = []
    for household in households:
        for person in household.members:
            age = person.age_on(facts.today)
            if age >= 60:
                chance = 0.14
            elif age >= 18:
                chance = 0.05
            else:
                chance = 0.015
            mental_illness = any(name == "精神分裂症" for _, name in facts.conditions.get(person.id_number, ()))
            if not mental_illness and rng.random() >= chance:
                continue
            category = "6" if mental_illness else rng.choices("1234567", weights=(12, 17, 2, 45, 8, 9, 7))[0]
            grade = rng.choices("1234", weights=(15, 25, 30, 30))[0]
            born = dt.date.fromisoformat(person.birth_date)
            issued = facts.today - dt.timedelta(days=rng.randint(60, 9 * 365))
            issued = max(issued, born + dt.timedelta(days=365))
            if person.deceased:
                issued = min(issued, dt.date.fromisoformat(person.date_of_death) - dt.timedelta(days=30))
            # Certificates issued at 60 or older do not expire; the export leaves the column empty.
            long_term = person.age_on(issued) >= 60
            rows.append({
                "残疾人证号": _certificate_number(person, category, grade, issued, rng),
                "姓名": person.name,
                "性别": person.sex,
                "公民身份号码": person.id_number,
                "残疾类别": DISABILITY_CATEGORIES[category],
                "残疾等级": DISABILITY_GRADES[grade],
                "发证日期": date_text(issued, "compact"),
                "有效期至": "" if long_term else date_text(_years_later(issued, 10), "iso"),
                "持证状态": "注销" if person.deceased else "正常",
                "导出时间": facts.updated,
            })
            if not person.deceased:
                facts.disabled[person.id_number] = (category, grade)
    return {"cjrz": rows}


def medical_insurance(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Enrolment and last year's medical costs from the 医保 platform (endpoint cbfy)."""
    rows: list[Row] = []
    cost_year = facts.today.year - 1
    for household in households:
        for person in household.members:
            if rng.random() < 0.03:
                continue  # insured in another province
            earnings = facts.earnings[person.id_number]
            employee = bool(earnings.employer)
            if person.deceased:
                status = "4"
            elif employee and not earnings.paying:
                status = "2"
            else:
                status = "1"
            total_fen, own_fen = _medical_costs(person, facts, rng)
            rows.append({
                "certno": person.id_number,
                "psn_name": person.name,
                "insutype": EMPLOYEE_SCHEME if employee else RESIDENT_SCHEME,
                "psn_insu_stas": status,
                "insu_admdvs": household.division_code,
                "setl_year": str(cost_year),
                "medfee_sumamt": yuan_text(total_fen),
                "psn_part_amt": yuan_text(own_fen),
                "updt_time": facts.updated.replace("-", "").replace(":", "").replace(" ", ""),
            })
    return {"cbfy": rows}


def _medical_costs(person: Person, facts: Facts, rng: random.Random) -> tuple[int, int]:
    """Return last year's total medical costs and the part the person paid, in fen."""
    kinds = {kind for kind, _ in facts.conditions.get(person.id_number, ())}
    if "1" in kinds:
        total = rng.randint(40_000_00, 260_000_00)
        return total, total * rng.randint(25, 45) // 100
    if "2" in kinds:
        total = rng.randint(2_000_00, 9_000_00)
    elif rng.random() < 0.3:
        total = 0
    else:
        total = rng.randint(50_00, 3_000_00)
    return total, total * rng.randint(30, 60) // 100


def _diagnosis_date(person: Person, today: dt.date, rng: random.Random) -> dt.date:
    born = dt.date.fromisoformat(person.birth_date)
    end = dt.date.fromisoformat(person.date_of_death) if person.deceased else today
    start = max(born + dt.timedelta(days=365), end - dt.timedelta(days=12 * 365))
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days - 1, 0)))


def _certificate_number(person: Person, category: str, grade: str, issued: dt.date, rng: random.Random) -> str:
    """Return a second-generation number (ID number, category, grade) or, for some, an older local one."""
    if issued.year >= 2008 or rng.random() < 0.7:
        return f"{person.id_number}{category}{grade}"
    return f"{person.id_number[:6]}{issued:%Y}{rng.randint(1, 99999):0{rng.choice((4, 5))}d}"


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

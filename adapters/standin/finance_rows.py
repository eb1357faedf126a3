"""Rows of 公积金 (housing provident fund), 市场监管 (businesses), 金融 (deposits, securities, insurance) and 税务."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from faker import Faker
from stdnum.cn import uscc

from hedui.adapters.standin.department_rows import yuan_text
from hedui.adapters.standin.divisions import BY_CODE
from hedui.adapters.standin.facts import Facts, Row, adult_living, date_text

if TYPE_CHECKING:
    from hedui.adapters.standin.people import Household, Person

# 公积金 account states: 01 正常 (paying in), 02 封存 (suspended), 03 冻结 (frozen).
GJJ_ACTIVE = "01"
GJJ_SUSPENDED = "02"

# 市场监管 code tables: enttype 1130 limited company, 9600 individual business;
# regstate 1 存续, 2 吊销, 3 注销.
COMPANY = "1130"
INDIVIDUAL_BUSINESS = "9600"
TRADES = ("便利店", "餐馆", "五金店", "理发店", "农资店", "汽车修理部", "服装店", "水果店")

BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "中国邮政储蓄银行", "交通银行", "晋商银行")
SECURITIES_FIRMS = ("山西证券", "中信证券", "华泰证券", "国泰君安证券", "中国银河证券")
INSURERS = ("中国人寿保险股份有限公司", "中国平安人寿保险股份有限公司", "太平洋人寿保险股份有限公司", "新华人寿保险股份有限公司")
INSURANCE_PRODUCTS = ("终身寿险", "年金保险", "两全保险", "重大疾病保险", "医疗保险")

# 税务 所得项目 codes as the tax system keeps them, with the project's income kinds in the mapping file.
WAGES = "0101"
SERVICES = "0401"
BUSINESS = "0501"
RENTAL = "0601"
DIVIDENDS = "0701"


def provident_fund(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Housing provident fund accounts (endpoint grzh): amounts in yuan text, months as YYYYMM."""
    rows: list[Row] = []
    for household in households:
        for person in household.members:
            earnings = facts.earnings[person.id_number]
            if person.deceased or not earnings.employer or rng.random() >= 0.7:
                continue
            # Employer and employee each pay the same rate, 5 to 12 percent of the base.
            deposit_fen = earnings.base_fen * rng.randint(5, 12) // 100 * 2
            months = rng.randint(12, 15 * 12)
            balance_fen = deposit_fen * months * rng.randint(30, 100) // 100
            rows.append({
                "ZJHM": person.id_number,
                "XINGMING": person.name,
                "GRZH": f"{household.division_code}{rng.randint(10**9, 10**10 - 1)}",
                "GRZHZT": GJJ_ACTIVE if earnings.paying else GJJ_SUSPENDED,
                "DWMC": earnings.employer,
                "YJCE": yuan_text(deposit_fen),
                "GRZHYE": yuan_text(balance_fen),
                "ZHHJNY": earnings.last_paid,
                "GXSJ": facts.updated,
            })
    return {"grzh": rows}


def businesses(households: list[Household], facts: Facts, rng: random.Random, fake: Faker) -> dict[str, list[Row]]:
    """Registered businesses (table sczt) and their investors (table tzr); capital in 万元 with six decimals."""
    entities: list[Row] = []
    investors: list[Row] = []
    for household in households:
        county = BY_CODE[household.division_code]
        for person in household.members:
            if not adult_living(person, facts.today, 22) or person.age_on(facts.today) > 65:
                continue
            draw = rng.random()
            if draw < 0.10:
                capital = rng.randint(1, 20) * 1_000_000  # 1 to 20 万元, in fen
                name = f"{county.name}{person.name}{rng.choice(TRADES)}"
                entity = _entity(len(entities) + 1, INDIVIDUAL_BUSINESS, name, capital, person, county.code, facts, rng)
                investors.append(_investor(entity, person.name, person.id_number, capital, "100"))
                facts.operators.add(person.id_number)
            elif draw < 0.16:
                capital = rng.choice((10, 30, 50, 100, 200, 500)) * 1_000_000  # 万元, in fen
                representative = rng.random() < 0.6
                entity = _entity(len(entities) + 1, COMPANY, fake.company(), capital,
                                 person if representative else None, county.code, facts, rng)
                if not representative:
                    entity["lerep"] = fake.name()
                own_percent = rng.choice((20, 30, 40, 51, 60))
                investors.append(_investor(entity, person.name, person.id_number,
                                           capital * own_percent // 100, str(own_percent)))
                # The other investor is outside the synthetic population, so the row has no ID number.
                investors.append(_investor(entity, fake.name(), "", capital * (100 - own_percent) // 100,
                                           str(100 - own_percent)))
                facts.shareholders.add(person.id_number)
            else:
                continue
            entities.append(entity)
    return {"sczt": entities, "tzr": investors}


def financial_assets(households: list[Household], facts: Facts, rng: random.Random) -> dict[str, list[Row]]:
    """Feedback files of banks, securities firms and insurers: deposits (ck), securities (zq), insurance (bx)."""
    deposits: list[Row] = []
    securities: list[Row] = []
    policies: list[Row] = []
    balance_day = facts.today - dt.timedelta(days=1)
    for household in households:
        county = BY_CODE[household.division_code]
        # Savings follow income: a household near the allowance standard has little put by.
        wealth = max(facts.per_capita_fen(household), 300_00) / 3000_00
        for person in household.members:
            if person.deceased or (person.age_on(facts.today) < 16 and rng.random() >= 0.2):
                continue
            for bank in rng.sample(BANKS, rng.choices((1, 2, 3), weights=(5, 3, 1))[0]):
                branch = f"{bank}{county.city}{county.name}支行"
                current_fen = int(rng.lognormvariate(9.2, 1.0) * 100 * wealth)
                deposits.append(_deposit(person, branch, "1", current_fen, balance_day, facts))
                if rng.random() < 0.3:
                    fixed_fen = int(rng.randint(10, 300) * 1000_00 * min(wealth, 3))
                    deposits.append(_deposit(person, branch, "2", fixed_fen, balance_day, facts))
            if adult_living(person, facts.today, 25) and rng.random() < 0.08 * min(wealth, 2):
                securities.append({
                    "证件号码": person.id_number,
                    "客户姓名": person.name,
                    "证券公司": rng.choice(SECURITIES_FIRMS),
                    "持仓市值（元）": yuan_text(int(rng.lognormvariate(10.5, 1.2) * 100)),
                    "市值日期": date_text(balance_day, "compact"),
                    "反馈时间": facts.updated,
                })
            if adult_living(person, facts.today, 18) and rng.random() < 0.2:
                premium = rng.randint(20, 200) * 100_00
                policies.append({
                    "证件号码": person.id_number,
                    "投保人姓名": person.name,
                    "保险公司": rng.choice(INSURERS),
                    "险种名称": rng.choice(INSURANCE_PRODUCTS),
                    "现金价值（元）": yuan_text(premium * rng.randint(0, 12) * rng.randint(40, 90) // 100),
                    "年缴保费（元）": yuan_text(premium),
                    "反馈时间": facts.updated,
                })
    return {"ck": deposits, "zq": securities, "bx": policies}


def tax(households: list[Household], facts: Facts, bdc: dict[str, list[Row]], rng: random.Random
        ) -> dict[str, list[Row]]:
    """Last year's individual income tax by income item (endpoint grsds); amounts in whole fen."""
    rows: list[Row] = []
    year = facts.today.year - 1
    landlords = _owners_of_several_homes(bdc)
    for household in households:
        for person in household.members:
            if person.deceased or person.age_on(facts.today) < 16:
                continue
            earnings = facts.earnings[person.id_number]
            incomes: list[tuple[str, int, int]] = []  # (item, income, tax) in fen
            if earnings.employer and earnings.base_fen:
                wages = earnings.base_fen * 12 * rng.randint(100, 140) // 100
                deductions = 60_000_00 + earnings.base_fen * 105 // 1000 * 12 + rng.choice((0, 12_000_00, 24_000_00))
                incomes.append((WAGES, wages, _comprehensive_tax(wages - deductions)))
            elif adult_living(person, facts.today) and rng.random() < 0.3:
                services = rng.randint(8_000, 40_000) * 100
                incomes.append((SERVICES, services, _comprehensive_tax(services * 80 // 100 - 60_000_00)))
            if person.id_number in facts.operators:
                business = rng.randint(30_000, 150_000) * 100
                incomes.append((BUSINESS, business, _business_tax(business - 60_000_00)))
            if person.id_number in facts.shareholders and rng.random() < 0.5:
                dividends = rng.randint(5_000, 60_000) * 100
                incomes.append((DIVIDENDS, dividends, dividends // 5))
            if person.id_number in landlords and rng.random() < 0.6:
                rent = rng.randint(12_000, 36_000) * 100
                incomes.append((RENTAL, rent, rent * 80 // 100 // 10))
            for item, income, paid in incomes:
                rows.append({
                    "sfzjhm": person.id_number,
                    "nsrxm": person.name,
                    "sssq": str(year),
                    "sdxmdm": item,
                    "sre": income,
                    "yjse": paid,
                    "gxsj": facts.updated.replace(" ", "T") + "+08:00",
                })
    return {"grsds": rows}


def _entity(number: int, kind: str, name: str, capital: int, representative: Person | None, division: str,
            facts: Facts, rng: random.Random) -> Row:
    """One row of sczt; ``capital`` is in millionths of 万元, which is exactly fen."""
    established = facts.today - dt.timedelta(days=rng.randint(90, 15 * 365))
    state = rng.choices("123", weights=(85, 5, 10))[0]
    return {
        "pripid": f"{division}{number:010d}",
        "uniscid": _credit_code("92" if kind == INDIVIDUAL_BUSINESS else "91", division, rng),
        "entname": name,
        "enttype": kind,
        "regcap": _wan_yuan(capital),
        "estdate": date_text(established, "iso"),
        "regstate": state,
        "lerep": representative.name if representative else "",
        "lerep_cerno": representative.id_number if representative else "",
        "gxsj": facts.updated,
    }


def _investor(entity: Row, name: str, id_number: str, subscribed: int, percent: str) -> Row:
    return {"pripid": entity["pripid"], "inv": name, "cerno": id_number, "subconam": _wan_yuan(subscribed),
            "conprop": percent}


def _wan_yuan(fen: int) -> str:
    """Format fen as 万元 with six decimals, the way the registration system stores capital."""
    return f"{fen // 1_000_000}.{fen % 1_000_000:06d}"


def _credit_code(prefix: str, division: str, rng: random.Random) -> str:
    """Build a GB 32100 credit code with a valid GB 11714 organisation code inside."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    remainder = 11 - sum(int(digit) * weight for digit, weight in zip(body, weights)) % 11
    organisation = body + {10: "X", 11: "0"}.get(remainder, str(remainder))
    code = f"{prefix}{division}{organisation}"
    return code + uscc.calc_check_digit(code)


def _deposit(person: Person, branch: str, kind: str, balance_fen: int, day: dt.date, facts: Facts) -> Row:
    # 账户类型 codes of the banks' feedback file: 1 活期, 2 定期.
    return {
        "证件号码": person.id_number,
        "户名": person.name,
        "开户机构": branch,
        "账户类型": kind,
        "账户余额（元）": yuan_text(max(balance_fen, 0)),
        "余额日期": date_text(day, "compact"),
        "反馈时间": facts.updated,
    }


def _owners_of_several_homes(bdc: dict[str, list[Row]]) -> set[str]:
    current = {row["ywh"] for row in bdc["fdcq"] if row["qszt"] == "1" and row["ghyt"] != "车位"}
    counts: dict[str, int] = {}
    for row in bdc["qlr"]:
        if row["ywh"] in current:
            counts[row["zjh"].upper()] = counts.get(row["zjh"].upper(), 0) + 1
    return {id_number for id_number, count in counts.items() if count >= 2}


# Annual brackets of comprehensive income (upper bound, rate in percent, quick deduction), in fen.
_COMPREHENSIVE = ((36_000_00, 3, 0), (144_000_00, 10, 2_520_00), (300_000_00, 20, 16_920_00),
                  (420_000_00, 25, 31_920_00), (660_000_00, 30, 52_920_00), (960_000_00, 35, 85_920_00),
                  (None, 45, 181_920_00))
_BUSINESS = ((30_000_00, 5, 0), (90_000_00, 10, 1_500_00), (300_000_00, 20, 10_500_00),
             (500_000_00, 30, 40_500_00), (None, 35, 65_500_00))


def _comprehensive_tax(taxable_fen: int) -> int:
    return _bracket_tax(taxable_fen, _COMPREHENSIVE)


def _business_tax(taxable_fen: int) -> int:
    return _bracket_tax(taxable_fen, _BUSINESS)


def _bracket_tax(taxable_fen: int, brackets: tuple[tuple[int | None, int, int], ...]) -> int:
    if taxable_fen <= 0:
        return 0
    for upper, rate, quick in brackets:
        if upper is None or taxable_fen <= upper:
            return taxable_fen * rate // 100 - quick
    raise AssertionError("the last bracket has no upper bound")

"""The synthetic department rows agree with the households and with each other, and repeat for a seed."""

from __future__ import annotations

import datetime as dt
import pathlib
import sqlite3

import pytest
from stdnum.cn import uscc

from hedui.adapters.standin import Dataset, make_dataset, write_department_systems
from hedui.adapters.standin.systems import DATABASES, EXPORTS

SEED = 20250630
TODAY = dt.date(2025, 6, 30)
LEGAL_AGE = {"男": 22, "女": 20}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return make_dataset(SEED, 80)


def birth(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def compact(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y%m%d").date()


def ids_in(dataset: Dataset, system: str, table: str, field: str) -> set[str]:
    return {str(row[field]).upper() for row in dataset.rows(system, table)}


def test_same_seed_same_systems(tmp_path: pathlib.Path) -> None:
    for name, seed in (("first", 5), ("second", 5), ("other", 6)):
        dataset = make_dataset(seed, 15)
        dataset.save(tmp_path / name)
        write_department_systems(dataset, tmp_path / name)
    files = ([f"{system}.json" for system in DATABASES] + [spec[0] for spec in EXPORTS.values()]
             + ["yb.json", "gjj.json", "sw.json", "households.json"])
    for name in files:
        first = (tmp_path / "first" / name).read_bytes()
        assert first == (tmp_path / "second" / name).read_bytes(), name
    for file_name, _ in DATABASES.values():
        dumps = ["\n".join(sqlite3.connect(tmp_path / run / file_name).iterdump()) for run in ("first", "second")]
        assert dumps[0] == dumps[1], file_name
    assert (tmp_path / "first" / "households.json").read_bytes() != (tmp_path / "other" / "households.json").read_bytes()


def test_couples_registered_to_each_other(dataset: Dataset) -> None:
    marriages = [row for row in dataset.rows("mz_hybz", "hy_djxx") if row["yw_lx"] == "IA"]
    couples = 0
    for household in dataset.households:
        head = household.members[0]
        spouse = next((m for m in household.members if m.relation_code == "10"), None)
        if spouse is None:
            continue
        couples += 1
        pair = {head.id_number, spouse.id_number}
        rows = [row for row in marriages if {row["nf_sfzh"], row["vf_sfzh"]} == pair]
        assert len(rows) == 1, household.household_number
        day = compact(rows[0]["djrq"])
        for person in (head, spouse):
            born = dt.date.fromisoformat(person.birth_date)
            assert day >= born.replace(year=born.year + LEGAL_AGE[person.sex], day=min(born.day, 28)), person.name
        assert day <= TODAY
    assert couples > 10


def test_registrations_have_man_and_woman(dataset: Dataset) -> None:
    for row in dataset.rows("mz_hybz", "hy_djxx"):
        assert int(row["nf_sfzh"][16]) % 2 == 1, row["ywlsh"]
        assert int(row["vf_sfzh"][16]) % 2 == 0, row["ywlsh"]


def test_divorce_follows_its_marriage(dataset: Dataset) -> None:
    rows = dataset.rows("mz_hybz", "hy_djxx")
    divorces = [row for row in rows if row["yw_lx"] == "IB"]
    assert divorces
    for divorce in divorces:
        weddings = [row for row in rows if row["yw_lx"] == "IA" and row["nf_sfzh"] == divorce["nf_sfzh"]
                    and row["vf_sfzh"] == divorce["vf_sfzh"]]
        assert len(weddings) == 1
        assert weddings[0]["djrq"] < divorce["djrq"]


def test_deceased_have_cremation_and_nothing_current(dataset: Dataset) -> None:
    deceased = [person for person in dataset.people() if person.deceased]
    assert deceased
    cremations = {row["szsfzh"]: row for row in dataset.rows("mz_hybz", "bz_hhxx")}
    registrations = {row["gmsfhm"]: row for row in dataset.rows("ga", "hjxx")}
    current = (ids_in(dataset, "rs", "cbxx", "sfzhm") | ids_in(dataset, "gjj", "grzh", "ZJHM")
               | ids_in(dataset, "jr", "ck", "证件号码") | ids_in(dataset, "xczx", "jcdx", "证件号码")
               | ids_in(dataset, "sw", "grsds", "sfzjhm") | ids_in(dataset, "ga", "jdc", "syrzjhm"))
    for person in deceased:
        cremation = cremations[person.id_number]
        assert cremation["swrq"] == person.date_of_death
        assert cremation["hhrq"] > cremation["swrq"]
        if person.id_number in registrations:
            assert registrations[person.id_number]["hjzt"] == "1"
        assert person.id_number not in current, person.name
        for row in dataset.rows("rs", "ylj"):
            if row["sfzhm"] == person.id_number:
                assert row["ffzt"] == "3"
    living = {person.id_number for person in dataset.people() if not person.deceased}
    assert not living & set(cremations)


def test_some_households_in_registry(dataset: Dataset) -> None:
    families = dataset.rows("mz_db", "jzjt")
    heads = {row["hzsfzh"] for row in families}
    assert 0 < len(heads) < len(dataset.households)
    categories = {row["jzlb"] for row in families}
    assert "10" in categories
    assert len(categories) >= 2
    members_of = {household.members[0].id_number: {m.id_number for m in household.members}
                  for household in dataset.households}
    for family in families:
        registered = {row["sfzh"] for row in dataset.rows("mz_db", "jzcy") if row["jtbh"] == family["jtbh"]}
        assert registered <= members_of[family["hzsfzh"]]
        assert family["rdjgqh"] == family["jtbh"][:6]


def test_benefits_follow_category(dataset: Dataset) -> None:
    families = {row["jtbh"]: row for row in dataset.rows("mz_db", "jzjt")}
    for member in dataset.rows("mz_db", "jzcy"):
        category = families[member["jtbh"]]["jzlb"]
        amount = float(member["ybzje"])
        if member["cyzt"] == "2" or category in ("30", "40", "50"):
            assert amount == 0, member["sfzh"]
        else:
            assert 100 <= amount <= 1100, member["sfzh"]


def test_programmes_belong_to_registered_people(dataset: Dataset) -> None:
    registered = {row["sfzh"] for row in dataset.rows("mz_db", "jzcy") if row["cyzt"] == "1"}
    certified = {row["公民身份号码"] for row in dataset.rows("cl", "cjrz") if row["持证状态"] == "正常"}
    programmes = dataset.rows("mz_db", "zxjz")
    assert programmes
    for row in programmes:
        assert row["sfzh"] in registered
        assert row["xmdm"] in {"11", "12", "13", "14", "15", "16", "21"}
        if row["xmdm"] == "21":
            assert row["sfzh"] in certified
    pairs = [(row["sfzh"], row["xmdm"]) for row in programmes]
    assert len(pairs) == len(set(pairs))


def test_ages_fit_each_role(dataset: Dataset) -> None:
    people = {person.id_number: person for person in dataset.people()}
    for row in dataset.rows("scjg", "sczt"):
        if row["lerep_cerno"]:
            assert people[row["lerep_cerno"]].age_on(TODAY) >= 22
    for row in dataset.rows("cl", "cjrz"):
        assert compact(row["发证日期"]) > birth(row["公民身份号码"])
    for row in dataset.rows("wj", "jbzd"):
        diagnosed = dt.datetime.strptime(row["zdrq"], "%Y/%m/%d").date()
        assert birth(row["sfzh"]) < diagnosed <= TODAY
    for row in dataset.rows("sw", "grsds"):
        assert people[row["sfzjhm"]].age_on(TODAY) >= 16


def test_provident_fund_matches_employer(dataset: Dataset) -> None:
    employers = {row["sfzhm"]: row["cbdwmc"] for row in dataset.rows("rs", "cbxx") if row["xzlx"] == "110"}
    bases = {row["sfzhm"]: float(row["jfjs"]) for row in dataset.rows("rs", "cbxx") if row["xzlx"] == "110"}
    accounts = dataset.rows("gjj", "grzh")
    assert accounts
    for row in accounts:
        assert row["DWMC"] == employers[row["ZJHM"]]
        # Employer and employee each pay 5 to 12 percent of the base.
        assert 0.1 * bases[row["ZJHM"]] - 0.02 <= float(row["YJCE"]) <= 0.24 * bases[row["ZJHM"]]


def test_wages_taxed_for_employees_only(dataset: Dataset) -> None:
    employed = {row["sfzhm"] for row in dataset.rows("rs", "cbxx") if row["xzlx"] == "110" and row["cbdwmc"]}
    wages = [row for row in dataset.rows("sw", "grsds") if row["sdxmdm"] == "0101"]
    assert wages
    for row in wages:
        assert row["sfzjhm"] in employed
        assert isinstance(row["sre"], int) and isinstance(row["yjse"], int)
        assert 0 <= row["yjse"] < row["sre"]


def test_medical_scheme_follows_employment(dataset: Dataset) -> None:
    employed = {row["sfzhm"] for row in dataset.rows("rs", "cbxx") if row["xzlx"] == "110" and row["cbdwmc"]}
    for row in dataset.rows("yb", "cbfy"):
        assert (row["insutype"] == "310") == (row["certno"] in employed), row["certno"]
        assert float(row["psn_part_amt"]) <= float(row["medfee_sumamt"])


def test_seriously_ill_pay_more(dataset: Dataset) -> None:
    serious = {row["sfzh"] for row in dataset.rows("wj", "jbzd") if row["jblx"] == "1" and row["zt"] == "1"}
    costs = {row["certno"]: float(row["medfee_sumamt"]) for row in dataset.rows("yb", "cbfy")}
    ill = [costs[id_number] for id_number in serious if id_number in costs]
    assert ill
    assert min(ill) >= 40_000
    assert max(cost for id_number, cost in costs.items() if id_number not in serious) < 40_000


def test_credit_codes_valid(dataset: Dataset) -> None:
    for row in dataset.rows("scjg", "sczt"):
        assert uscc.validate(row["uniscid"]) == row["uniscid"]
        assert row["uniscid"][2:8] == row["pripid"][:6]


def test_shares_add_up(dataset: Dataset) -> None:
    for entity in dataset.rows("scjg", "sczt"):
        investors = [row for row in dataset.rows("scjg", "tzr") if row["pripid"] == entity["pripid"]]
        assert sum(int(row["conprop"]) for row in investors) == 100
        total = sum(float(row["subconam"]) for row in investors)
        assert abs(total - float(entity["regcap"])) < 1e-6


def test_certificate_numbers_carry_grade(dataset: Dataset) -> None:
    categories = {"视力": "1", "听力": "2", "言语": "3", "肢体": "4", "智力": "5", "精神": "6", "多重": "7"}
    grades = {"一级": "1", "二级": "2", "三级": "3", "四级": "4"}
    rows = dataset.rows("cl", "cjrz")
    assert rows
    for row in rows:
        number = row["残疾人证号"]
        if len(number) == 20:
            assert number == row["公民身份号码"] + categories[row["残疾类别"]] + grades[row["残疾等级"]]
        else:
            assert number[:6] == row["公民身份号码"][:6]
            assert len(number) <= 32


def test_monitored_households_are_whole(dataset: Dataset) -> None:
    rows = dataset.rows("xczx", "jcdx")
    assert rows
    by_household: dict[str, set[str]] = {}
    for row in rows:
        by_household.setdefault(row["户编号"], set()).add(row["证件号码"])
    for household in dataset.households:
        living = {m.id_number for m in household.members if not m.deceased}
        for monitored in by_household.values():
            assert not monitored & living or monitored == living

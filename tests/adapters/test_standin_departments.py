"""Department files of the ten further departments, mapped against the stand-in systems.

Each test reads one department's records through its declarative file in
examples/departments and compares every record with values worked out here
from the synthetic dataset's own rows, so a wrong code table, unit or query
shows up as a mismatch.
"""

from __future__ import annotations

import collections
import datetime as dt
import pathlib
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from hedui.adapters.base import AdapterQuery
from hedui.adapters.factory import build_adapter
from hedui.adapters.standin import Dataset, copy_department_files, make_dataset, write_department_systems
from hedui.adapters.standin.http_service import RunningStandin, serve
from hedui.gateway.messages import check_rules
from hedui.v1 import common_pb2 as common
from hedui.v1 import records_pb2

SEED = 20250630
HTTP_FILES = ("yb.toml", "gjj.toml", "sw.toml")
C = common
R = records_pb2


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return make_dataset(SEED, 60)


@pytest.fixture(scope="module")
def systems(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A folder with the databases, exports and department files, as the demo lays it out."""
    folder = tmp_path_factory.mktemp("standin")
    write_department_systems(dataset, folder)
    assert copy_department_files(folder)
    return folder


@pytest.fixture
async def standin(dataset: Dataset) -> AsyncIterator[RunningStandin]:
    async with serve(dataset) as running:
        yield running


async def fetch(file_name: str, folder: pathlib.Path, standin: RunningStandin, dataset: Dataset
                ) -> list[records_pb2.Record]:
    """Query every person of the dataset through one department file and check each record's rules."""
    config: dict[str, object] = {"kind": "declarative", "file": file_name}
    if file_name in HTTP_FILES:
        config["source"] = {"base_url": standin.url}
    query = AdapterQuery("req-standin", tuple(person.id_number for person in dataset.people()),
                         frozenset(range(1, 20)), C.PURPOSE_INITIAL_ELIGIBILITY)
    async with build_adapter(config, folder) as adapter:
        records = await adapter.fetch(query)
    for record in records:
        check_rules(record, "Record")
    return records


def fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


def iso(text: str) -> str:
    """Read a department date in any of the forms the stand-in writes."""
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise AssertionError(f"not a date: {text!r}")


def bag(items: list[tuple[object, ...]]) -> collections.Counter[tuple[object, ...]]:
    return collections.Counter(items)


async def test_marriage_is_latest_registration(dataset, systems, standin) -> None:
    records = await fetch("mz_hybz.toml", systems, standin, dataset)
    cremated = {row["szsfzh"] for row in dataset.rows("mz_hybz", "bz_hhxx")}
    people = {person.id_number for person in dataset.people()}
    latest: dict[str, tuple[str, dict]] = {}
    for row in dataset.rows("mz_hybz", "hy_djxx"):
        for own, other, other_name in (("nf_sfzh", "vf_sfzh", "vf_xm"), ("vf_sfzh", "nf_sfzh", "nf_xm")):
            key = (row["djrq"], row["ywlsh"])
            if row[own] in people and (row[own] not in latest or key > latest[row[own]][0]):
                latest[row[own]] = (key, {**row, "spouse": row[other], "spouse_name": row[other_name]})
    expected = []
    for id_number, (_, row) in latest.items():
        if row["yw_lx"] == "IB":
            status = "40"  # divorced
        elif row["spouse"] in cremated:
            status = "30"  # widowed
        else:
            status = "20"  # married
        expected.append((id_number, status, row["spouse"], row["spouse_name"], iso(row["djrq"]), row["djjg"]))

    found = [(r.id_number, r.marriage.marital_status_code, r.marriage.spouse_id_number, r.marriage.spouse_name,
              r.marriage.registration_date, r.marriage.registration_office)
             for r in records if r.category == C.DATA_CATEGORY_MARRIAGE]
    assert bag(found) == bag(expected)
    assert {status for _, status, *_ in found} >= {"20", "30"}


async def test_cremation_rows_map(dataset, systems, standin) -> None:
    records = await fetch("mz_hybz.toml", systems, standin, dataset)
    people = {person.id_number for person in dataset.people()}
    expected = [(row["szsfzh"], row["swrq"], row["hhrq"], row["bygmc"])
                for row in dataset.rows("mz_hybz", "bz_hhxx") if row["szsfzh"] in people]
    found = [(r.id_number, r.cremation.date_of_death, r.cremation.cremation_date, r.cremation.funeral_home)
             for r in records if r.category == C.DATA_CATEGORY_CREMATION]
    assert expected
    assert bag(found) == bag(expected)


async def test_low_income_registry_maps(dataset, systems, standin) -> None:
    records = await fetch("mz_db.toml", systems, standin, dataset)
    categories = {"10": C.ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE, "20": C.ASSISTANCE_CATEGORY_EXTREME_POVERTY,
                  "30": C.ASSISTANCE_CATEGORY_MARGINAL, "40": C.ASSISTANCE_CATEGORY_RIGID_EXPENDITURE,
                  "50": C.ASSISTANCE_CATEGORY_TEMPORARY_ASSISTANCE}
    programme_codes = {"11": R.ASSISTANCE_PROGRAMME_MEDICAL, "12": R.ASSISTANCE_PROGRAMME_EDUCATION,
                       "13": R.ASSISTANCE_PROGRAMME_HOUSING, "14": R.ASSISTANCE_PROGRAMME_EMPLOYMENT,
                       "15": R.ASSISTANCE_PROGRAMME_TEMPORARY, "16": R.ASSISTANCE_PROGRAMME_DISASTER_RELIEF,
                       "21": R.ASSISTANCE_PROGRAMME_DISABILITY_SUBSIDIES}
    programmes: dict[str, list[int]] = collections.defaultdict(list)
    for row in dataset.rows("mz_db", "zxjz"):
        programmes[row["sfzh"]].append(programme_codes[row["xmdm"]])
    families = {row["jtbh"]: row for row in dataset.rows("mz_db", "jzjt")}
    expected = []
    for member in dataset.rows("mz_db", "jzcy"):
        family = families[member["jtbh"]]
        expected.append((member["sfzh"], categories[family["jzlb"]], {"1": "在保", "2": "停保"}[member["cyzt"]],
                         iso(family["nrrq"]), fen(member["ybzje"]), family["rdjgqh"],
                         tuple(sorted(programmes[member["sfzh"]]))))
    # The query concatenates programme codes in no fixed order, so both sides are sorted.
    found = [(r.id_number, r.low_income_registry.assistance_category, r.low_income_registry.status,
              r.low_income_registry.start_date, r.low_income_registry.monthly_benefit_fen,
              r.low_income_registry.deciding_division.code, tuple(sorted(r.low_income_registry.programmes)))
             for r in records]
    assert expected
    assert bag(found) == bag(expected)
    assert all(r.category == C.DATA_CATEGORY_LOW_INCOME_REGISTRY for r in records)
    assert any(len(r.low_income_registry.programmes) >= 2 for r in records)
    assert any(not r.low_income_registry.programmes for r in records)


async def test_medical_insurance_maps(dataset, systems, standin) -> None:
    records = await fetch("yb.toml", systems, standin, dataset)
    schemes = {"310": R.MEDICAL_SCHEME_EMPLOYEE, "390": R.MEDICAL_SCHEME_RESIDENT}
    statuses = {"1": "参保缴费", "2": "暂停缴费", "4": "终止参保"}
    expected = [(row["certno"], schemes[row["insutype"]], statuses[row["psn_insu_stas"]], int(row["setl_year"]),
                 fen(row["psn_part_amt"]), fen(row["medfee_sumamt"])) for row in dataset.rows("yb", "cbfy")]
    found = [(r.id_number, r.medical_insurance.scheme, r.medical_insurance.status, r.medical_insurance.cost_year,
              r.medical_insurance.out_of_pocket_fen, r.medical_insurance.total_cost_fen) for r in records]
    assert bag(found) == bag(expected)
    assert all(own <= total for *_, own, total in found)


async def test_provident_fund_maps(dataset, systems, standin) -> None:
    records = await fetch("gjj.toml", systems, standin, dataset)
    statuses = {"01": "正常", "02": "封存", "03": "冻结"}
    expected = [(row["ZJHM"], statuses[row["GRZHZT"]], row["DWMC"], fen(row["YJCE"]), fen(row["GRZHYE"]),
                 f"{row['ZHHJNY'][:4]}-{row['ZHHJNY'][4:]}") for row in dataset.rows("gjj", "grzh")]
    found = [(r.id_number, r.housing_provident_fund.account_status, r.housing_provident_fund.employer_name,
              r.housing_provident_fund.monthly_deposit_fen, r.housing_provident_fund.balance_fen,
              r.housing_provident_fund.last_paid_month) for r in records]
    assert expected
    assert bag(found) == bag(expected)


async def test_tax_maps_fen_amounts(dataset, systems, standin) -> None:
    records = await fetch("sw.toml", systems, standin, dataset)
    kinds = {"0101": R.INCOME_KIND_WAGES, "0401": R.INCOME_KIND_SERVICES, "0501": R.INCOME_KIND_BUSINESS,
             "0601": R.INCOME_KIND_PROPERTY, "0701": R.INCOME_KIND_INTEREST_DIVIDENDS}
    expected = [(row["sfzjhm"], int(row["sssq"]), kinds[row["sdxmdm"]], row["sre"], row["yjse"])
                for row in dataset.rows("sw", "grsds")]
    found = [(r.id_number, r.tax.tax_year, r.tax.income_kind, r.tax.income_fen, r.tax.tax_paid_fen) for r in records]
    assert bag(found) == bag(expected)
    assert {kind for _, _, kind, _, _ in found} >= {R.INCOME_KIND_WAGES, R.INCOME_KIND_BUSINESS}


async def test_business_roles_and_capital(dataset, systems, standin) -> None:
    records = await fetch("scjg.toml", systems, standin, dataset)
    entities = {row["pripid"]: row for row in dataset.rows("scjg", "sczt")}
    people = {person.id_number for person in dataset.people()}
    statuses = {"1": "存续", "2": "吊销", "3": "注销"}

    def capital(wan_yuan: str) -> int:
        return int(Decimal(wan_yuan) * 1_000_000)  # one millionth of 万元 is one fen

    expected = []
    for row in dataset.rows("scjg", "tzr"):
        entity = entities[row["pripid"]]
        if row["cerno"] in people and entity["enttype"] != "9600":
            expected.append((row["cerno"], entity["uniscid"], R.BUSINESS_ROLE_SHAREHOLDER, capital(entity["regcap"]),
                             capital(row["subconam"]), int(Decimal(row["conprop"]) * 100), statuses[entity["regstate"]]))
    for entity in entities.values():
        if entity["lerep_cerno"] in people:
            operator = entity["enttype"] == "9600"
            role = R.BUSINESS_ROLE_INDIVIDUAL_OPERATOR if operator else R.BUSINESS_ROLE_LEGAL_REPRESENTATIVE
            expected.append((entity["lerep_cerno"], entity["uniscid"], role, capital(entity["regcap"]),
                             capital(entity["regcap"]) if operator else 0, 10000 if operator else 0,
                             statuses[entity["regstate"]]))
    found = [(r.id_number, r.business_registration.credit_code, r.business_registration.role,
              r.business_registration.registered_capital_fen, r.business_registration.subscribed_capital_fen,
              r.business_registration.share_basis_points, r.business_registration.status) for r in records]
    assert bag(found) == bag(expected)
    assert {role for _, _, role, *_ in found} == {1, 2, 3}


async def test_disability_skips_cancelled(dataset, systems, standin) -> None:
    records = await fetch("cl.toml", systems, standin, dataset)
    categories = {"视力": 1, "听力": 2, "言语": 3, "肢体": 4, "智力": 5, "精神": 6, "多重": 7}
    grades = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}
    expected = [(row["公民身份号码"], row["残疾人证号"], categories[row["残疾类别"]], grades[row["残疾等级"]],
                 iso(row["发证日期"]), iso(row["有效期至"]) if row["有效期至"] else "")
                for row in dataset.rows("cl", "cjrz") if row["持证状态"] == "正常"]
    found = [(r.id_number, r.disability.certificate_number, r.disability.category, r.disability.grade,
              r.disability.issue_date, r.disability.valid_until) for r in records]
    assert expected
    assert bag(found) == bag(expected)


async def test_health_skips_withdrawn(dataset, systems, standin) -> None:
    records = await fetch("wj.toml", systems, standin, dataset)
    kinds = {"1": R.CONDITION_KIND_SERIOUS, "2": R.CONDITION_KIND_CHRONIC}
    expected = [(row["sfzh"], kinds[row["jblx"]], row["jbmc"], iso(row["zdrq"]), row["zdjgmc"])
                for row in dataset.rows("wj", "jbzd") if row["zt"] == "1"]
    found = [(r.id_number, r.health.kind, r.health.condition_name, r.health.diagnosis_date, r.health.institution)
             for r in records]
    assert bag(found) == bag(expected)
    assert {kind for _, kind, *_ in found} == {R.CONDITION_KIND_SERIOUS, R.CONDITION_KIND_CHRONIC}


async def test_financial_assets_map(dataset, systems, standin) -> None:
    records = await fetch("jr.toml", systems, standin, dataset)
    deposits = [(row["证件号码"], row["开户机构"], {"1": "活期", "2": "定期"}[row["账户类型"]], fen(row["账户余额（元）"]),
                 iso(row["余额日期"])) for row in dataset.rows("jr", "ck")]
    securities = [(row["证件号码"], row["证券公司"], fen(row["持仓市值（元）"]), iso(row["市值日期"]))
                  for row in dataset.rows("jr", "zq")]
    policies = [(row["证件号码"], row["保险公司"], row["险种名称"], fen(row["现金价值（元）"]), fen(row["年缴保费（元）"]))
                for row in dataset.rows("jr", "bx")]

    by_body = collections.defaultdict(list)
    for r in records:
        by_body[r.WhichOneof("body")].append(r)
    assert bag([(r.id_number, r.bank_deposit.institution, r.bank_deposit.account_type, r.bank_deposit.balance_fen,
                 r.bank_deposit.balance_date) for r in by_body["bank_deposit"]]) == bag(deposits)
    assert bag([(r.id_number, r.securities.institution, r.securities.market_value_fen, r.securities.valuation_date)
                for r in by_body["securities"]]) == bag(securities)
    assert bag([(r.id_number, r.commercial_insurance.insurer, r.commercial_insurance.product_type,
                 r.commercial_insurance.cash_value_fen, r.commercial_insurance.annual_premium_fen)
                for r in by_body["commercial_insurance"]]) == bag(policies)
    assert deposits
    assert securities
    assert policies


async def test_rural_monitoring_maps(dataset, systems, standin) -> None:
    records = await fetch("xczx.toml", systems, standin, dataset)
    categories = {"脱贫不稳定户": R.MONITORING_CATEGORY_UNSTABLE, "边缘易致贫户": R.MONITORING_CATEGORY_MARGINAL,
                  "突发严重困难户": R.MONITORING_CATEGORY_SUDDEN_HARDSHIP}
    expected = [(row["证件号码"], categories[row["监测对象类别"]], row["风险类型"], iso(row["识别监测时间"]),
                 {"否": "监测中", "是": "风险消除"}[row["风险是否消除"]]) for row in dataset.rows("xczx", "jcdx")]
    found = [(r.id_number, r.rural_monitoring.category, r.rural_monitoring.risk, r.rural_monitoring.start_date,
              r.rural_monitoring.status) for r in records]
    assert expected
    assert bag(found) == bag(expected)


async def test_as_of_is_extract_time(dataset, systems, standin) -> None:
    # Every department extract is current as of 02:00 Beijing time the day before the reference date.
    expected = dt.datetime(2025, 6, 29, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for file_name in ("mz_hybz.toml", "mz_db.toml", "yb.toml", "gjj.toml", "sw.toml", "scjg.toml", "cl.toml",
                      "wj.toml", "jr.toml", "xczx.toml"):
        records = await fetch(file_name, systems, standin, dataset)
        assert records, file_name
        assert {r.as_of.ToDatetime(dt.timezone.utc) for r in records} == {expected}, file_name


async def test_unknown_person_has_no_records(dataset, systems, standin) -> None:
    from hedui.adapters.standin.people import make_id_number

    stranger = make_id_number("140109", dt.date(2001, 12, 5), 44)
    assert stranger not in {person.id_number for person in dataset.people()}
    query = AdapterQuery("req-stranger", (stranger,), frozenset(range(1, 20)), C.PURPOSE_INITIAL_ELIGIBILITY)
    for file_name in ("mz_hybz.toml", "mz_db.toml", "yb.toml", "scjg.toml", "cl.toml", "jr.toml", "xczx.toml"):
        config: dict[str, object] = {"kind": "declarative", "file": file_name}
        if file_name in HTTP_FILES:
            config["source"] = {"base_url": standin.url}
        async with build_adapter(config, systems) as adapter:
            assert await adapter.fetch(query) == [], file_name


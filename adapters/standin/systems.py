"""Write the stand-in department systems that are not served over HTTP: SQLite databases and CSV exports.

Each department keeps its own kind of system: civil affairs, market
regulation and health keep SQLite databases, while the disabled persons'
federation, the banks and rural revitalisation hand over CSV exports. The
department files in ``examples/departments`` read them when copied next to
them (``copy_department_files``).
"""

from __future__ import annotations

import csv
import importlib.resources
import logging
import pathlib
import shutil
import sqlite3

from hedui.adapters.standin.bdc_database import write_bdc_database
from hedui.adapters.standin.people import Dataset

logger = logging.getLogger(__name__)

BDC_DATABASE = "bdc.sqlite"

# Table and column names are the departments' own; every amount and area is
# TEXT because SQLite has no exact decimal type.
DATABASES: dict[str, tuple[str, str]] = {
    "mz_hybz": ("mz_hybz.sqlite", """
CREATE TABLE hy_djxx (                   -- 婚姻登记信息，一次登记一行
    ywlsh   TEXT PRIMARY KEY,            -- 业务流水号
    yw_lx   TEXT NOT NULL,               -- 业务类型：IA 结婚登记，IB 离婚登记
    nf_sfzh TEXT NOT NULL,               -- 男方身份证号
    nf_xm   TEXT NOT NULL,               -- 男方姓名
    vf_sfzh TEXT NOT NULL,               -- 女方身份证号
    vf_xm   TEXT NOT NULL,               -- 女方姓名
    djrq    TEXT NOT NULL,               -- 登记日期 YYYYMMDD
    djjg    TEXT NOT NULL,               -- 登记机关
    djjgdm  TEXT NOT NULL,               -- 登记机关行政区划代码
    gxsj    TEXT NOT NULL                -- 更新时间
);
CREATE INDEX hy_djxx_nf ON hy_djxx (UPPER(nf_sfzh));
CREATE INDEX hy_djxx_vf ON hy_djxx (UPPER(vf_sfzh));
CREATE TABLE bz_hhxx (                   -- 殡葬火化信息
    hhbh    TEXT PRIMARY KEY,            -- 火化编号
    szsfzh  TEXT NOT NULL,               -- 死者身份证号
    szxm    TEXT NOT NULL,               -- 死者姓名
    swrq    TEXT NOT NULL,               -- 死亡日期
    hhrq    TEXT NOT NULL,               -- 火化日期
    bygmc   TEXT NOT NULL,               -- 殡仪馆名称
    gxsj    TEXT NOT NULL
);
CREATE INDEX bz_hhxx_sfzh ON bz_hhxx (UPPER(szsfzh));
"""),
    "mz_db": ("mz_db.sqlite", """
CREATE TABLE jzjt (                      -- 救助家庭
    jtbh    TEXT PRIMARY KEY,            -- 家庭编号
    hzsfzh  TEXT NOT NULL,               -- 户主身份证号
    jzlb    TEXT NOT NULL,               -- 救助类别：10 低保 20 特困 30 低保边缘 40 刚性支出困难 50 临时救助
    jtzt    TEXT NOT NULL,               -- 家庭状态：1 在保 2 停保
    rdjgqh  TEXT NOT NULL,               -- 认定机关行政区划代码
    nrrq    TEXT NOT NULL,               -- 纳入日期 YYYYMMDD
    jtybzje TEXT NOT NULL,               -- 家庭月保障金额（元）
    gxsj    TEXT NOT NULL
);
CREATE TABLE jzcy (                      -- 救助家庭成员
    jtbh    TEXT NOT NULL REFERENCES jzjt (jtbh),
    sfzh    TEXT NOT NULL,               -- 身份证号
    xm      TEXT NOT NULL,
    yhzgx   TEXT NOT NULL,               -- 与户主关系（GB/T 4761）
    cyzt    TEXT NOT NULL,               -- 成员状态：1 在保 2 停保
    ybzje   TEXT NOT NULL                -- 个人月救助金额（元）
);
CREATE INDEX jzcy_sfzh ON jzcy (UPPER(sfzh));
CREATE TABLE zxjz (                      -- 专项救助享受情况
    sfzh    TEXT NOT NULL,
    xmdm    TEXT NOT NULL,               -- 项目代码：11 医疗 12 教育 13 住房 14 就业 15 临时 21 残疾人两项补贴
    ksrq    TEXT NOT NULL                -- 开始享受日期 YYYYMMDD
);
CREATE INDEX zxjz_sfzh ON zxjz (sfzh);
"""),
    "scjg": ("scjg.sqlite", """
CREATE TABLE sczt (                      -- 市场主体
    pripid  TEXT PRIMARY KEY,            -- 主体身份代码
    uniscid TEXT NOT NULL,               -- 统一社会信用代码
    entname TEXT NOT NULL,               -- 名称
    enttype TEXT NOT NULL,               -- 类型：1130 有限责任公司 9600 个体工商户
    regcap  TEXT NOT NULL,               -- 注册资本（万元，六位小数）
    estdate TEXT NOT NULL,               -- 成立日期
    regstate TEXT NOT NULL,              -- 登记状态：1 存续 2 吊销 3 注销
    lerep   TEXT NOT NULL,               -- 法定代表人（经营者）姓名
    lerep_cerno TEXT NOT NULL,           -- 法定代表人证件号码，空表示不在本辖区登记人员中
    gxsj    TEXT NOT NULL
);
CREATE TABLE tzr (                       -- 投资人（股东、出资人）
    pripid  TEXT NOT NULL REFERENCES sczt (pripid),
    inv     TEXT NOT NULL,               -- 投资人名称
    cerno   TEXT NOT NULL,               -- 证件号码
    subconam TEXT NOT NULL,              -- 认缴出资额（万元，六位小数）
    conprop TEXT                         -- 出资比例（百分比）
);
CREATE INDEX tzr_cerno ON tzr (UPPER(cerno));
"""),
    "wj": ("wj.sqlite", """
CREATE TABLE jbzd (                      -- 大病、慢病诊断登记
    id      INTEGER PRIMARY KEY,
    sfzh    TEXT NOT NULL,
    xm      TEXT NOT NULL,
    jblx    TEXT NOT NULL,               -- 疾病类型：1 大病 2 慢病
    jbbm    TEXT NOT NULL,               -- ICD-10 编码
    jbmc    TEXT NOT NULL,               -- 疾病名称
    zdrq    TEXT NOT NULL,               -- 诊断日期 YYYY/MM/DD
    zdjgmc  TEXT NOT NULL,               -- 诊断机构
    zt      TEXT NOT NULL,               -- 状态：1 有效 0 撤销
    gxsj    TEXT NOT NULL
);
CREATE INDEX jbzd_sfzh ON jbzd (UPPER(sfzh));
"""),
}

# CSV exports: (system, table) -> (file name, encoding, header). "utf-8-sig"
# writes the byte order mark that exports made on Windows carry.
EXPORTS: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {
    ("cl", "cjrz"): ("cl_cjrz.csv", "gb18030", (
        "残疾人证号", "姓名", "性别", "公民身份号码", "残疾类别", "残疾等级", "发证日期", "有效期至", "持证状态",
        "导出时间")),
    ("jr", "ck"): ("jr_ck.csv", "gb18030", (
        "证件号码", "户名", "开户机构", "账户类型", "账户余额（元）", "余额日期", "反馈时间")),
    ("jr", "zq"): ("jr_zq.csv", "gb18030", (
        "证件号码", "客户姓名", "证券公司", "持仓市值（元）", "市值日期", "反馈时间")),
    ("jr", "bx"): ("jr_bx.csv", "gb18030", (
        "证件号码", "投保人姓名", "保险公司", "险种名称", "现金价值（元）", "年缴保费（元）", "反馈时间")),
    ("xczx", "jcdx"): ("xczx_jcdx.csv", "utf-8-sig", (
        "户编号", "证件号码", "姓名", "与户主关系", "监测对象类别", "风险类型", "识别监测时间", "风险是否消除",
        "导出时间")),
}

# Department files of the stand-in systems, in examples/departments of the source tree.
DEPARTMENT_CONFIG_FILES = ("rs.toml", "ga.toml", "bdc.toml", "mz_hybz.toml", "mz_db.toml", "yb.toml", "gjj.toml",
                    "sw.toml", "scjg.toml", "cl.toml", "wj.toml", "jr.toml", "xczx.toml")


def write_department_systems(dataset: Dataset, folder: pathlib.Path) -> None:
    """Write every SQLite database and CSV export of the dataset into ``folder``, replacing files there."""
    folder.mkdir(parents=True, exist_ok=True)
    write_bdc_database(dataset, folder / BDC_DATABASE)
    for system, (file_name, schema) in DATABASES.items():
        _write_database(folder / file_name, schema, dataset.tables[system])
    for (system, table), (file_name, encoding, header) in EXPORTS.items():
        _write_export(folder / file_name, encoding, header, dataset.rows(system, table))


def examples_folder() -> pathlib.Path | None:
    """Return the folder holding the department files, or None when they are missing.

    A source checkout or an editable install reads examples/departments; an
    installed copy reads the same files shipped as the package data of
    hedui.adapters.standin.departments.
    """
    candidates = [pathlib.Path(__file__).resolve().parents[2] / "examples" / "departments"]
    try:
        # The folder has no __init__.py, so this may be a namespace package
        # whose files() is not a Path; a file inside it always is one.
        shipped = importlib.resources.files("hedui.adapters.standin.departments") / DEPARTMENT_CONFIG_FILES[0]
        candidates.append(pathlib.Path(str(shipped)).parent)
    except ModuleNotFoundError:
        pass
    for folder in candidates:
        if all((folder / name).is_file() for name in DEPARTMENT_CONFIG_FILES):
            return folder
    return None


def copy_department_files(folder: pathlib.Path) -> bool:
    """Copy the stand-in systems' department files into ``folder``; return False if they are not available."""
    source = examples_folder()
    if source is None:
        logger.warning("department files not found next to the source; only built-in adapters can be used")
        return False
    for name in DEPARTMENT_CONFIG_FILES:
        shutil.copyfile(source / name, folder / name)
    return True


def _write_database(path: pathlib.Path, schema: str, tables: dict[str, list[dict[str, object]]]) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(schema)
        for table, rows in tables.items():
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            # Table and column names come from the schemas above, never from data.
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            connection.executemany(statement, ([row[column] for column in columns] for row in rows))
        connection.commit()
    finally:
        connection.close()


def _write_export(path: pathlib.Path, encoding: str, header: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)

"""A hand-made dataset whose every department value the adapter tests know exactly."""

from __future__ import annotations

import datetime as dt

from hedui.adapters.standin.people import Dataset, Household, Person, make_id_number

RETIREE = make_id_number("140105", dt.date(1958, 3, 2), 39)  # ends in X
WORKER = make_id_number("140105", dt.date(1962, 7, 19), 22)
JOBLESS = make_id_number("140202", dt.date(1990, 1, 31), 33)
NOBODY = make_id_number("140109", dt.date(2001, 12, 5), 44)  # no rows in any department
UPDATED = "2025-06-29 02:00:00"


def known_dataset() -> Dataset:
    """Build a small dataset whose every department value the tests know exactly."""
    people = (
        Person(RETIREE, "王建国", "男", "1958-03-02", "02"),
        Person(WORKER, "李秀英", "女", "1962-07-19", "10"),
        Person(JOBLESS, "王磊", "男", "1990-01-31", "20"),
        Person(NOBODY, "王静", "女", "2001-12-05", "30"),
    )
    household = Household("140105001", "140105", "山西省太原市小店区长风街8号1栋2单元301室", people)
    rs = {
        "cbxx": [
            {"sfzhm": WORKER, "xm": "李秀英", "xzlx": "110", "cbdwmc": "太原重型机械有限公司", "cbzt": "1",
             "jfjs": "4567.89", "zhjfny": "202505", "gxsj": UPDATED},
            {"sfzhm": WORKER, "xm": "李秀英", "xzlx": "210", "cbdwmc": "太原重型机械有限公司", "cbzt": "2",
             "jfjs": 4000, "zhjfny": "2024-12", "gxsj": UPDATED},
        ],
        "ylj": [
            {"sfzhm": RETIREE, "xm": "王建国", "xzlx": "110", "yljje": "3250.50", "kslqrq": "20180401",
             "ffzt": "1", "gxsj": UPDATED},
        ],
        "sy": [
            {"sfzhm": JOBLESS, "xm": "王磊", "sydjbz": "1", "sydjrq": "20250115", "syjje": "1710.00",
             "lqjzrq": "2026-01-14", "gxsj": "2025-06-29T02:00:00+08:00"},
        ],
    }
    ga = {
        "hjxx": [
            {"gmsfhm": person.id_number, "xm": person.name, "hh": "140105001", "hjdxzqh": "140105",
             "hjdz": household.address, "yhzgx": person.relation_code, "hjzt": "0", "gxsj": UPDATED}
            for person in people[:3]
        ],
        "jdc": [
            {"syrzjhm": RETIREE, "hphm": "晋A3K8M2", "cllx": "K33", "clppxh": "大众朗逸",
             "ccdjrq": "2019/07/12", "gmjg": "125800.00", "zt": "A", "gxsj": UPDATED},
        ],
    }
    bdc = {
        "fdcq": [
            {"ywh": "201800000001", "bdcdyh": "140105003012GB00123F00010023",
             "bdcqzh": "晋(2018)太原市不动产权第0012345号", "qxdm": "140105", "zl": household.address,
             "ghyt": "住宅", "jzmj": "89.56", "djsj": "2018-05-20 10:30:00", "dyzt": "1", "cfzt": "0",
             "qszt": "1", "gxsj": UPDATED},
            {"ywh": "200900000007", "bdcdyh": "140105003012GB00123F00010001",
             "bdcqzh": "晋(2009)太原市不动产权第0000777号", "qxdm": "140105", "zl": "山西省太原市小店区旧房1号",
             "ghyt": "住宅", "jzmj": "60.00", "djsj": "2009-01-01 09:00:00", "dyzt": "0", "cfzt": "0",
             "qszt": "2", "gxsj": UPDATED},
        ],
        "qlr": [
            {"ywh": "201800000001", "qlrmc": "王建国", "zjzl": "1", "zjh": RETIREE.lower(), "gyfs": "2",
             "qlbl": "50"},
            {"ywh": "201800000001", "qlrmc": "李秀英", "zjzl": "1", "zjh": WORKER, "gyfs": "2", "qlbl": "50"},
            {"ywh": "200900000007", "qlrmc": "王建国", "zjzl": "1", "zjh": RETIREE, "gyfs": "0", "qlbl": None},
        ],
    }
    return Dataset(seed=0, reference_date="2025-06-30", households=[household],
                   tables={"rs": rs, "ga": ga, "bdc": bdc})

"""The stand-in real estate registry database (SQLite), in the registry's own table and column names."""

from __future__ import annotations

import pathlib
import sqlite3

from hedui.adapters.standin.people import Dataset

# Areas and shares are TEXT because SQLite has no exact decimal type and a
# REAL column would turn 89.56 into a float.
SCHEMA = """
CREATE TABLE fdcq (                      -- 房地产权
    ywh     TEXT PRIMARY KEY,            -- 业务号
    bdcdyh  TEXT NOT NULL,               -- 不动产单元号
    bdcqzh  TEXT NOT NULL,               -- 不动产权证号
    qxdm    TEXT NOT NULL,               -- 区县代码
    zl      TEXT NOT NULL,               -- 坐落
    ghyt    TEXT NOT NULL,               -- 规划用途
    jzmj    TEXT NOT NULL,               -- 建筑面积（平方米）
    djsj    TEXT NOT NULL,               -- 登记时间
    dyzt    TEXT NOT NULL DEFAULT '0',   -- 抵押状态：1 已抵押
    cfzt    TEXT NOT NULL DEFAULT '0',   -- 查封状态：1 已查封
    qszt    TEXT NOT NULL DEFAULT '1',   -- 权属状态：1 现势，2 历史
    gxsj    TEXT NOT NULL                -- 更新时间
);
CREATE TABLE qlr (                       -- 权利人
    id      INTEGER PRIMARY KEY,
    ywh     TEXT NOT NULL REFERENCES fdcq (ywh),
    qlrmc   TEXT NOT NULL,               -- 权利人名称
    zjzl    TEXT NOT NULL,               -- 证件种类：1 居民身份证
    zjh     TEXT NOT NULL,               -- 证件号
    gyfs    TEXT NOT NULL,               -- 共有方式：0 单独所有，1 共同共有，2 按份共有
    qlbl    TEXT                         -- 权利比例（百分比）
);
CREATE INDEX qlr_zjh ON qlr (UPPER(zjh));
"""

FDCQ_COLUMNS = ("ywh", "bdcdyh", "bdcqzh", "qxdm", "zl", "ghyt", "jzmj", "djsj", "dyzt", "cfzt", "qszt", "gxsj")
QLR_COLUMNS = ("ywh", "qlrmc", "zjzl", "zjh", "gyfs", "qlbl")


def write_bdc_database(dataset: Dataset, path: pathlib.Path) -> None:
    """Create the registry database at ``path`` from the dataset's real estate rows, replacing any file there."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        _insert(connection, "fdcq", FDCQ_COLUMNS, dataset.rows("bdc", "fdcq"))
        _insert(connection, "qlr", QLR_COLUMNS, dataset.rows("bdc", "qlr"))
        connection.commit()
    finally:
        connection.close()


def _insert(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    # Table and column names come from the constants above, never from data.
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.executemany(statement, ([row[column] for column in columns] for row in rows))

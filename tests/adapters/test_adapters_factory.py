"""Building adapters from a node's [adapter] table."""

from __future__ import annotations

import pathlib

import pytest

from hedui.adapters.base import AdapterConfigError
from hedui.adapters.factory import build_adapter
from hedui.adapters.http_json import HttpJsonAdapter
from hedui.adapters.sql import SqliteAdapter
from hedui.v1 import common_pb2 as common

BASE_URL = "http://127.0.0.1:8901"


async def test_builds_each_kind(tmp_path: pathlib.Path) -> None:
    (tmp_path / "bdc.sqlite").touch()
    rs = build_adapter({"kind": "rs_http", "base_url": BASE_URL, "timeout_seconds": 2, "retries": 2}, tmp_path)
    ga = build_adapter({"kind": "ga_http", "base_url": BASE_URL}, tmp_path)
    bdc = build_adapter({"kind": "bdc_sql", "database": "bdc.sqlite"}, tmp_path)
    assert isinstance(rs, HttpJsonAdapter)
    assert rs.categories == {
        common.DATA_CATEGORY_SOCIAL_INSURANCE,
        common.DATA_CATEGORY_PENSION,
        common.DATA_CATEGORY_UNEMPLOYMENT,
    }
    assert ga.categories == {common.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, common.DATA_CATEGORY_VEHICLE}
    assert isinstance(bdc, SqliteAdapter)
    assert bdc.categories == {common.DATA_CATEGORY_REAL_ESTATE}
    for adapter in (rs, ga, bdc):
        await adapter.close()


def test_relative_database_resolves_against_base_dir(tmp_path: pathlib.Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bdc.sqlite").touch()
    adapter = build_adapter({"kind": "bdc_sql", "database": "data/bdc.sqlite"}, tmp_path)
    assert isinstance(adapter, SqliteAdapter)
    assert adapter.database == tmp_path / "data" / "bdc.sqlite"
    elsewhere = tmp_path / "elsewhere.sqlite"
    elsewhere.touch()
    absolute = build_adapter({"kind": "bdc_sql", "database": str(elsewhere)}, tmp_path)
    assert isinstance(absolute, SqliteAdapter)
    assert absolute.database == elsewhere


@pytest.mark.parametrize(
    ("config", "named_key"),
    [
        ({}, "kind"),
        ({"kind": "tax_http"}, "kind"),
        ({"kind": "rs_http"}, "base_url"),
        ({"kind": "bdc_sql"}, "database"),
        ({"kind": "rs_http", "base_url": "127.0.0.1:8901"}, "base_url"),
        ({"kind": "rs_http", "base_url": BASE_URL, "timeout_seconds": 0}, "timeout_seconds"),
        ({"kind": "rs_http", "base_url": BASE_URL, "timeout_seconds": "2"}, "timeout_seconds"),
        ({"kind": "rs_http", "base_url": BASE_URL, "timeout_seconds": float("nan")}, "timeout_seconds"),
        ({"kind": "rs_http", "base_url": BASE_URL, "retries": -1}, "retries"),
        ({"kind": "rs_http", "base_url": BASE_URL, "retries": 2.5}, "retries"),
        ({"kind": "rs_http", "base_url": BASE_URL, "retries": True}, "retries"),
        ({"kind": "rs_http", "base_url": BASE_URL, "breaker_failures": 0}, "breaker_failures"),
        ({"kind": "rs_http", "base_url": BASE_URL, "retry": 3}, "retry"),
        ({"kind": "bdc_sql", "database": "bdc.sqlite", "base_url": BASE_URL}, "base_url"),
    ],
)
def test_bad_config_names_key(tmp_path: pathlib.Path, config: dict[str, object], named_key: str) -> None:
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter(config, tmp_path)
    assert named_key in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_missing_database_rejected_at_build(tmp_path: pathlib.Path) -> None:
    with pytest.raises(AdapterConfigError) as caught:
        build_adapter({"kind": "bdc_sql", "database": "absent.sqlite"}, tmp_path)
    assert "absent.sqlite" in str(caught.value)

"""Conversion of department values: yuan to fen, areas, shares, dates and masking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hedui.adapters.base import AdapterDataError, mask_id_number
from hedui.adapters.convert import (
    iso_date,
    percent_to_basis_points,
    square_metres_to_cm2,
    timestamp,
    wan_yuan_to_fen,
    year_month,
    yuan_to_fen,
)


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        ("3250.50", 325050),
        ("3250.5", 325050),
        ("3250", 325000),
        ("0", 0),
        ("0.01", 1),
        ("0.10", 10),
        (" 1710.00 ", 171000),
        ("3250.500", 325050),  # trailing zeros lose nothing
        ("007.20", 720),
        (3250, 325000),
        (0, 0),
        (Decimal("1999.99"), 199999),
        (Decimal("0.1"), 10),
        ("92233720368547758.07", 2**63 - 1),
    ],
)
def test_yuan_to_fen_exact(value: object, fen: int) -> None:
    assert yuan_to_fen(value, "yljje") == fen


@pytest.mark.parametrize(
    "value",
    [
        "3250.505",  # half a fen
        "0.001",
        Decimal("12.345"),
        "abc",
        "",
        " ",
        "-1.00",
        "+1.00",
        "1e3",
        "1,000.00",
        "３２５０",  # full-width digits
        ".5",
        "5.",
        "NaN",
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-0.01"),
        -1,
        1.5,  # a float may already be inexact
        True,
        None,
        ["1"],
        "92233720368547758.08",  # one fen past int64
    ],
)
def test_yuan_to_fen_rejects(value: object) -> None:
    with pytest.raises(AdapterDataError) as caught:
        yuan_to_fen(value, "yljje")
    assert caught.value.field == "yljje"
    assert "yljje" in str(caught.value)


def test_data_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        yuan_to_fen("3250.505", "yljje")


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        ("50.000000", 50_000_000),
        ("50", 50_000_000),
        ("0.000001", 1),
        ("12.345678", 12_345_678),
        ("3.5", 3_500_000),
        ("0", 0),
        (" 7.250000 ", 7_250_000),
        ("1.0000010", 1_000_001),  # a zero past the sixth decimal loses nothing
        (8, 8_000_000),
        (Decimal("0.01"), 10_000),
        ("9223372036854.775807", 2**63 - 1),
    ],
)
def test_wan_yuan_to_fen_exact(value: object, fen: int) -> None:
    assert wan_yuan_to_fen(value, "regcap") == fen


@pytest.mark.parametrize(
    "value",
    ["0.0000001", "12.3456785", "1e2", "-1", "", 50.5, None, "9223372036854.775808"],
)
def test_wan_yuan_to_fen_rejects(value: object) -> None:
    with pytest.raises(AdapterDataError) as caught:
        wan_yuan_to_fen(value, "regcap")
    assert caught.value.field == "regcap"
    assert "regcap" in str(caught.value)


def test_area_to_square_centimetres() -> None:
    assert square_metres_to_cm2("89.56", "jzmj") == 895600
    assert square_metres_to_cm2("100", "jzmj") == 1_000_000
    assert square_metres_to_cm2("0.0001", "jzmj") == 1
    with pytest.raises(AdapterDataError):
        square_metres_to_cm2("0.00001", "jzmj")


def test_share_to_basis_points() -> None:
    assert percent_to_basis_points("100", "qlbl") == 10000
    assert percent_to_basis_points("50", "qlbl") == 5000
    assert percent_to_basis_points("33.33", "qlbl") == 3333
    with pytest.raises(AdapterDataError):
        percent_to_basis_points("100.01", "qlbl")
    with pytest.raises(AdapterDataError):
        percent_to_basis_points("33.333", "qlbl")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-04-01", "2018-04-01"),
        ("20180401", "2018-04-01"),
        ("2018/04/01", "2018-04-01"),
        ("2018-05-20 10:30:00", "2018-05-20"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_iso_date_normalises(value: str, expected: str) -> None:
    assert iso_date(value, "kslqrq") == expected


@pytest.mark.parametrize("value", ["2023-02-29", "20181301", "2018-04", "yesterday", 20180401])
def test_iso_date_rejects(value: object) -> None:
    with pytest.raises(AdapterDataError, match="kslqrq"):
        iso_date(value, "kslqrq")


def test_year_month() -> None:
    assert year_month("202505", "zhjfny") == "2025-05"
    assert year_month("2025-05", "zhjfny") == "2025-05"
    with pytest.raises(AdapterDataError, match="zhjfny"):
        year_month("202513", "zhjfny")


def test_timestamp_without_zone_is_beijing_time() -> None:
    parsed = timestamp("2025-06-29 02:00:00", "gxsj")
    assert parsed == dt.datetime(2025, 6, 28, 18, 0, tzinfo=dt.timezone.utc)
    assert timestamp("2025-06-29T02:00:00+08:00", "gxsj") == parsed
    assert timestamp("2025-06-28T18:00:00Z", "gxsj") == parsed
    with pytest.raises(AdapterDataError, match="gxsj"):
        timestamp("29/06/2025", "gxsj")


def test_mask_id_number() -> None:
    assert mask_id_number("14010519580302081X") == "1401**********081X"
    assert mask_id_number("1234") == "****"

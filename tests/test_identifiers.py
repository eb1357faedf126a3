"""Resident ID numbers (GB 11643), division codes (GB/T 2260) and node ids."""

from __future__ import annotations

import pytest

from exchange_helpers import CJK, HEAD, NUMBER_WITH_X, id_number
from hedui.gateway.errors import HeduiError
from hedui.gateway.identifiers import check_division_code, check_node_id, mask_id_number, normalize_id_number

VALID_ID_NUMBERS = [
    # (raw input, canonical form)
    (HEAD, HEAD),
    (NUMBER_WITH_X, NUMBER_WITH_X),
    (NUMBER_WITH_X.lower(), NUMBER_WITH_X),
    (f" {HEAD}\t", HEAD),  # surrounding whitespace, as pasted from a form
    ("140105800101001", HEAD),  # legacy 15 digits: 1980 loses its "19" and there is no check character
    (id_number("14010520000229002"), id_number("14010520000229002")),  # a leap day
    # Codes no longer in the division table: 140111 (古交 before it became 140181) and 142301 (离石 in the former 吕梁地区).
    (id_number("14011119700101001"), id_number("14011119700101001")),
    (id_number("14230119650315002"), id_number("14230119650315002")),
    # Residence permits for Hong Kong, Macau and Taiwan residents.
    (id_number("81000019900101001"), id_number("81000019900101001")),
    (id_number("82000019850612002"), id_number("82000019850612002")),
    (id_number("83000019770203003"), id_number("83000019770203003")),
    # A foreign permanent residence ID of the 2023 format starts with 9 and keeps the birth date in positions 7-14.
    (id_number("91184019900101001"), id_number("91184019900101001")),
]

INVALID_ID_NUMBERS = [
    HEAD[:17] + ("1" if HEAD[17] != "1" else "2"),  # wrong check character
    id_number("14010519900230001"),  # 30 February
    id_number("14010519000229001"),  # 1900 was not a leap year
    id_number("14010519901301001"),  # month 13
    HEAD[:17],  # 17 characters
    HEAD + "1",  # 19 characters
    "1401058001010",  # 13 characters
    "14010A198001010011",  # a letter among the first 17
    "14010580010100X",  # 15 characters ending in X
    "140105800230001",  # legacy number with 30 February
    "",
]


@pytest.mark.parametrize(("raw", "canonical"), VALID_ID_NUMBERS)
def test_id_number_valid(raw, canonical):
    assert normalize_id_number(raw) == canonical


@pytest.mark.parametrize("raw", INVALID_ID_NUMBERS)
def test_id_number_invalid(raw):
    with pytest.raises(HeduiError) as caught:
        normalize_id_number(raw)
    assert caught.value.reason == "INVALID_ID_NUMBER"
    assert CJK.search(caught.value.message("zh"))
    assert caught.value.message("en").isascii()


@pytest.mark.parametrize("raw", INVALID_ID_NUMBERS[:4])
def test_id_number_error_masked(raw):
    with pytest.raises(HeduiError) as caught:
        normalize_id_number(raw)
    assert raw not in caught.value.message("zh")
    assert raw[6:14] not in caught.value.message("en")


def test_mask_id_number():
    assert mask_id_number(HEAD) == HEAD[:4] + "*" * 10 + HEAD[-4:]


@pytest.mark.parametrize("code", ["140000", "140100", "140105", "110000", "820000", "000000"])
def test_division_code_valid(code):
    assert check_division_code(code) == code


@pytest.mark.parametrize("code", ["991234", "100000", "900000", "000100", "14010", "1401000",
                                  "14010A", "", " 140000", "１４００００"])
def test_division_code_invalid(code):
    with pytest.raises(HeduiError) as caught:
        check_division_code(code)
    assert caught.value.reason == "INVALID_DIVISION_CODE"
    assert CJK.search(caught.value.message("zh"))


@pytest.mark.parametrize("node_id", ["140100/MZ", "140100/MZ/HDXT", "000000/MZ", "140000/SCJG"])
def test_node_id_valid(node_id):
    assert check_node_id(node_id) == node_id


@pytest.mark.parametrize("node_id", ["140100/mz", "140100", "140100/MZ/", "140100/MZ/HDXT/X", "1401/MZ", "140100/M"])
def test_node_id_invalid(node_id):
    with pytest.raises(HeduiError) as caught:
        check_node_id(node_id)
    assert caught.value.reason == "INVALID_NODE_ID"


def test_node_id_division_invalid():
    with pytest.raises(HeduiError) as caught:
        check_node_id("991234/MZ")
    assert caught.value.reason == "INVALID_DIVISION_CODE"

"""Resident ID numbers (GB 11643), division codes (GB/T 2260) and node ids."""

from __future__ import annotations

import datetime
import re

from stdnum.cn import ric

from hedui.gateway.errors import HeduiError, Reason

NODE_ID_PATTERN = re.compile(r"^[0-9]{6}/[A-Z]{2,8}(/[A-Z0-9]{1,16})?$")
_DIVISION = re.compile(r"^[0-9]{6}$")
_CANONICAL_ID = re.compile(r"^[0-9]{17}[0-9X]$")


def mask_id_number(number: str) -> str:
    """Return a display form that hides the birth date and serial: 1401**********123X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def normalize_id_number(raw: str) -> str:
    """Return the canonical 18-character form of a resident ID number, or raise INVALID_ID_NUMBER.

    Lower-case x becomes X and a legacy 15-digit number is upgraded to 18.
    The division part is not looked up: a number stays valid for life even
    where its county code was later withdrawn, so only the length, digits,
    birth date and ISO 7064 MOD 11-2 check character are checked. Residence
    permits and foreign permanent residence IDs share that check character
    and pass too.
    """
    if isinstance(raw, str) and _CANONICAL_ID.match(raw):
        # Fast path for numbers already in canonical form, the usual case on the wire.
        number = raw
    else:
        number = ric.compact(raw).upper() if isinstance(raw, str) else ""
    shown = mask_id_number(number)

    if len(number) == 15:
        if not number.isdigit():
            raise HeduiError(Reason.INVALID_ID_NUMBER, shown, ("15 位旧号码须全为数字", "a 15-digit legacy number must be all digits"), "id_number")
        # stdnum's calc_check_digit ignores the last character, so pass a placeholder.
        body = number[:6] + "19" + number[6:]
        number = body + ric.calc_check_digit(body + "0")
    if len(number) != 18:
        raise HeduiError(Reason.INVALID_ID_NUMBER, shown, (f"长度为 {len(number)} 位，应为 18 位", f"{len(number)} characters instead of 18"), "id_number")
    if not number[:17].isdigit():
        raise HeduiError(Reason.INVALID_ID_NUMBER, shown, ("前 17 位须为数字", "the first 17 characters must be digits"), "id_number")

    _check_birth_date(number, shown)
    if number[17] != ric.calc_check_digit(number):
        raise HeduiError(Reason.INVALID_ID_NUMBER, shown, ("末位校验码不符", "the check character does not match"), "id_number")
    return number


def _check_birth_date(number: str, shown: str) -> None:
    """Raise INVALID_ID_NUMBER unless positions 7-14 hold a real calendar date."""
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise HeduiError(Reason.INVALID_ID_NUMBER, shown, ("出生日期无效", "the birth date is not a real date"), "id_number") from None


def check_division_code(code: str) -> str:
    """Return a six-digit GB/T 2260 code or raise INVALID_DIVISION_CODE.

    Only the form is checked: the province part must be a GB/T 2260
    province-level prefix (11-82) or 00 for the ministry.
    """
    if not isinstance(code, str) or not _DIVISION.match(code):
        raise HeduiError(Reason.INVALID_DIVISION_CODE, str(code), ("须为六位数字", "must be six digits"), "division")
    province = int(code[:2])
    if province != 0 and not 11 <= province <= 82:
        raise HeduiError(Reason.INVALID_DIVISION_CODE, code, ("前两位不是省级代码", "the first two digits are not a province code"), "division")
    if province == 0 and code != "000000":
        raise HeduiError(Reason.INVALID_DIVISION_CODE, code, ("部级节点代码应为 000000", "the ministry code is 000000"), "division")
    return code


def check_node_id(node_id: str) -> str:
    """Return the node id if it is DIVISION/ORG[/SUBSYSTEM] with a valid division, else raise."""
    if not isinstance(node_id, str) or not NODE_ID_PATTERN.match(node_id):
        raise HeduiError(Reason.INVALID_NODE_ID, str(node_id)[:80], "", "node_id")
    check_division_code(node_id[:6])
    return node_id


def division_of(node_id: str) -> str:
    """Return the six-digit division part of a node id."""
    return node_id[:6]


def base_node(node_id: str) -> str:
    """Return DIVISION/ORG without a subsystem part."""
    return "/".join(node_id.split("/")[:2])


def division_contains(outer: str, inner: str) -> bool:
    """Return True if division ``inner`` lies inside ``outer`` (or is the same).

    A province code ends in 0000 and a city code in 00; the ministry
    (000000) contains every division.
    """
    if outer == "000000" or outer == inner:
        return True
    if outer.endswith("0000"):
        return inner[:2] == outer[:2]
    if outer.endswith("00"):
        return inner[:4] == outer[:4]
    return False

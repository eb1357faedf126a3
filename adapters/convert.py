"""Converters from department field values to the units of the standard records.

Every converter takes the raw value and the department's field name, and
raises ``AdapterDataError`` naming that field when the value does not convert
exactly. Money is converted with ``decimal.Decimal`` and never passes through
a float.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from hedui.adapters.base import AdapterDataError

INT64_MAX = 2**63 - 1

# China has used one UTC offset with no daylight saving time since 1991, so a
# fixed offset is exact for department timestamps that carry no zone.
BEIJING_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

_DECIMAL_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%S")
_YEAR_MONTH = re.compile(r"([0-9]{4})-?(0[1-9]|1[0-2])")
_MAX_SHOWN = 40


def shown(value: object) -> str:
    """Return a short printable form of a value for an error message."""
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        return text[: _MAX_SHOWN - 3] + "..."
    return text


def to_decimal(value: object, field: str) -> Decimal:
    """Parse a non-negative decimal number given as text, an integer or a Decimal."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        # A float may already have lost the exact amount, so it is refused too.
        raise AdapterDataError(
            f"字段 {field} 应为数字或数字字符串，实际为 {type(value).__name__} 类型的值 {shown(value)}；"
            "请核对部门接口文档与字段映射。",
            field=field,
        )
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_TEXT.fullmatch(text):
            raise AdapterDataError(
                f"字段 {field} 的值 {shown(value)} 不是有效的非负十进制数（如 3250.50）；"
                "请联系数据提供部门更正。",
                field=field,
            )
        return Decimal(text)
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise AdapterDataError(
            f"字段 {field} 的值 {shown(value)} 不是有效的非负十进制数；请联系数据提供部门更正。",
            field=field,
        )
    return number


def _scale_exact(value: object, field: str, scale: int, unit: str) -> int:
    """Multiply a decimal by ``scale`` and return it as an int64, refusing any rounding."""
    scaled = to_decimal(value, field) * scale
    if scaled != scaled.to_integral_value():
        raise AdapterDataError(
            f"字段 {field} 的值 {shown(value)} 不能精确换算为整数{unit}（小数位过多）；"
            "请联系数据提供部门更正。",
            field=field,
        )
    result = int(scaled)
    if result > INT64_MAX:
        raise AdapterDataError(
            f"字段 {field} 的值 {shown(value)} 超出可表示的范围；请联系数据提供部门核实。",
            field=field,
        )
    return result


def yuan_to_fen(value: object, field: str) -> int:
    """Convert an amount in yuan to integer fen, exactly.

    Accepts "3250.50", "3250.5", "3250", 3250 or a Decimal. Trailing zeros past
    the second decimal place are harmless ("3250.500"), but a value that is
    not a whole number of fen ("3250.505") raises ``AdapterDataError``.
    """
    return _scale_exact(value, field, 100, "分")


def wan_yuan_to_fen(value: object, field: str) -> int:
    """Convert an amount in 万元 (10,000 yuan) to integer fen, exactly.

    One millionth of 万元 is one fen, so up to six decimals convert
    ("50.123456" gives 50123456). A value with a nonzero seventh decimal
    raises ``AdapterDataError``. Registers of companies keep capital in 万元.
    """
    return _scale_exact(value, field, 1_000_000, "分")


def square_metres_to_cm2(value: object, field: str) -> int:
    """Convert a floor area in square metres to integer square centimetres, exactly."""
    return _scale_exact(value, field, 10_000, "平方厘米")


def percent_to_basis_points(value: object, field: str) -> int:
    """Convert an ownership share in percent ("50", "33.33") to basis points (0..10000)."""
    points = _scale_exact(value, field, 100, "万分比")
    if points > 10_000:
        raise AdapterDataError(
            f"字段 {field} 的权利比例 {shown(value)} 超过 100%；请联系数据提供部门更正。",
            field=field,
        )
    return points


def require_text(value: object, field: str) -> str:
    """Return the value as stripped text, refusing anything that is not a string."""
    if not isinstance(value, str):
        raise AdapterDataError(
            f"字段 {field} 应为字符串，实际为 {type(value).__name__} 类型的值 {shown(value)}；"
            "请核对部门接口文档与字段映射。",
            field=field,
        )
    return value.strip()


def iso_date(value: object, field: str) -> str:
    """Normalise a date (YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, or a timestamp) to YYYY-MM-DD."""
    text = require_text(value, field)
    for date_format in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            continue
    try:
        return _parse_datetime(text).date().isoformat()
    except ValueError:
        pass
    raise AdapterDataError(
        f"字段 {field} 的日期 {shown(value)} 无效：应为 YYYY-MM-DD 或 YYYYMMDD 格式的真实日期；"
        "请联系数据提供部门更正。",
        field=field,
    )


def year_month(value: object, field: str) -> str:
    """Normalise a month (YYYYMM or YYYY-MM) to YYYY-MM."""
    text = require_text(value, field)
    match = _YEAR_MONTH.fullmatch(text)
    if match is None:
        raise AdapterDataError(
            f"字段 {field} 的年月 {shown(value)} 无效：应为 YYYYMM 或 YYYY-MM；请联系数据提供部门更正。",
            field=field,
        )
    return f"{match.group(1)}-{match.group(2)}"


def timestamp(value: object, field: str) -> dt.datetime:
    """Parse a department timestamp to an aware datetime; a value with no zone is Beijing time."""
    text = require_text(value, field)
    try:
        return _parse_datetime(text)
    except ValueError:
        raise AdapterDataError(
            f"字段 {field} 的时间 {shown(value)} 无效：应为 YYYY-MM-DD HH:MM:SS 或带时区的 ISO 8601 时间；"
            "请联系数据提供部门更正。",
            field=field,
        ) from None


def _parse_datetime(text: str) -> dt.datetime:
    """Parse the timestamp forms department systems use; raise ValueError otherwise."""
    for datetime_format in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, datetime_format).replace(tzinfo=BEIJING_TIME)
        except ValueError:
            continue
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=BEIJING_TIME)
    return parsed

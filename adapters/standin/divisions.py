"""County-level divisions (GB/T 2260) used for synthetic people: Shanxi, and Zhengzhou in Henan."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    """A county-level division and the details synthetic records need."""

    code: str  # code carried by ID numbers issued there
    name: str
    city: str
    plate_prefix: str  # the province's character plus the city's letter on number plates
    current_code: str  # code used for registrations today; differs once a code is withdrawn
    weight: int  # relative share of synthetic households
    province: str = "山西省"


# Datong's 城区 (140202) was withdrawn in the 2018 district reform and its
# area went to 平城区 (140213). ID numbers issued before then keep 140202 for
# life, while today's household registrations use 140213.
COUNTIES: tuple[County, ...] = (
    County("140105", "小店区", "太原市", "晋A", "140105", 6),
    County("140106", "迎泽区", "太原市", "晋A", "140106", 5),
    County("140107", "杏花岭区", "太原市", "晋A", "140107", 5),
    County("140108", "尖草坪区", "太原市", "晋A", "140108", 4),
    County("140109", "万柏林区", "太原市", "晋A", "140109", 5),
    County("140110", "晋源区", "太原市", "晋A", "140110", 3),
    County("140121", "清徐县", "太原市", "晋A", "140121", 2),
    County("140122", "阳曲县", "太原市", "晋A", "140122", 1),
    County("140181", "古交市", "太原市", "晋A", "140181", 1),
    County("140202", "城区", "大同市", "晋B", "140213", 2),
    County("140213", "平城区", "大同市", "晋B", "140213", 2),
    County("140302", "城区", "阳泉市", "晋C", "140302", 1),
    County("140321", "平定县", "阳泉市", "晋C", "140321", 1),
    County("140702", "榆次区", "晋中市", "晋K", "140702", 2),
    County("140802", "盐湖区", "运城市", "晋M", "140802", 2),
    County("140902", "忻府区", "忻州市", "晋H", "140902", 1),
    County("141002", "尧都区", "临汾市", "晋L", "141002", 2),
    County("141102", "离石区", "吕梁市", "晋J", "141102", 1),
)

# Henan's capital, for a second province in the cross-province demo.
HENAN_COUNTIES: tuple[County, ...] = (
    County("410102", "中原区", "郑州市", "豫A", "410102", 3, "河南省"),
    County("410103", "二七区", "郑州市", "豫A", "410103", 3, "河南省"),
    County("410104", "管城回族区", "郑州市", "豫A", "410104", 2, "河南省"),
    County("410105", "金水区", "郑州市", "豫A", "410105", 4, "河南省"),
)

BY_CODE = {county.code: county for county in COUNTIES + HENAN_COUNTIES}


def current_county(county: County) -> County:
    """Return the county whose code registrations use today."""
    return BY_CODE[county.current_code]

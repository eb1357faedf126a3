"""Verify one household against a federation kept by `hedui demo --keep DIR`.

    hedui demo --keep /tmp/hedui-fed
    /tmp/hedui-fed/start.sh
    python examples/verify_household.py /tmp/hedui-fed
    /tmp/hedui-fed/stop.sh

The script plays the Taiyuan case system: it signs an authorization record
with the city office's key, sends Verify through the city node and prints the
verified report.
"""

from __future__ import annotations

import asyncio
import datetime
import pathlib
import sys

from hedui.adapters.standin import Dataset
from hedui.gateway.timeutil import utcnow
from hedui.sdk import AuthorizationBuilder, Client, load_directory, load_key, load_tls, sign_authorization
from hedui.sdk.render import render_report
from hedui.v1 import common_pb2 as C

CITY = "140100/MZ"
CASE_SYSTEM = "140100/MZ/HDXT"
PROVINCE = "140000/MZ"
CATEGORIES = [C.DATA_CATEGORY_HOUSEHOLD_REGISTRATION, C.DATA_CATEGORY_PENSION, C.DATA_CATEGORY_REAL_ESTATE,
              C.DATA_CATEGORY_VEHICLE]


async def main(root: pathlib.Path) -> None:
    federation = root / "federation"
    directory = load_directory(federation / "directory.json", federation / "keys" / "anchor.pub")
    city_key = load_key(federation / "keys" / "140100_MZ.key", CITY)
    case_system_key = load_key(federation / "keys" / "140100_MZ_HDXT.key", CASE_SYSTEM)
    tls = federation / "tls"
    case_system_tls = load_tls(tls / "ca.crt", tls / "140100_MZ_HDXT.crt", tls / "140100_MZ_HDXT.tls.key")

    # Any Taiyuan household from the stand-in data; the city may issue only for its own division.
    household = next(h for h in Dataset.load(root / "standin").households if h.division_code.startswith("1401"))

    now = utcnow()
    builder = (AuthorizationBuilder()
               .record_id(f"TY-HD-{now:%Y%m%d%H%M%S}").issuer(CITY, household.division_code).grantee(CITY)
               .categories(*CATEGORIES).purpose(C.PURPOSE_PERIODIC_REVIEW)
               .valid(now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30))
               .paper_form(b"scanned authorization letter", "王晓燕"))
    for member in household.members:
        builder = builder.member(member.id_number, member.name, member.relation_code)
    signed = sign_authorization(builder.build(), city_key)

    address = directory.node(CITY).address
    async with Client(address, case_system_key, directory, target=PROVINCE, tls=case_system_tls) as client:
        report = await client.verify(signed, [m.id_number for m in household.members], CATEGORIES,
                                     C.PURPOSE_PERIODIC_REVIEW)
    print(render_report(report, {m.id_number: (m.name, m.relation_code) for m in household.members}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(main(pathlib.Path(sys.argv[1])))

"""不动产 (real estate registry) database: declared query and field mapping.

The registry keeps property rights in table ``fdcq`` (房地产权) and their
holders in table ``qlr`` (权利人), joined on the business number ``ywh``:

==========================  ==========================================
registry column             standard field
==========================  ==========================================
qlr.zjh 证件号              Record.id_number
fdcq.bdcqzh 不动产权证号    RealEstateRecord.certificate_number
fdcq.qxdm 区县代码          .location_division
fdcq.zl 坐落                .address
fdcq.ghyt 规划用途          .use
fdcq.jzmj 建筑面积（m²）    .floor_area_cm2
qlr.gyfs/qlr.qlbl 权利比例  .share_basis_points
fdcq.djsj 登记时间          .registration_date
fdcq.dyzt/fdcq.cfzt         .encumbered (mortgaged or seized)
fdcq.gxsj 更新时间          Record.as_of
==========================  ==========================================

Only current rights (``qszt = '1'``) held under a resident ID card
(``zjzl = '1'``) are returned. ID numbers are compared upper-cased because
older registrations hold a lower-case x check character.
"""

from __future__ import annotations

from hedui.adapters import convert
from hedui.adapters.mapping import FieldMap, RecordMapping, code_table, division_code, flag
from hedui.adapters.sql import ID_LIST_MARKER, SqlQuery
from hedui.v1 import common_pb2, records_pb2

LABEL = "不动产登记系统"

PROPERTY_USES = {
    "住宅": records_pb2.PROPERTY_USE_RESIDENTIAL,
    "成套住宅": records_pb2.PROPERTY_USE_RESIDENTIAL,
    "商业服务": records_pb2.PROPERTY_USE_COMMERCIAL,
    "工业": records_pb2.PROPERTY_USE_INDUSTRIAL,
    "车位": records_pb2.PROPERTY_USE_PARKING,
    "车库": records_pb2.PROPERTY_USE_PARKING,
    "其他": records_pb2.PROPERTY_USE_OTHER,
}

# A sole owner (gyfs '0') owns the whole right even where qlbl is left empty.
# NOTE: joint ownership (gyfs '1', 共同共有) records no share at all, so such
# rows come back with qlbl NULL and raise AdapterDataError; the standard
# record has no way yet to say "joint, share not divided".
REAL_ESTATE_SQL = f"""
SELECT q.zjh,
       f.bdcqzh,
       f.qxdm,
       f.zl,
       f.ghyt,
       f.jzmj,
       COALESCE(q.qlbl, CASE q.gyfs WHEN '0' THEN '100' END) AS qlbl,
       f.djsj,
       CASE WHEN f.dyzt = '1' OR f.cfzt = '1' THEN '1' ELSE '0' END AS sfdycf,
       f.gxsj
  FROM qlr AS q
  JOIN fdcq AS f ON f.ywh = q.ywh
 WHERE f.qszt = '1'
   AND q.zjzl = '1'
   AND UPPER(q.zjh) IN ({ID_LIST_MARKER})
 ORDER BY q.zjh, f.djsj
"""

REAL_ESTATE = RecordMapping(
    category=common_pb2.DATA_CATEGORY_REAL_ESTATE,
    body="real_estate",
    id_field="zjh",
    as_of_field="gxsj",
    source_label=LABEL,
    fields=(
        FieldMap("certificate_number", "bdcqzh", convert.require_text),
        FieldMap("location_division", "qxdm", division_code),
        FieldMap("address", "zl", convert.require_text, required=False, default=""),
        FieldMap("use", "ghyt", code_table(PROPERTY_USES, "规划用途")),
        FieldMap("floor_area_cm2", "jzmj", convert.square_metres_to_cm2),
        FieldMap("share_basis_points", "qlbl", convert.percent_to_basis_points),
        FieldMap("registration_date", "djsj", convert.iso_date, required=False, default=""),
        FieldMap("encumbered", "sfdycf", flag),
    ),
)

QUERIES = (SqlQuery(REAL_ESTATE_SQL, REAL_ESTATE),)

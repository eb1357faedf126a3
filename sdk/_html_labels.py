"""Chinese and English labels for the printable report: record fields, code tables and reason codes.

Each table maps a stable key (a field path such as ``vehicle.value_fen``,
an enum value name, a reason code) to a (Chinese, English) pair. Keys
missing here are shown as they are, so a field added to the schema later
still appears in the report, only without a translated label.
"""

from __future__ import annotations

from hedui.sdk.render import RELATION_NAMES

Pair = tuple[str, str]


def pick(pair: Pair, lang: str) -> str:
    """Return the English or the Chinese half of a label pair."""
    return pair[1] if lang == "en" else pair[0]


# Record body fields, keyed as "body_kind.field" like the withheld_fields of an answer.
FIELD_LABELS: dict[str, Pair] = {
    "social_insurance.scheme": ("险种", "scheme"),
    "social_insurance.employer_name": ("参保单位", "employer"),
    "social_insurance.status": ("参保状态", "status"),
    "social_insurance.monthly_contribution_base_fen": ("月缴费基数", "monthly contribution base"),
    "social_insurance.last_paid_month": ("最近缴费月份", "last month paid"),
    "pension.scheme": ("险种", "scheme"),
    "pension.monthly_amount_fen": ("月养老金", "monthly pension"),
    "pension.start_date": ("开始领取日期", "payments started"),
    "pension.status": ("领取状态", "payment status"),
    "unemployment.registered_unemployed": ("失业登记", "registered unemployed"),
    "unemployment.registration_date": ("失业登记日期", "registration date"),
    "unemployment.monthly_benefit_fen": ("月失业保险金", "monthly unemployment benefit"),
    "unemployment.benefit_end_date": ("领取截止日期", "benefit ends"),
    "real_estate.certificate_number": ("不动产权证书号", "certificate number"),
    "real_estate.location_division": ("坐落行政区划", "division"),
    "real_estate.address": ("坐落", "address"),
    "real_estate.use": ("用途", "use"),
    "real_estate.floor_area_cm2": ("建筑面积", "floor area"),
    "real_estate.share_basis_points": ("权利份额", "ownership share"),
    "real_estate.registration_date": ("登记日期", "registration date"),
    "real_estate.encumbered": ("查封或抵押", "seized or mortgaged"),
    "vehicle.plate_number": ("号牌号码", "number plate"),
    "vehicle.vehicle_type_code": ("车辆类型代码", "vehicle type code"),
    "vehicle.model": ("品牌型号", "make and model"),
    "vehicle.first_registration_date": ("初次登记日期", "first registered"),
    "vehicle.value_fen": ("价值", "value"),
    "vehicle.status": ("机动车状态", "vehicle status"),
    "household_registration.household_number": ("户号", "household number"),
    "household_registration.division": ("户籍所在行政区划", "division"),
    "household_registration.address": ("户籍地址", "registered address"),
    "household_registration.relation_code": ("与户主关系", "relation to the head"),
    "household_registration.status": ("户籍状态", "registration status"),
    "household_registration.name": ("登记姓名", "name on the register"),
    "marriage.marital_status_code": ("婚姻状况", "marital status"),
    "marriage.spouse_id_number": ("配偶公民身份号码", "spouse's ID number"),
    "marriage.spouse_name": ("配偶姓名", "spouse's name"),
    "marriage.registration_date": ("登记日期", "registration date"),
    "marriage.registration_office": ("登记机关", "registering office"),
    "cremation.date_of_death": ("死亡日期", "date of death"),
    "cremation.cremation_date": ("火化日期", "cremation date"),
    "cremation.funeral_home": ("殡仪馆", "funeral home"),
    "medical_insurance.scheme": ("险种", "scheme"),
    "medical_insurance.status": ("参保状态", "status"),
    "medical_insurance.cost_year": ("费用年度", "cost year"),
    "medical_insurance.out_of_pocket_fen": ("个人负担医疗费用", "paid out of pocket"),
    "medical_insurance.total_cost_fen": ("医疗总费用", "total medical costs"),
    "housing_provident_fund.account_status": ("账户状态", "account status"),
    "housing_provident_fund.employer_name": ("缴存单位", "employer"),
    "housing_provident_fund.monthly_deposit_fen": ("月缴存额", "monthly deposit"),
    "housing_provident_fund.balance_fen": ("账户余额", "balance"),
    "housing_provident_fund.last_paid_month": ("最近缴存月份", "last month paid in"),
    "tax.tax_year": ("纳税年度", "tax year"),
    "tax.income_kind": ("所得类型", "kind of income"),
    "tax.income_fen": ("年度所得", "income in the year"),
    "tax.tax_paid_fen": ("已缴税额", "tax paid"),
    "business_registration.credit_code": ("统一社会信用代码", "unified social credit code"),
    "business_registration.business_name": ("市场主体名称", "business name"),
    "business_registration.role": ("本人身份", "role"),
    "business_registration.registered_capital_fen": ("注册资本", "registered capital"),
    "business_registration.subscribed_capital_fen": ("本人认缴出资额", "capital subscribed"),
    "business_registration.share_basis_points": ("持股比例", "shareholding"),
    "business_registration.status": ("登记状态", "registration status"),
    "business_registration.established_date": ("成立日期", "established"),
    "disability.certificate_number": ("残疾人证号", "certificate number"),
    "disability.category": ("残疾类别", "category"),
    "disability.grade": ("残疾等级", "grade"),
    "disability.issue_date": ("发证日期", "issued"),
    "disability.valid_until": ("有效期至", "valid until"),
    "health.kind": ("疾病类型", "kind of condition"),
    "health.condition_name": ("疾病名称", "condition"),
    "health.diagnosis_date": ("确诊日期", "diagnosed"),
    "health.institution": ("诊断机构", "diagnosing institution"),
    "bank_deposit.institution": ("开户机构", "bank"),
    "bank_deposit.account_type": ("账户类型", "account type"),
    "bank_deposit.balance_fen": ("账户余额", "balance"),
    "bank_deposit.balance_date": ("余额日期", "balance date"),
    "securities.institution": ("证券公司或托管机构", "securities firm or custodian"),
    "securities.market_value_fen": ("持仓市值", "market value"),
    "securities.valuation_date": ("市值日期", "valuation date"),
    "commercial_insurance.insurer": ("保险公司", "insurer"),
    "commercial_insurance.product_type": ("险种", "product type"),
    "commercial_insurance.cash_value_fen": ("现金价值", "cash value"),
    "commercial_insurance.annual_premium_fen": ("年缴保费", "annual premium"),
    "low_income_registry.assistance_category": ("救助类别", "assistance category"),
    "low_income_registry.status": ("状态", "status"),
    "low_income_registry.start_date": ("纳入日期", "included since"),
    "low_income_registry.monthly_benefit_fen": ("月救助金额", "monthly assistance"),
    "low_income_registry.deciding_division": ("认定机关所在行政区划", "deciding division"),
    "low_income_registry.programmes": ("已享受的专项救助和补贴", "special assistance received"),
    "rural_monitoring.category": ("监测对象类型", "monitoring category"),
    "rural_monitoring.risk": ("主要风险", "main risk"),
    "rural_monitoring.start_date": ("纳入监测日期", "monitored since"),
    "rural_monitoring.status": ("状态", "status"),
}

# Enum values of the schema, keyed by their full value name (unique within hedui.v1).
ENUM_LABELS: dict[str, Pair] = {
    "INSURANCE_SCHEME_EMPLOYEE_PENSION": ("企业职工基本养老保险", "employee pension insurance"),
    "INSURANCE_SCHEME_RESIDENT_PENSION": ("城乡居民基本养老保险", "resident pension insurance"),
    "INSURANCE_SCHEME_PUBLIC_SECTOR_PENSION": ("机关事业单位养老保险", "public sector pension insurance"),
    "INSURANCE_SCHEME_UNEMPLOYMENT": ("失业保险", "unemployment insurance"),
    "INSURANCE_SCHEME_WORK_INJURY": ("工伤保险", "work injury insurance"),
    "PROPERTY_USE_RESIDENTIAL": ("住宅", "residential"),
    "PROPERTY_USE_COMMERCIAL": ("商业", "commercial"),
    "PROPERTY_USE_INDUSTRIAL": ("工业", "industrial"),
    "PROPERTY_USE_PARKING": ("车位、车库", "parking"),
    "PROPERTY_USE_OTHER": ("其他", "other"),
    "MEDICAL_SCHEME_EMPLOYEE": ("职工基本医疗保险", "employee medical insurance"),
    "MEDICAL_SCHEME_RESIDENT": ("城乡居民基本医疗保险", "resident medical insurance"),
    "INCOME_KIND_WAGES": ("工资薪金", "wages and salaries"),
    "INCOME_KIND_BUSINESS": ("经营所得", "business income"),
    "INCOME_KIND_SERVICES": ("劳务报酬", "remuneration for services"),
    "INCOME_KIND_PROPERTY": ("财产租赁或转让所得", "property rental or transfer"),
    "INCOME_KIND_INTEREST_DIVIDENDS": ("利息、股息、红利所得", "interest and dividends"),
    "INCOME_KIND_OTHER": ("其他所得", "other income"),
    "BUSINESS_ROLE_LEGAL_REPRESENTATIVE": ("法定代表人", "legal representative"),
    "BUSINESS_ROLE_SHAREHOLDER": ("股东或出资人", "shareholder or investor"),
    "BUSINESS_ROLE_INDIVIDUAL_OPERATOR": ("个体工商户经营者", "individual business operator"),
    "DISABILITY_CATEGORY_VISUAL": ("视力残疾", "visual"),
    "DISABILITY_CATEGORY_HEARING": ("听力残疾", "hearing"),
    "DISABILITY_CATEGORY_SPEECH": ("言语残疾", "speech"),
    "DISABILITY_CATEGORY_PHYSICAL": ("肢体残疾", "physical"),
    "DISABILITY_CATEGORY_INTELLECTUAL": ("智力残疾", "intellectual"),
    "DISABILITY_CATEGORY_MENTAL": ("精神残疾", "mental"),
    "DISABILITY_CATEGORY_MULTIPLE": ("多重残疾", "multiple"),
    "CONDITION_KIND_SERIOUS": ("重大疾病", "serious illness"),
    "CONDITION_KIND_CHRONIC": ("慢性病", "chronic illness"),
    "ASSISTANCE_CATEGORY_MINIMUM_LIVING_ALLOWANCE": ("最低生活保障", "minimum living allowance"),
    "ASSISTANCE_CATEGORY_EXTREME_POVERTY": ("特困人员救助供养", "extreme poverty support"),
    "ASSISTANCE_CATEGORY_MARGINAL": ("低保边缘家庭", "marginal household"),
    "ASSISTANCE_CATEGORY_RIGID_EXPENDITURE": ("刚性支出困难家庭", "rigid expenditure hardship"),
    "ASSISTANCE_CATEGORY_TEMPORARY_ASSISTANCE": ("临时救助对象", "temporary assistance"),
    "ASSISTANCE_CATEGORY_OTHER_LOW_INCOME": ("其他低收入人口", "other low-income"),
    "ASSISTANCE_PROGRAMME_MEDICAL": ("医疗救助", "medical assistance"),
    "ASSISTANCE_PROGRAMME_EDUCATION": ("教育救助", "education assistance"),
    "ASSISTANCE_PROGRAMME_HOUSING": ("住房救助", "housing assistance"),
    "ASSISTANCE_PROGRAMME_EMPLOYMENT": ("就业救助", "employment assistance"),
    "ASSISTANCE_PROGRAMME_TEMPORARY": ("临时救助", "temporary assistance"),
    "ASSISTANCE_PROGRAMME_DISASTER_RELIEF": ("受灾人员救助", "disaster relief"),
    "ASSISTANCE_PROGRAMME_DISABILITY_SUBSIDIES": ("残疾人两项补贴", "disability subsidies"),
    "MONITORING_CATEGORY_UNSTABLE": ("脱贫不稳定户", "unstable after poverty exit"),
    "MONITORING_CATEGORY_MARGINAL": ("边缘易致贫户", "marginal, at risk of poverty"),
    "MONITORING_CATEGORY_SUDDEN_HARDSHIP": ("突发严重困难户", "sudden severe hardship"),
    "PURPOSE_INITIAL_ELIGIBILITY": ("救助申请审核（初次认定）", "initial eligibility check"),
    "PURPOSE_PERIODIC_REVIEW": ("定期复核", "periodic review"),
    "PURPOSE_TEMPORARY_ASSISTANCE": ("临时救助", "temporary assistance"),
    "PURPOSE_REPORTED_CASE": ("举报核查", "check of a reported case"),
    "PURPOSE_DYNAMIC_MONITORING": ("低收入人口动态监测", "low-income population monitoring"),
    "PURPOSE_SPECIAL_ASSISTANCE": ("专项救助衔接", "special assistance"),
}

# GB/T 2261.2 marital status codes.
MARITAL_STATUS: dict[str, Pair] = {
    "10": ("未婚", "never married"), "20": ("已婚", "married"), "21": ("初婚", "first marriage"),
    "22": ("再婚", "remarried"), "23": ("复婚", "remarried to former spouse"), "30": ("丧偶", "widowed"),
    "40": ("离婚", "divorced"), "90": ("未说明", "not stated"),
}

# GB/T 4761 relation codes: the terminal table's names plus the group codes a household often has.
RELATIONS: dict[str, Pair] = {
    **RELATION_NAMES,
    "40": ("孙子女", "grandchild"), "60": ("祖父母", "grandparent"), "70": ("兄弟姐妹", "sibling"),
    "80": ("其他亲属", "other relative"), "99": ("非亲属", "not a relative"),
}

# Disclosure modes as to_dict names them; the proto enum names are accepted too.
DISCLOSURES: dict[str, Pair] = {
    "full_records": ("完整记录", "full records"),
    "purpose_limited": ("按用途限定字段", "fields limited to the purpose"),
    "threshold_only": ("仅答是否", "yes/no answers only"),
}

QUESTION_KINDS: dict[str, Pair] = {
    "VEHICLE_VALUE_ABOVE": ("家庭车辆总价值是否高于 {amount}", "Is the household's total vehicle value above {amount}?"),
    "REAL_ESTATE_BEYOND_ONE_HOME": ("家庭是否有一套住房以外的不动产", "Does the household own real estate besides one home?"),
    "INCOME_PER_MEMBER_BELOW": ("家庭人均月收入是否低于 {amount}", "Is monthly income per member below {amount}?"),
    "FINANCIAL_ASSETS_ABOVE": ("家庭金融资产是否高于 {amount}", "Are the household's financial assets above {amount}?"),
    "BUSINESS_CAPITAL_ABOVE": ("家庭成员名下企业注册资本合计是否高于 {amount}",
                               "Is the registered capital of the members' businesses above {amount}?"),
}

QUESTION_RESULTS: dict[str, Pair] = {
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "undetermined": ("无法判定", "undetermined"),
}

# Reason codes a source or a threshold answer can carry, in words a case worker reads on paper.
REASONS: dict[str, Pair] = {
    "DEPARTMENT_TIMEOUT": ("部门系统在时限内未应答", "the department's system did not answer in time"),
    "DEPARTMENT_UNAVAILABLE": ("部门系统暂不可用", "the department's system is unavailable"),
    "NODE_TIMEOUT": ("节点在时限内未应答", "the node did not answer in time"),
    "NODE_UNAVAILABLE": ("节点暂不可用", "the node is unavailable"),
    "NODE_REVOKED": ("节点已被撤销", "the node is revoked"),
    "ROUTE_NOT_FOUND": ("找不到通往该节点的路由", "no route to the node"),
    "ANSWER_INVALID": ("应答未通过验证，记录不可采信", "the answer failed verification; its records cannot be trusted"),
    "SIGNATURE_INVALID": ("签名验证失败", "a signature did not verify"),
    "UNKNOWN_KEY": ("签名密钥不在联邦目录中或不在有效期内", "the signing key is not in the directory or not valid"),
    "UNKNOWN_CALLER": ("调用方不在联邦目录中", "the caller is not in the federation directory"),
    "CLOCK_SKEW": ("请求时间超出允许的时钟偏差", "the request time is outside the allowed clock skew"),
    "REPLAY_DETECTED": ("请求被判定为重放", "the request was taken for a replay"),
    "HOP_CHAIN_INVALID": ("转发链无效", "the hop chain is invalid"),
    "TLS_PEER_UNKNOWN": ("对端证书未在目录中登记", "the peer's certificate is not in the directory"),
    "TLS_PEER_MISMATCH": ("对端证书与节点不符", "the peer's certificate does not match the node"),
    "MALFORMED_MESSAGE": ("消息格式无效", "the message is malformed"),
    "AUTHORIZATION_MISSING": ("请求未附带授权记录", "the request carries no authorization record"),
    "AUTHORIZATION_SIGNATURE_INVALID": ("授权记录签名无效", "the authorization record's signature is invalid"),
    "AUTHORIZATION_ISSUER_NOT_ALLOWED": ("发证机关无权签发该授权", "the issuing office may not issue this authorization"),
    "AUTHORIZATION_NOT_YET_VALID": ("授权记录尚未生效", "the authorization record is not valid yet"),
    "AUTHORIZATION_EXPIRED": ("授权记录已过期", "the authorization record has expired"),
    "AUTHORIZATION_REVOKED": ("授权记录已被撤销", "the authorization record was revoked"),
    "AUTHORIZATION_USE_LIMIT_REACHED": ("授权记录使用次数已用完", "the authorization record's use limit is reached"),
    "AUTHORIZATION_CALLER_NOT_GRANTEE": ("调用方不是被授权单位", "the caller is not a grantee"),
    "AUTHORIZATION_MEMBER_NOT_COVERED": ("成员不在授权范围内", "a member is not covered by the authorization"),
    "AUTHORIZATION_CATEGORY_NOT_COVERED": ("核对项目不在授权范围内", "a category is not covered by the authorization"),
    "AUTHORIZATION_PURPOSE_MISMATCH": ("核对目的与授权不符", "the purpose does not match the authorization"),
    "REVOCATION_LIST_INVALID": ("撤销列表无效", "the revocation list is invalid"),
    "REVOCATION_LIST_STALE": ("撤销列表过旧，无法确认授权未被撤销", "the revocation list is too old to rule out a revocation"),
    "INTERNAL": ("节点内部错误", "internal error at the node"),
}


def reason_words(code: str, lang: str) -> str:
    """Return a reason code in words, followed by the code itself so support staff can look it up."""
    if not code:
        return ""
    words = REASONS.get(code)
    if words is None:
        return code
    return f"{pick(words, lang)} ({code})" if lang == "en" else f"{pick(words, lang)}（{code}）"

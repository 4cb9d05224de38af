"""Building blocks for the catalogue's demo data: departments, item names (Chinese and English)
and materials. Pure data, no database access; ``demo.py`` turns them into rows.

Item names are put together from the verbs and objects each domain really uses
(``企业职工基本养老保险`` + ``参保登记``), so the demo catalogue reads like Qingdao's own."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Departments
# --------------------------------------------------------------------------------------------

# abbreviation, Chinese name, English name, main domain
CITY_DEPARTMENTS: list[tuple[str, str, str, str]] = [
    (
        "SPJ",
        "青岛市行政审批服务局",
        "Qingdao Administrative Approval Service Bureau",
        "administrative_approval",
    ),
    (
        "RSJ",
        "青岛市人力资源和社会保障局",
        "Qingdao Human Resources and Social Security Bureau",
        "social_insurance",
    ),
    ("YBJ", "青岛市医疗保障局", "Qingdao Healthcare Security Bureau", "medical_insurance"),
    (
        "ZRJ",
        "青岛市自然资源和规划局",
        "Qingdao Natural Resources and Planning Bureau",
        "real_estate",
    ),
    ("BDC", "青岛市不动产登记中心", "Qingdao Real Estate Registration Centre", "real_estate"),
    (
        "GJJ",
        "青岛市住房公积金管理中心",
        "Qingdao Housing Provident Fund Management Centre",
        "housing_fund",
    ),
    (
        "SWJ",
        "国家税务总局青岛市税务局",
        "Qingdao Municipal Tax Service, State Taxation Administration",
        "tax",
    ),
    (
        "SCJ",
        "青岛市市场监督管理局",
        "Qingdao Market Supervision Administration",
        "administrative_approval",
    ),
    ("WJW", "青岛市卫生健康委员会", "Qingdao Health Commission", "other"),
    ("MZJ", "青岛市民政局", "Qingdao Civil Affairs Bureau", "other"),
    (
        "ZJJ",
        "青岛市住房和城乡建设局",
        "Qingdao Housing and Urban-Rural Development Bureau",
        "real_estate",
    ),
    ("WLJ", "青岛市文化和旅游局", "Qingdao Culture and Tourism Bureau", "other"),
    ("GAJ", "青岛市公安局", "Qingdao Public Security Bureau", "other"),
    ("SFJ", "青岛市司法局", "Qingdao Justice Bureau", "other"),
    ("CZJ", "青岛市财政局", "Qingdao Finance Bureau", "finance"),
    (
        "JRJ",
        "青岛市地方金融监督管理局",
        "Qingdao Local Financial Supervision and Administration Bureau",
        "finance",
    ),
]

# The district counterparts: abbreviation, Chinese pattern, English pattern.
DISTRICT_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("SPJ", "{r}行政审批服务局", "{r} Administrative Approval Service Bureau"),
    ("RSJ", "{r}人力资源和社会保障局", "{r} Human Resources and Social Security Bureau"),
    ("YBJ", "{r}医疗保障局", "{r} Healthcare Security Bureau"),
    ("BDC", "青岛市不动产登记中心{r}分中心", "Qingdao Real Estate Registration Centre, {r} branch"),
    (
        "GJJ",
        "青岛市住房公积金管理中心{r}管理处",
        "Qingdao Housing Provident Fund Centre, {r} office",
    ),
    ("SWJ", "国家税务总局青岛市{r}税务局", "{r} Tax Service, State Taxation Administration"),
    ("SCJ", "{r}市场监督管理局", "{r} Market Supervision Administration"),
    ("WJJ", "{r}卫生健康局", "{r} Health Bureau"),
    ("MZJ", "{r}民政局", "{r} Civil Affairs Bureau"),
]

# Town/street level bodies (the town/street list's 8 departments).
TOWN_DEPARTMENTS: list[tuple[str, str, str, str]] = [
    ("T01", "镇（街道）社会保障服务中心", "Town/street social security service centre", "RSJ"),
    ("T02", "镇（街道）医疗保障服务站", "Town/street healthcare security service station", "YBJ"),
    ("T03", "镇（街道）民政办公室", "Town/street civil affairs office", "MZJ"),
    ("T04", "镇（街道）退役军人服务站", "Town/street veterans service station", "MZJ"),
    ("T05", "镇（街道）卫生健康办公室", "Town/street health office", "WJW"),
    ("T06", "镇（街道）残疾人联合会", "Town/street disabled persons' federation", "MZJ"),
    (
        "T07",
        "镇（街道）农业农村服务中心",
        "Town/street agriculture and rural affairs centre",
        "ZRJ",
    ),
    ("T08", "镇（街道）住房保障服务站", "Town/street housing security service station", "ZJJ"),
]

# Village/community level bodies (the village/community list's 5 departments).
VILLAGE_DEPARTMENTS: list[tuple[str, str, str, str]] = [
    ("V01", "村（社区）社会保障服务站", "Village/community social security station", "RSJ"),
    ("V02", "村（社区）医疗保障服务点", "Village/community healthcare security point", "YBJ"),
    ("V03", "村（社区）民政协理服务站", "Village/community civil affairs station", "MZJ"),
    ("V04", "村（社区）退役军人服务站", "Village/community veterans service station", "MZJ"),
    ("V05", "村（社区）残疾人协会", "Village/community association of disabled persons", "MZJ"),
]

# The other four Jiaodong cities' approval bureaus (Qingdao's is SPJ above).
JIAODONG_BUREAUS: list[tuple[str, str, str]] = [
    ("370600", "烟台市行政审批服务局", "Yantai Administrative Approval Service Bureau"),
    ("370700", "潍坊市行政审批服务局", "Weifang Administrative Approval Service Bureau"),
    ("371000", "威海市行政审批服务局", "Weihai Administrative Approval Service Bureau"),
    ("371100", "日照市行政审批服务局", "Rizhao Administrative Approval Service Bureau"),
]

# --------------------------------------------------------------------------------------------
# Item names: (Chinese, English, kind)
# --------------------------------------------------------------------------------------------

Item = tuple[str, str, str]


def _combine(objects: list[tuple[str, str]], actions: list[tuple[str, str, str]]) -> list[Item]:
    return [(o + a, en.format(o_en), kind) for o, o_en in objects for a, en, kind in actions]


SI_OBJECTS = [
    ("企业职工基本养老保险", "basic pension insurance for enterprise employees"),
    ("城乡居民基本养老保险", "basic pension insurance for urban and rural residents"),
    ("失业保险", "unemployment insurance"),
    ("工伤保险", "work-injury insurance"),
    ("机关事业单位养老保险", "pension insurance for public institutions"),
    ("职业年金", "occupational annuity"),
]
SI_ACTIONS = [
    ("参保登记", "Enrolment in {}", "confirmation"),
    ("参保信息变更", "Change of enrolment details for {}", "confirmation"),
    ("停保登记", "Stopping enrolment in {}", "confirmation"),
    ("关系转移接续", "Transfer of {} records", "public_service"),
    ("缴费基数申报", "Declaration of the contribution base for {}", "confirmation"),
    ("待遇申领", "Claim for {} benefits", "payment"),
    ("待遇资格认证", "Benefit eligibility verification for {}", "confirmation"),
    ("补缴申请", "Back payment of {} contributions", "confirmation"),
    ("个人账户一次性待遇申领", "One-off claim from the individual {} account", "payment"),
    ("待遇发放账户变更", "Change of the {} benefit account", "public_service"),
]
SI_SINGLE: list[Item] = [
    ("社会保障卡申领", "Application for a social security card", "public_service"),
    ("社会保障卡挂失", "Reporting a lost social security card", "public_service"),
    ("社会保障卡补换", "Replacement of a social security card", "public_service"),
    ("社会保障卡启用", "Activation of a social security card", "public_service"),
    ("就业创业证申领", "Application for an employment and entrepreneurship card", "public_service"),
    ("失业登记", "Unemployment registration", "public_service"),
    ("就业登记", "Employment registration", "public_service"),
    ("灵活就业人员社会保险补贴申领", "Social insurance subsidy for flexible workers", "payment"),
    ("一次性创业补贴申领", "One-off start-up subsidy", "payment"),
    ("职业培训补贴申领", "Vocational training subsidy", "payment"),
    ("职业技能鉴定证书核发", "Issue of a vocational skill certificate", "confirmation"),
    ("人力资源服务许可", "Human resources service licence", "licence"),
    ("劳务派遣经营许可", "Labour dispatch business licence", "licence"),
    ("企业实行不定时工作制审批", "Approval of flexible working hours for an enterprise", "licence"),
    ("工伤认定申请", "Application for work-injury recognition", "confirmation"),
    ("劳动能力鉴定申请", "Application for a work-capacity assessment", "confirmation"),
    ("稳岗返还申领", "Claim for the job-stabilisation refund", "payment"),
    ("高校毕业生就业见习补贴申领", "Internship subsidy for graduates", "payment"),
    ("丧葬补助金和抚恤金申领", "Funeral grant and survivors' pension claim", "payment"),
    ("技能提升补贴申领", "Skill upgrading subsidy", "payment"),
]

MI_OBJECTS = [
    ("职工基本医疗保险", "basic medical insurance for employees"),
    ("城乡居民基本医疗保险", "basic medical insurance for urban and rural residents"),
    ("生育保险", "maternity insurance"),
    ("长期护理保险", "long-term care insurance"),
    ("大病保险", "critical illness insurance"),
]
MI_ACTIONS = [
    ("参保登记", "Enrolment in {}", "confirmation"),
    ("参保信息变更", "Change of enrolment details for {}", "confirmation"),
    ("停保登记", "Stopping enrolment in {}", "confirmation"),
    ("待遇申领", "Claim for {} benefits", "payment"),
    ("零星费用报销", "Reimbursement of individual bills under {}", "payment"),
    ("关系转移接续", "Transfer of {} records", "public_service"),
    ("缴费申报", "Contribution declaration for {}", "confirmation"),
    ("待遇资格认定", "Eligibility decision for {} benefits", "confirmation"),
]
MI_SINGLE: list[Item] = [
    ("异地就医备案", "Registration for medical treatment in another city", "filing"),
    (
        "门诊慢特病待遇认定",
        "Recognition of chronic and special outpatient conditions",
        "confirmation",
    ),
    (
        "定点医药机构申请",
        "Application to become a designated medical institution",
        "public_service",
    ),
    (
        "医保电子凭证申领",
        "Application for the electronic medical insurance certificate",
        "public_service",
    ),
    ("转诊转院备案", "Filing of a referral to another hospital", "filing"),
    ("新生儿参保登记", "Medical insurance enrolment of a newborn", "confirmation"),
    ("医疗救助申请", "Application for medical assistance", "payment"),
    ("职工医保个人账户家庭共济", "Family sharing of an employee medical account", "public_service"),
    ("生育津贴申领", "Maternity allowance claim", "payment"),
    ("意外伤害医疗费用报销", "Reimbursement of accident treatment costs", "payment"),
]

RE_OBJECTS = [
    ("国有建设用地使用权", "state-owned construction land use right"),
    ("国有建设用地使用权及房屋所有权", "state-owned land use right and building ownership"),
    ("宅基地使用权及房屋所有权", "homestead use right and building ownership"),
    ("集体建设用地使用权", "collective construction land use right"),
    ("海域使用权", "sea area use right"),
    ("林权", "forest right"),
    ("土地承包经营权", "contracted land management right"),
]
RE_ACTIONS = [
    ("首次登记", "First registration of {}", "confirmation"),
    ("转移登记", "Transfer registration of {}", "confirmation"),
    ("变更登记", "Change registration of {}", "confirmation"),
    ("注销登记", "Cancellation registration of {}", "confirmation"),
    ("更正登记", "Correction registration of {}", "confirmation"),
    ("抵押权登记", "Mortgage registration on {}", "confirmation"),
    ("预告登记", "Advance notice registration of {}", "confirmation"),
    ("异议登记", "Objection registration on {}", "confirmation"),
]
RE_SINGLE: list[Item] = [
    ("商品房预售许可", "Pre-sale permit for commercial housing", "licence"),
    ("商品房买卖合同网签备案", "Online filing of a new-home sales contract", "filing"),
    ("存量房买卖合同网签备案", "Online filing of a second-hand home sales contract", "filing"),
    ("房屋租赁登记备案", "Filing of a housing lease", "filing"),
    ("不动产权证书补发", "Reissue of a real estate title certificate", "confirmation"),
    ("查封登记", "Registration of a seizure", "confirmation"),
    ("地役权登记", "Registration of an easement", "confirmation"),
    ("居住权登记", "Registration of a right of residence", "confirmation"),
    ("建设用地规划许可", "Land-use planning permit", "licence"),
    ("建设工程规划许可", "Construction project planning permit", "licence"),
    ("建筑工程施工许可", "Building construction permit", "licence"),
    ("公共租赁住房资格申请", "Application for public rental housing", "public_service"),
]

HF_SINGLE: list[Item] = [
    (
        "住房公积金单位缴存登记",
        "Employer registration for housing fund contributions",
        "confirmation",
    ),
    ("住房公积金单位信息变更", "Change of employer details for the housing fund", "confirmation"),
    ("住房公积金个人账户设立", "Opening an individual housing fund account", "confirmation"),
    ("住房公积金个人账户封存", "Sealing an individual housing fund account", "confirmation"),
    ("住房公积金个人账户启封", "Unsealing an individual housing fund account", "confirmation"),
    ("住房公积金个人账户转移", "Transfer of an individual housing fund account", "public_service"),
    ("住房公积金缴存基数调整", "Adjustment of the housing fund contribution base", "confirmation"),
    ("住房公积金补缴", "Back payment of housing fund contributions", "confirmation"),
    ("住房公积金缓缴申请", "Deferral of housing fund contributions", "confirmation"),
    (
        "灵活就业人员住房公积金缴存登记",
        "Housing fund enrolment for flexible workers",
        "confirmation",
    ),
    ("住房公积金异地转移接续", "Cross-city transfer of the housing fund", "public_service"),
    ("住房公积金个人住房贷款申请", "Housing fund home loan application", "public_service"),
    ("住房公积金贷款提前还款", "Early repayment of a housing fund loan", "public_service"),
    ("住房公积金贷款变更", "Change of a housing fund loan", "public_service"),
    ("住房公积金贷款展期", "Extension of a housing fund loan", "public_service"),
    (
        "住房公积金贷款商转公",
        "Switching a commercial loan to a housing fund loan",
        "public_service",
    ),
]
HF_WITHDRAWALS = [
    ("购买自住住房", "buying a home to live in"),
    ("租赁住房", "renting a home"),
    ("偿还住房贷款", "repaying a home loan"),
    ("离休退休", "retirement"),
    ("出境定居", "settling abroad"),
    ("大修自住住房", "major repair of the home"),
    ("既有住宅加装电梯", "installing a lift in an existing building"),
    ("完全丧失劳动能力", "total loss of working capacity"),
    ("死亡或宣告死亡", "death of the account holder"),
    ("解除劳动关系", "end of employment"),
    ("享受城镇最低生活保障", "receiving the minimum living allowance"),
    ("支付物业费", "paying property management fees"),
]

TAX_OBJECTS = [
    ("增值税", "value-added tax"),
    ("企业所得税", "enterprise income tax"),
    ("个人所得税", "individual income tax"),
    ("消费税", "consumption tax"),
    ("房产税", "property tax"),
    ("城镇土地使用税", "urban land use tax"),
    ("印花税", "stamp duty"),
    ("车船税", "vehicle and vessel tax"),
    ("契税", "deed tax"),
    ("土地增值税", "land appreciation tax"),
    ("资源税", "resource tax"),
    ("环境保护税", "environmental protection tax"),
]
TAX_ACTIONS = [
    ("申报", "{} return", "other"),
    ("更正申报", "Corrected {} return", "other"),
    ("减免税备案", "Filing of {} relief", "filing"),
    ("退税申请", "{} refund application", "confirmation"),
]
TAX_SINGLE: list[Item] = [
    ("纳税人信息登记", "Taxpayer registration", "confirmation"),
    ("税务登记信息变更", "Change of tax registration details", "confirmation"),
    ("清税注销", "Tax clearance and deregistration", "confirmation"),
    ("发票领用", "Collecting invoices", "public_service"),
    ("发票代开", "Issuing an invoice on the taxpayer's behalf", "public_service"),
    (
        "增值税专用发票最高开票限额审批",
        "Approval of the maximum amount of special VAT invoices",
        "licence",
    ),
    ("跨区域涉税事项报告", "Report of cross-region tax matters", "filing"),
    ("一般纳税人登记", "General VAT taxpayer registration", "confirmation"),
    (
        "个人所得税专项附加扣除填报",
        "Special additional deductions for individual income tax",
        "other",
    ),
    ("社会保险费缴纳", "Payment of social insurance contributions", "other"),
    ("城乡居民医疗保险费缴纳", "Payment of residents' medical insurance contributions", "other"),
    ("存量房交易税费申报", "Taxes on a second-hand home sale", "other"),
]

AA_OBJECTS = [
    ("食品经营许可证", "food business licence"),
    ("食品生产许可证", "food production licence"),
    ("药品零售企业许可证", "pharmacy licence"),
    ("医疗器械经营许可证", "medical device trading licence"),
    ("公共场所卫生许可证", "public place hygiene licence"),
    ("建筑业企业资质", "construction enterprise qualification"),
    ("道路运输经营许可证", "road transport business licence"),
    ("旅行社业务经营许可证", "travel agency licence"),
    ("娱乐场所经营许可证", "entertainment venue licence"),
    ("出版物零售经营许可证", "publication retail licence"),
    ("危险化学品经营许可证", "hazardous chemicals trading licence"),
    ("排污许可证", "pollutant discharge permit"),
    ("民办学校办学许可证", "private school licence"),
    ("医疗机构执业许可证", "medical institution practice licence"),
    ("取水许可证", "water abstraction permit"),
    ("放射诊疗许可证", "radiological diagnosis licence"),
    ("建设工程消防设计审查", "fire safety design review"),
    ("户外广告设施设置许可", "outdoor advertising permit"),
]
AA_ACTIONS = [
    ("核发", "Issue of the {}", "licence"),
    ("变更", "Change of the {}", "licence"),
    ("延续", "Renewal of the {}", "licence"),
    ("注销", "Cancellation of the {}", "licence"),
    ("补办", "Reissue of the {}", "licence"),
]
COMPANY_OBJECTS = [
    ("有限责任公司", "a limited liability company"),
    ("股份有限公司", "a joint-stock company"),
    ("个人独资企业", "a sole proprietorship"),
    ("合伙企业", "a partnership"),
    ("农民专业合作社", "a farmers' cooperative"),
    ("个体工商户", "an individual business"),
    ("外商投资企业", "a foreign-invested enterprise"),
    ("分公司", "a branch company"),
]
COMPANY_ACTIONS = [
    ("设立登记", "Registration of {}", "licence"),
    ("变更登记", "Change registration of {}", "licence"),
    ("注销登记", "Deregistration of {}", "licence"),
    ("备案", "Filing of particulars of {}", "filing"),
]

FIN_OBJECTS = [
    ("小额贷款公司", "a microcredit company"),
    ("融资担保公司", "a financing guarantee company"),
    ("典当行", "a pawnshop"),
    ("融资租赁公司", "a financial leasing company"),
    ("商业保理公司", "a commercial factoring company"),
    ("地方资产管理公司", "a local asset management company"),
]
FIN_ACTIONS = [
    ("设立审批", "Approval to set up {}", "licence"),
    ("变更审批", "Approval of changes to {}", "licence"),
    ("年度审查", "Annual review of {}", "confirmation"),
    ("退出备案", "Filing of the exit of {}", "filing"),
]
FIN_SINGLE: list[Item] = [
    ("创业担保贷款申请", "Application for a guaranteed start-up loan", "public_service"),
    ("创业担保贷款贴息申请", "Interest subsidy on a guaranteed start-up loan", "payment"),
    ("政府非税收入缴款", "Payment of non-tax government revenue", "other"),
    ("财政票据领购", "Purchase of fiscal receipts", "public_service"),
    ("政府采购供应商登记", "Registration as a government procurement supplier", "confirmation"),
    ("惠民惠农财政补贴申领", "Claim for agricultural and welfare subsidies", "payment"),
    (
        "社会保障卡金融账户激活",
        "Activation of the social security card bank account",
        "public_service",
    ),
    ("普惠小微企业贷款申请", "Inclusive loan application for a small business", "public_service"),
    ("政策性农业保险投保", "Taking out policy-backed agricultural insurance", "public_service"),
    ("企业应急转贷资金申请", "Application for emergency bridge-loan funds", "public_service"),
]

OTHER_ITEMS: dict[str, list[Item]] = {
    "GAJ": [
        ("居民身份证首次申领", "First application for a resident identity card", "public_service"),
        ("居民身份证换领", "Renewal of a resident identity card", "public_service"),
        ("居民身份证补领", "Replacement of a lost resident identity card", "public_service"),
        ("临时居民身份证申领", "Temporary resident identity card", "public_service"),
        ("户口迁入登记", "Household registration move-in", "confirmation"),
        ("户口迁出登记", "Household registration move-out", "confirmation"),
        ("出生登记", "Birth registration", "confirmation"),
        ("居住证申领", "Application for a residence permit", "public_service"),
        ("普通护照签发", "Issue of an ordinary passport", "licence"),
        (
            "往来港澳通行证签发",
            "Issue of a Mainland travel permit for Hong Kong and Macao",
            "licence",
        ),
        ("机动车驾驶证期满换证", "Renewal of a driving licence at expiry", "licence"),
        ("无犯罪记录证明开具", "Certificate of no criminal record", "public_service"),
    ],
    "MZJ": [
        ("内地居民结婚登记", "Marriage registration", "confirmation"),
        ("内地居民离婚登记", "Divorce registration", "confirmation"),
        ("补领婚姻登记证", "Reissue of a marriage certificate", "confirmation"),
        ("社会团体成立登记", "Registration of a social organisation", "licence"),
        ("社会团体变更登记", "Change registration of a social organisation", "licence"),
        ("社会团体注销登记", "Deregistration of a social organisation", "licence"),
        ("民办非企业单位成立登记", "Registration of a private non-enterprise unit", "licence"),
        (
            "民办非企业单位变更登记",
            "Change registration of a private non-enterprise unit",
            "licence",
        ),
        ("民办非企业单位注销登记", "Deregistration of a private non-enterprise unit", "licence"),
        ("养老机构备案", "Filing of an elderly care institution", "filing"),
        ("慈善组织认定", "Recognition of a charitable organisation", "confirmation"),
        ("地名命名更名审批", "Approval of a place name", "licence"),
    ],
    "SFJ": [
        ("法律援助申请", "Application for legal aid", "public_service"),
        ("律师执业许可", "Lawyer's practice licence", "licence"),
        ("律师事务所设立许可", "Licence to set up a law firm", "licence"),
        (
            "基层法律服务工作者执业核准",
            "Practice approval for a grass-roots legal worker",
            "licence",
        ),
        ("公证员执业审核", "Practice review of a notary", "licence"),
        ("司法鉴定人执业登记", "Practice registration of a forensic expert", "licence"),
        ("人民调解申请", "Application for people's mediation", "public_service"),
    ],
    "WLJ": [
        ("营业性演出许可", "Commercial performance licence", "licence"),
        ("艺术品经营单位备案", "Filing of an art dealer", "filing"),
        ("网络文化经营许可", "Online culture business licence", "licence"),
        ("导游证核发", "Issue of a tour guide licence", "licence"),
        (
            "文物保护单位建设控制地带内建设工程审批",
            "Approval of construction near a protected cultural relic",
            "licence",
        ),
        ("星级饭店评定申请", "Application for a hotel star rating", "confirmation"),
    ],
    "WJW": [
        ("医师执业注册", "Physician practice registration", "licence"),
        ("护士执业注册", "Nurse practice registration", "licence"),
        ("出生医学证明签发", "Issue of a medical birth certificate", "public_service"),
        ("生育登记", "Birth registration with the health commission", "public_service"),
        ("计划生育家庭特别扶助金申领", "Special support for family-planning families", "payment"),
        ("母婴保健技术服务执业许可", "Maternal and infant health service licence", "licence"),
        ("职业病诊断机构备案", "Filing of an occupational disease diagnosis institution", "filing"),
    ],
}

# The 20 proactive ("no-sense") items: name, English, kind, department (abbr@region).
PROACTIVE_ITEMS: list[tuple[str, str, str, str]] = [
    (
        "建筑企业资质简单变更",
        "Simple change of a construction enterprise qualification",
        "licence",
        "ZJJ@370200",
    ),
    (
        "电影放映单位变更主要登记事项备案",
        "Filing of a change of main registered particulars of a film-screening unit",
        "filing",
        "SPJ@370200",
    ),
    (
        "消毒产品生产企业变更",
        "Change of a disinfection-product manufacturer's licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "民办非企业单位登记证书到期换发",
        "Renewal at expiry of a private non-enterprise unit's registration certificate",
        "licence",
        "MZJ@370200",
    ),
    ("食品经营许可证简单变更", "Simple change of a food business licence", "licence", "SPJ@370200"),
    (
        "药品经营许可证法定代表人变更",
        "Change of legal representative on a drug trading licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "人力资源服务许可证名称变更",
        "Change of name on a human resources service licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "劳务派遣经营许可证到期延续",
        "Renewal at expiry of a labour dispatch licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "道路运输经营许可证经营者名称变更",
        "Change of operator name on a road transport business licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "旅行社业务经营许可证变更备案",
        "Filing of a change to a travel agency licence",
        "filing",
        "SPJ@370200",
    ),
    (
        "公共场所卫生许可证到期延续",
        "Renewal at expiry of a public place hygiene licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "出版物零售经营许可证法定代表人变更",
        "Change of legal representative on a publication retail licence",
        "licence",
        "SPJ@370200",
    ),
    (
        "医疗器械经营备案凭证变更",
        "Change of a medical device trading filing",
        "filing",
        "SPJ@370200",
    ),
    (
        "建筑施工企业安全生产许可证变更",
        "Change of a construction company's work safety licence",
        "licence",
        "ZJJ@370200",
    ),
    (
        "食品经营许可证简单变更（平度）",
        "Simple change of a food business licence (Pingdu)",
        "licence",
        "SPJ@370283",
    ),
    (
        "公共场所卫生许可证变更（平度）",
        "Change of a public place hygiene licence (Pingdu)",
        "licence",
        "SPJ@370283",
    ),
    (
        "建筑企业资质证书到期延续（平度）",
        "Renewal at expiry of a construction qualification certificate (Pingdu)",
        "licence",
        "SPJ@370283",
    ),
    (
        "食品经营许可证简单变更（莱西）",
        "Simple change of a food business licence (Laixi)",
        "licence",
        "SPJ@370285",
    ),
    (
        "道路运输经营许可证变更（莱西）",
        "Change of a road transport business licence (Laixi)",
        "licence",
        "SPJ@370285",
    ),
    (
        "排污许可证法定代表人变更（莱西）",
        "Change of legal representative on a pollutant discharge permit (Laixi)",
        "licence",
        "SPJ@370285",
    ),
]

# The 75 convenience services (查询、打印类), city level: name, English, department abbr, domain.
CONVENIENCE_ITEMS: list[tuple[str, str, str, str]] = [
    *[
        (
            o + "参保证明打印",
            f"Printing of the {en} enrolment certificate",
            "RSJ",
            "social_insurance",
        )
        for o, en in SI_OBJECTS
    ],
    *[
        (
            o + "个人权益记录查询打印",
            f"Query and print of personal {en} records",
            "RSJ",
            "social_insurance",
        )
        for o, en in SI_OBJECTS
    ],
    (
        "社会保险参保证明打印",
        "Printing of the social insurance enrolment certificate",
        "RSJ",
        "social_insurance",
    ),
    ("社会保障卡状态查询", "Social security card status query", "RSJ", "social_insurance"),
    ("养老金发放明细查询打印", "Query and print of pension payments", "RSJ", "social_insurance"),
    (
        "医疗保险参保证明打印",
        "Printing of the medical insurance enrolment certificate",
        "YBJ",
        "medical_insurance",
    ),
    ("医保个人账户查询", "Medical insurance account query", "YBJ", "medical_insurance"),
    (
        "医保缴费明细查询打印",
        "Query and print of medical insurance contributions",
        "YBJ",
        "medical_insurance",
    ),
    (
        "异地就医备案结果查询",
        "Query of a registration for treatment elsewhere",
        "YBJ",
        "medical_insurance",
    ),
    (
        "医保定点医药机构查询",
        "Query of designated medical institutions",
        "YBJ",
        "medical_insurance",
    ),
    (
        "医保电子凭证激活",
        "Activation of the electronic medical insurance certificate",
        "YBJ",
        "medical_insurance",
    ),
    ("生育保险待遇查询", "Maternity insurance benefit query", "YBJ", "medical_insurance"),
    (
        "门诊慢特病资格查询",
        "Chronic outpatient condition eligibility query",
        "YBJ",
        "medical_insurance",
    ),
    (
        "居民医保缴费记录查询",
        "Residents' medical insurance payment query",
        "YBJ",
        "medical_insurance",
    ),
    ("医保报销进度查询", "Medical reimbursement progress query", "YBJ", "medical_insurance"),
    (
        "不动产登记信息查询打印",
        "Query and print of real estate registration information",
        "BDC",
        "real_estate",
    ),
    ("不动产权属证明打印", "Printing of real estate ownership proof", "BDC", "real_estate"),
    ("不动产登记办理进度查询", "Real estate registration progress query", "BDC", "real_estate"),
    (
        "房屋交易登记信息查询打印",
        "Query and print of housing transaction registration",
        "BDC",
        "real_estate",
    ),
    ("商品房网签备案信息查询", "New-home contract filing query", "ZJJ", "real_estate"),
    ("存量房交易资金监管查询", "Second-hand home escrow query", "ZJJ", "real_estate"),
    ("不动产抵押登记信息查询", "Mortgage registration query", "BDC", "real_estate"),
    ("不动产查封登记信息查询", "Seizure registration query", "BDC", "real_estate"),
    (
        "不动产登记电子证照打印",
        "Printing of electronic real estate certificates",
        "BDC",
        "real_estate",
    ),
    ("房屋租赁登记备案查询", "Housing lease filing query", "ZJJ", "real_estate"),
    ("住房保障资格查询", "Housing support eligibility query", "ZJJ", "real_estate"),
    ("不动产权籍调查成果查询", "Cadastral survey result query", "BDC", "real_estate"),
    ("住房公积金缴存查询", "Housing fund contribution query", "GJJ", "housing_fund"),
    (
        "住房公积金缴存证明打印",
        "Printing of the housing fund contribution certificate",
        "GJJ",
        "housing_fund",
    ),
    ("住房公积金贷款进度查询", "Housing fund loan progress query", "GJJ", "housing_fund"),
    (
        "住房公积金贷款还款明细打印",
        "Printing of housing fund loan repayments",
        "GJJ",
        "housing_fund",
    ),
    ("住房公积金提取明细查询", "Housing fund withdrawal query", "GJJ", "housing_fund"),
    ("住房公积金个人对账单打印", "Printing of the housing fund statement", "GJJ", "housing_fund"),
    (
        "住房公积金贷款结清证明打印",
        "Printing of the housing fund loan settlement proof",
        "GJJ",
        "housing_fund",
    ),
    ("住房公积金缴存基数查询", "Housing fund contribution base query", "GJJ", "housing_fund"),
    ("住房公积金联名卡信息查询", "Housing fund co-branded card query", "GJJ", "housing_fund"),
    ("住房公积金异地转移进度查询", "Housing fund transfer progress query", "GJJ", "housing_fund"),
    ("个人所得税纳税记录打印", "Printing of individual income tax records", "SWJ", "tax"),
    ("税收完税证明开具", "Tax payment certificate", "SWJ", "tax"),
    ("发票真伪查验", "Invoice verification", "SWJ", "tax"),
    ("涉税信息查询", "Tax information query", "SWJ", "tax"),
    ("社会保险费缴费凭证打印", "Printing of social insurance payment receipts", "SWJ", "tax"),
    ("车船税完税证明打印", "Printing of the vehicle tax payment certificate", "SWJ", "tax"),
    ("纳税信用等级查询", "Tax credit rating query", "SWJ", "tax"),
    ("税收优惠资格查询", "Tax relief eligibility query", "SWJ", "tax"),
    ("个人所得税专项附加扣除信息查询", "Special deduction information query", "SWJ", "tax"),
    ("房产交易计税价格查询", "Taxable value query for a property sale", "SWJ", "tax"),
    (
        "营业执照自助打印",
        "Self-service printing of a business licence",
        "SCJ",
        "administrative_approval",
    ),
    (
        "企业信用信息查询打印",
        "Query and print of enterprise credit information",
        "SCJ",
        "administrative_approval",
    ),
    ("政务服务办件进度查询", "Case progress query", "SPJ", "administrative_approval"),
    (
        "电子证照自助打印",
        "Self-service printing of electronic licences",
        "SPJ",
        "administrative_approval",
    ),
    (
        "企业登记档案查询打印",
        "Query and print of company registration files",
        "SCJ",
        "administrative_approval",
    ),
    ("企业名称自主申报查询", "Company name reservation query", "SCJ", "administrative_approval"),
    (
        "食品经营许可证自助打印",
        "Self-service printing of a food business licence",
        "SPJ",
        "administrative_approval",
    ),
    ("审批结果查询打印", "Query and print of approval results", "SPJ", "administrative_approval"),
    (
        "一次办好事项清单查询",
        "Query of the done-in-one-go item list",
        "SPJ",
        "administrative_approval",
    ),
    (
        "行政许可证照真伪查验",
        "Verification of an administrative licence",
        "SPJ",
        "administrative_approval",
    ),
    (
        "财政电子票据查验打印",
        "Verification and printing of electronic fiscal receipts",
        "CZJ",
        "finance",
    ),
    ("非税收入缴款书打印", "Printing of a non-tax payment slip", "CZJ", "finance"),
    (
        "社会保障卡金融账户余额查询",
        "Balance query of the social security card account",
        "JRJ",
        "finance",
    ),
    ("创业担保贷款办理进度查询", "Start-up loan progress query", "JRJ", "finance"),
    ("惠民惠农补贴资金查询", "Welfare and farm subsidy query", "CZJ", "finance"),
    ("政府采购信息查询", "Government procurement information query", "CZJ", "finance"),
    ("公共资源交易信息查询", "Public resource trading information query", "CZJ", "finance"),
    ("个人征信报告查询打印", "Query and print of a personal credit report", "JRJ", "finance"),
]

# Town/street list (57 items from 8 bodies) and village/community list (23 items from 5).
TOWN_ITEMS: dict[str, list[Item]] = {
    "T01": [
        (
            "城乡居民基本养老保险参保登记",
            "Enrolment in residents' basic pension insurance",
            "confirmation",
        ),
        ("城乡居民基本养老保险待遇申领", "Claim for residents' pension benefits", "payment"),
        ("城乡居民养老保险关系注销", "Closing residents' pension insurance", "confirmation"),
        (
            "就业创业证申领",
            "Application for an employment and entrepreneurship card",
            "public_service",
        ),
        ("失业登记", "Unemployment registration", "public_service"),
        (
            "灵活就业人员社会保险补贴申领",
            "Social insurance subsidy for flexible workers",
            "payment",
        ),
        ("社会保障卡申领", "Application for a social security card", "public_service"),
        ("社会保障卡挂失", "Reporting a lost social security card", "public_service"),
        ("城乡公益性岗位申请", "Application for a public welfare job", "public_service"),
    ],
    "T02": [
        (
            "城乡居民基本医疗保险参保登记",
            "Enrolment in residents' medical insurance",
            "confirmation",
        ),
        (
            "城乡居民基本医疗保险信息变更",
            "Change of residents' medical insurance details",
            "confirmation",
        ),
        ("异地就医备案", "Registration for medical treatment in another city", "filing"),
        (
            "门诊慢特病待遇认定申请",
            "Application for chronic outpatient condition benefits",
            "confirmation",
        ),
        ("医疗费用手工报销", "Manual reimbursement of medical bills", "payment"),
        ("医疗救助申请", "Application for medical assistance", "payment"),
        ("新生儿参保登记", "Medical insurance enrolment of a newborn", "confirmation"),
    ],
    "T03": [
        ("最低生活保障申请", "Application for the minimum living allowance", "payment"),
        ("特困人员救助供养申请", "Support for people in extreme poverty", "payment"),
        ("临时救助申请", "Application for temporary assistance", "payment"),
        ("高龄津贴申领", "Old-age allowance claim", "payment"),
        ("居家养老服务补贴申请", "Home care subsidy for the elderly", "payment"),
        ("经济困难老年人护理补贴申请", "Care subsidy for elderly people in hardship", "payment"),
        ("殡葬补贴申领", "Funeral subsidy claim", "payment"),
        ("孤儿基本生活费申领", "Basic living allowance for orphans", "payment"),
        ("低收入家庭认定", "Recognition of a low-income family", "confirmation"),
    ],
    "T04": [
        ("退役军人信息采集", "Registration of veterans' information", "public_service"),
        ("退役军人优待证申领", "Application for a veteran's preferential card", "public_service"),
        ("优抚对象抚恤补助申领", "Pension claim for entitled groups", "payment"),
        (
            "退役士兵自主就业一次性经济补助",
            "One-off grant for veterans finding their own work",
            "payment",
        ),
        ("军人家属优待金申领", "Preferential payment for military families", "payment"),
        ("烈士纪念设施祭扫预约", "Booking a visit to a martyrs' memorial", "public_service"),
        ("退役军人创业贷款贴息申请", "Loan interest subsidy for veteran entrepreneurs", "payment"),
    ],
    "T05": [
        ("生育登记服务", "Birth registration service", "public_service"),
        (
            "独生子女父母光荣证办理",
            "Certificate of honour for parents of an only child",
            "public_service",
        ),
        ("计划生育家庭特别扶助申请", "Special support for family-planning families", "payment"),
        ("农村部分计划生育家庭奖励扶助申请", "Rural family-planning reward", "payment"),
        (
            "0-3岁婴幼儿托育服务咨询",
            "Advice on childcare for children under three",
            "public_service",
        ),
        ("老年人健康体检预约", "Booking a health check for the elderly", "public_service"),
        ("家庭医生签约服务", "Signing up with a family doctor", "public_service"),
    ],
    "T06": [
        ("残疾人证申领", "Application for a disability certificate", "public_service"),
        ("残疾人证换领", "Renewal of a disability certificate", "public_service"),
        ("困难残疾人生活补贴申请", "Living subsidy for disabled people in hardship", "payment"),
        ("重度残疾人护理补贴申请", "Care subsidy for severely disabled people", "payment"),
        (
            "残疾人辅助器具适配申请",
            "Assistive device fitting for disabled people",
            "public_service",
        ),
        ("残疾人职业技能培训报名", "Vocational training for disabled people", "public_service"),
        ("残疾儿童康复救助申请", "Rehabilitation aid for disabled children", "payment"),
    ],
    "T07": [
        ("农村宅基地使用申请", "Application to use rural homestead land", "licence"),
        ("耕地地力保护补贴申领", "Farmland fertility protection subsidy", "payment"),
        ("农机购置补贴申请", "Farm machinery purchase subsidy", "payment"),
        (
            "政策性农业保险投保登记",
            "Policy-backed agricultural insurance enrolment",
            "public_service",
        ),
        ("土地承包经营权流转备案", "Filing of a contracted land transfer", "filing"),
        ("家庭农场名录登记", "Registration of a family farm", "filing"),
    ],
    "T08": [
        ("公共租赁住房申请", "Application for public rental housing", "public_service"),
        ("住房租赁补贴申请", "Housing rent subsidy", "payment"),
        (
            "农村困难群众危房改造申请",
            "Rural dilapidated housing renovation for families in need",
            "payment",
        ),
        (
            "既有住宅加装电梯申请受理",
            "Receipt of an application to install a lift",
            "public_service",
        ),
        ("物业服务投诉受理", "Receipt of a property management complaint", "public_service"),
    ],
}

VILLAGE_ITEMS: dict[str, list[Item]] = {
    "V01": [
        (
            "城乡居民基本养老保险参保登记代办",
            "Assisted enrolment in residents' pension insurance",
            "confirmation",
        ),
        (
            "城乡居民养老保险待遇资格认证",
            "Eligibility check for residents' pension",
            "confirmation",
        ),
        ("社会保障卡申领代办", "Assisted social security card application", "public_service"),
        (
            "就业困难人员认定申请代办",
            "Assisted recognition of people with employment difficulties",
            "confirmation",
        ),
        ("城乡公益性岗位报名", "Sign-up for a public welfare job", "public_service"),
        ("社会保险参保信息查询", "Social insurance enrolment query", "public_service"),
    ],
    "V02": [
        (
            "城乡居民基本医疗保险参保缴费代办",
            "Assisted payment of residents' medical insurance",
            "confirmation",
        ),
        ("异地就医备案代办", "Assisted registration for treatment elsewhere", "filing"),
        (
            "医保电子凭证激活指导",
            "Help activating the electronic medical insurance certificate",
            "public_service",
        ),
        ("门诊慢特病申请代办", "Assisted chronic outpatient condition application", "confirmation"),
    ],
    "V03": [
        ("最低生活保障申请受理", "Receipt of a minimum living allowance application", "payment"),
        ("临时救助申请受理", "Receipt of a temporary assistance application", "payment"),
        ("高龄津贴申领代办", "Assisted old-age allowance claim", "payment"),
        (
            "特困人员救助供养申请受理",
            "Receipt of a support application for people in extreme poverty",
            "payment",
        ),
        ("居家养老服务需求登记", "Registration of home care needs", "public_service"),
    ],
    "V04": [
        (
            "退役军人信息采集代办",
            "Assisted registration of veterans' information",
            "public_service",
        ),
        (
            "退役军人优待证申领代办",
            "Assisted veteran's preferential card application",
            "public_service",
        ),
        ("优抚对象走访慰问登记", "Registration for visits to entitled groups", "public_service"),
        (
            "退役军人就业创业需求登记",
            "Registration of veterans' job and start-up needs",
            "public_service",
        ),
    ],
    "V05": [
        ("残疾人证申领代办", "Assisted disability certificate application", "public_service"),
        (
            "困难残疾人生活补贴申请代办",
            "Assisted living subsidy application for disabled people",
            "payment",
        ),
        (
            "重度残疾人护理补贴申请代办",
            "Assisted care subsidy application for severely disabled people",
            "payment",
        ),
        ("残疾人辅助器具需求登记", "Registration of assistive device needs", "public_service"),
    ],
}

# --------------------------------------------------------------------------------------------
# Search keywords: the words citizens type (abbreviations and everyday synonyms)
# --------------------------------------------------------------------------------------------

DOMAIN_KEYWORDS = {
    "social_insurance": "社保 社会保险 人社",
    "medical_insurance": "医保 医疗保险 看病 报销",
    "real_estate": "不动产 房产 房产证 房子",
    "housing_fund": "公积金 住房公积金",
    "tax": "税务 纳税 交税",
    "administrative_approval": "审批 许可 证照",
    "finance": "金融 贷款 缴费",
    "other": "",
}
# Fragments of a name that deserve extra keywords.
NAME_KEYWORDS = [
    ("养老保险", "养老 养老金"),
    ("失业", "失业金"),
    ("工伤", "工伤险"),
    ("社会保障卡", "社保卡"),
    ("医疗保险", "医保"),
    ("生育", "生育险"),
    ("异地就医", "异地医保"),
    ("住房公积金", "公积金"),
    ("提取", "取公积金"),
    ("贷款", "按揭"),
    ("个人所得税", "个税"),
    ("增值税", "增值税 发票"),
    ("发票", "开票"),
    ("营业执照", "执照"),
    ("设立登记", "开公司 注册公司"),
    ("注销", "注销"),
    ("居民身份证", "身份证"),
    ("护照", "出国"),
    ("结婚", "领证"),
    ("不动产", "房产证"),
    ("房屋所有权", "房本 过户"),
    ("转移登记", "过户"),
    ("法律援助", "法援 打官司"),
    ("残疾人", "残联"),
    ("最低生活保障", "低保"),
    ("食品", "餐饮"),
]

# --------------------------------------------------------------------------------------------
# Materials
# --------------------------------------------------------------------------------------------

# name, required, source
COMMON_MATERIALS = {
    "person": [("居民身份证", True, "shared"), ("申请表", True, "applicant")],
    "company": [
        ("营业执照", True, "shared"),
        ("申请书", True, "applicant"),
        ("法定代表人身份证明", True, "shared"),
    ],
}
DOMAIN_MATERIALS: dict[str, list[tuple[str, bool, str]]] = {
    "social_insurance": [
        ("劳动合同", False, "applicant"),
        ("户口簿", False, "shared"),
        ("银行账户信息", True, "applicant"),
        ("参保缴费凭证", False, "shared"),
    ],
    "medical_insurance": [
        ("医疗费用票据", True, "applicant"),
        ("诊断证明", True, "applicant"),
        ("出院小结", False, "applicant"),
        ("社会保障卡", True, "applicant"),
    ],
    "real_estate": [
        ("不动产权属证书", True, "shared"),
        ("不动产买卖合同", True, "applicant"),
        ("完税凭证", True, "shared"),
        ("不动产权籍调查成果", False, "shared"),
    ],
    "housing_fund": [
        ("购房合同", True, "applicant"),
        ("租赁合同", False, "applicant"),
        ("银行卡", True, "applicant"),
        ("婚姻状况证明", False, "shared"),
    ],
    "tax": [
        ("财务会计报表", True, "applicant"),
        ("纳税申报表", True, "applicant"),
        ("相关合同", False, "applicant"),
    ],
    "administrative_approval": [
        ("经营场所证明", True, "applicant"),
        ("专业技术人员资格证书", True, "shared"),
        ("设施设备清单", False, "applicant"),
        ("原许可证书", False, "shared"),
    ],
    "finance": [
        ("经营情况说明", True, "applicant"),
        ("信用报告", False, "shared"),
        ("章程", True, "applicant"),
    ],
    "other": [
        ("户口簿", False, "shared"),
        ("近期免冠照片", True, "applicant"),
        ("证明材料", False, "applicant"),
    ],
}
AGENT_MATERIAL = ("授权委托书", False, "applicant")
COMMITMENT_MATERIAL = "告知承诺书"
COMMITMENT_TEXT = (
    "本人（本单位）承诺所填报的信息真实、准确、完整，已知晓办理“{item}”的条件和要求，"
    "符合上述条件。如有虚假，愿意承担相应的法律责任，并同意有关部门撤销所办事项。"
)

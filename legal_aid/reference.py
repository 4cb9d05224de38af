"""Qingdao's legal-aid centres (1 city + 10 district = 11 centres, 10 branch centres) and the
courts and other bodies that handle cases. Loaded by the demo data and by the tests
(idempotent: ``update_or_create`` on the codes)."""

from __future__ import annotations

from portal.catalogue.models import Department

from .models import Body, BodyKind, Centre, CentreKind

# region code, short name (usernames), Chinese name, English name, address, phone
DISTRICTS: list[tuple[str, str, str, str]] = [
    ("370202", "shinan", "市南区", "Shinan District"),
    ("370203", "shibei", "市北区", "Shibei District"),
    ("370211", "huangdao", "黄岛区", "Huangdao District"),
    ("370212", "laoshan", "崂山区", "Laoshan District"),
    ("370213", "licang", "李沧区", "Licang District"),
    ("370214", "chengyang", "城阳区", "Chengyang District"),
    ("370215", "jimo", "即墨区", "Jimo District"),
    ("370281", "jiaozhou", "胶州市", "Jiaozhou"),
    ("370283", "pingdu", "平度市", "Pingdu"),
    ("370285", "laixi", "莱西市", "Laixi"),
]

ADDRESSES = {
    "370200": "青岛市市南区宁夏路288号",
    "370202": "青岛市市南区南京路8号",
    "370203": "青岛市市北区辽阳西路100号",
    "370211": "青岛市黄岛区长江中路216号",
    "370212": "青岛市崂山区株洲路28号",
    "370213": "青岛市李沧区京口路100号",
    "370214": "青岛市城阳区正阳路200号",
    "370215": "青岛市即墨区蓝鳌路1019号",
    "370281": "胶州市扬州路66号",
    "370283": "平度市红旗路1号",
    "370285": "莱西市烟台路6号",
}

# code suffix, parent region, host kind, Chinese name, English name, region
BRANCHES: list[tuple[str, str, str, str, str, str]] = [
    (
        "B01",
        "370200",
        "中国海洋大学法学院",
        "青岛市法律援助中心中国海洋大学分中心",
        "Qingdao Legal Aid Centre, Ocean University of China branch",
        "370212",
    ),
    (
        "B02",
        "370200",
        "青岛大学法学院",
        "青岛市法律援助中心青岛大学分中心",
        "Qingdao Legal Aid Centre, Qingdao University branch",
        "370202",
    ),
    (
        "B03",
        "370200",
        "青岛市琴岛公证处",
        "青岛市法律援助中心琴岛公证处分中心",
        "Qingdao Legal Aid Centre, Qindao Notary Office branch",
        "370202",
    ),
    (
        "B04",
        "370200",
        "青岛市医疗纠纷人民调解委员会",
        "青岛市法律援助中心医疗纠纷调解分中心",
        "Qingdao Legal Aid Centre, medical dispute mediation branch",
        "370203",
    ),
    (
        "B05",
        "370203",
        "山东德衡律师事务所",
        "市北区法律援助中心德衡律师事务所分中心",
        "Shibei Legal Aid Centre, Deheng law firm branch",
        "370203",
    ),
    (
        "B06",
        "370211",
        "灵山卫街道法律服务所",
        "黄岛区法律援助中心灵山卫法律服务所分中心",
        "Huangdao Legal Aid Centre, Lingshanwei legal service office branch",
        "370211",
    ),
    (
        "B07",
        "370213",
        "李沧区劳动争议调解中心",
        "李沧区法律援助中心劳动争议调解分中心",
        "Licang Legal Aid Centre, labour dispute mediation branch",
        "370213",
    ),
    (
        "B08",
        "370214",
        "山东文康律师事务所",
        "城阳区法律援助中心文康律师事务所分中心",
        "Chengyang Legal Aid Centre, Wenkang law firm branch",
        "370214",
    ),
    (
        "B09",
        "370215",
        "即墨区通济街道法律服务所",
        "即墨区法律援助中心通济法律服务所分中心",
        "Jimo Legal Aid Centre, Tongji legal service office branch",
        "370215",
    ),
    (
        "B10",
        "370281",
        "胶州市公证处",
        "胶州市法律援助中心公证处分中心",
        "Jiaozhou Legal Aid Centre, notary office branch",
        "370281",
    ),
]

BRANCH_USERNAMES = {
    "B01": "ouc",
    "B02": "qdu",
    "B03": "qindao_notary",
    "B04": "medical_mediation",
    "B05": "deheng",
    "B06": "lingshanwei",
    "B07": "licang_labour",
    "B08": "wenkang",
    "B09": "tongji",
    "B10": "jiaozhou_notary",
}


def centre_code(region_code: str) -> str:
    return f"LA{region_code}"


def load() -> dict[str, Centre]:
    """Create or update the 21 centres and the bodies; returns the centres by code."""
    justice = Department.objects.filter(name="青岛市司法局").first()
    centres: dict[str, Centre] = {}
    city, _ = Centre.objects.update_or_create(
        code=centre_code("370200"),
        defaults={
            "name": "青岛市法律援助中心",
            "name_en": "Qingdao Legal Aid Centre",
            "kind": CentreKind.CENTRE,
            "region_id": "370200",
            "parent": None,
            "justice_bureau": "青岛市司法局",
            "department": justice,
            "address": ADDRESSES["370200"],
            "phone": "0532-12348",
        },
    )
    centres[city.code] = city
    for index, (region, _short, zh, en) in enumerate(DISTRICTS, start=1):
        centre, _ = Centre.objects.update_or_create(
            code=centre_code(region),
            defaults={
                "name": f"{zh}法律援助中心",
                "name_en": f"{en} Legal Aid Centre",
                "kind": CentreKind.CENTRE,
                "region_id": region,
                "parent": None,
                "justice_bureau": f"{zh}司法局",
                "department": justice,
                "address": ADDRESSES[region],
                "phone": f"0532-8{index:02d}12348",
            },
        )
        centres[centre.code] = centre
    for suffix, parent_region, host, zh, en, region in BRANCHES:
        parent = centres[centre_code(parent_region)]
        centre, _ = Centre.objects.update_or_create(
            code=f"{centre_code(parent_region)}-{suffix}",
            defaults={
                "name": zh,
                "name_en": en,
                "kind": CentreKind.BRANCH,
                "region_id": region,
                "parent": parent,
                "host": host,
                "justice_bureau": parent.justice_bureau,
                "department": justice,
                "address": ADDRESSES[region],
                "phone": parent.phone,
            },
        )
        centres[centre.code] = centre
    for code, name, name_en, kind, region in bodies():
        Body.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "kind": kind, "region_id": region},
        )
    return centres


def bodies() -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = [
        (
            "C370200",
            "青岛市中级人民法院",
            "Qingdao Intermediate People's Court",
            BodyKind.INTERMEDIATE_COURT,
            "370200",
        ),
        ("CMAR370200", "青岛海事法院", "Qingdao Maritime Court", BodyKind.MARITIME_COURT, "370200"),
        (
            "P370200",
            "青岛市人民检察院",
            "Qingdao People's Procuratorate",
            BodyKind.PROCURATORATE,
            "370200",
        ),
        (
            "ARB370200",
            "青岛仲裁委员会",
            "Qingdao Arbitration Commission",
            BodyKind.ARBITRATION,
            "370200",
        ),
        (
            "LAB370200",
            "青岛市劳动人事争议仲裁院",
            "Qingdao Labour and Personnel Dispute Arbitration Institute",
            BodyKind.LABOUR_ARBITRATION,
            "370200",
        ),
        (
            "MED370200",
            "青岛市医疗纠纷人民调解委员会",
            "Qingdao Medical Dispute People's Mediation Committee",
            BodyKind.MEDIATION,
            "370200",
        ),
        (
            "MEDT370200",
            "青岛市道路交通事故纠纷人民调解委员会",
            "Qingdao Road Traffic Accident Dispute People's Mediation Committee",
            BodyKind.MEDIATION,
            "370200",
        ),
    ]
    for region, _short, zh, en in DISTRICTS:
        rows.append(
            (f"C{region}", f"{zh}人民法院", f"{en} People's Court", BodyKind.BASIC_COURT, region)
        )
        rows.append(
            (
                f"LAB{region}",
                f"{zh}劳动人事争议仲裁委员会",
                f"{en} Labour and Personnel Dispute Arbitration Commission",
                BodyKind.LABOUR_ARBITRATION,
                region,
            )
        )
        rows.append(
            (
                f"MED{region}",
                f"{zh}人民调解委员会",
                f"{en} People's Mediation Committee",
                BodyKind.MEDIATION,
                region,
            )
        )
    return rows

"""Demo data for the catalogue: departments at every level, about 2,500 service items with their
materials, and the four handling lists with a dated history.

Deterministic (one seeded ``random.Random``; everything is computed before the database is
touched) and idempotent (natural keys: department and item codes; materials only for items that
have none; list entries only where the same (list, item, date) is missing). The figures the seeds
give hold exactly: 699 city-wide items, 40 regional, 20 proactive, a town/street list of 57 items
from 8 departments, a village/community list of 23 items from 5 departments, 75 convenience
services and 936 self-service declaration items over the seven domains."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from portal.catalogue import demo_data as D
from portal.catalogue.models import (
    Department,
    DepartmentLevel,
    HandlingList,
    ListEntry,
    ListKind,
    Material,
    Region,
    ServiceItem,
)

SEED = 20201215
QINGDAO = "370200"
DISTRICTS = [
    "370202", "370203", "370211", "370212", "370213",
    "370214", "370215", "370281", "370283", "370285",
]  # fmt: skip
SEVEN_DOMAINS = [
    "social_insurance", "medical_insurance", "real_estate", "housing_fund",
    "tax", "administrative_approval", "finance",
]  # fmt: skip
CITY_WIDE_COUNT = 699
REGIONAL_COUNT = 40
SELF_SERVICE_DECLARATIONS = 936
KIND_ABBR = {
    "licence": "XK",
    "confirmation": "QR",
    "payment": "JF",
    "filing": "BA",
    "public_service": "GG",
    "convenience": "BM",
    "other": "QT",
}

LISTS = {
    ListKind.CITY_WIDE: (
        "全市通办事项清单",
        "City-wide handling list",
        "不受户籍地、居住地限制，可在全市任一受理点或全程网上办理的事项。",
    ),
    ListKind.REGIONAL: (
        "胶东经济圈区域通办事项清单",
        "Jiaodong economic circle regional handling list",
        "青岛、烟台、潍坊、威海、日照五市“一网通办、异地代收、帮办代办”的事项。",
    ),
    ListKind.TOWN: (
        "镇（街道）就近办事项清单",
        "Town/street nearby-handling list",
        "在镇（街道）便民服务中心就近办理的事项。",
    ),
    ListKind.VILLAGE: (
        "村（社区）就近办事项清单",
        "Village/community nearby-handling list",
        "在村（社区）便民服务站就近办理或代办的事项。",
    ),
}

# Batches in which items joined the lists, and the date some were taken off again.
CITY_WIDE_BATCHES = [
    (date(2020, 3, 31), 260, "第一批全市通办事项"),
    (date(2020, 6, 30), 180, "第二批全市通办事项"),
    (date(2020, 9, 30), 120, "第三批全市通办事项"),
    (date(2020, 12, 18), 89, "第四批全市通办事项"),
    (date(2021, 1, 15), 50, "2021年新增全市通办事项"),
]
REGIONAL_BATCHES = [
    (date(2020, 10, 23), 28, "胶东经济圈首批区域通办事项"),
    (date(2021, 1, 20), 12, "胶东经济圈第二批区域通办事项"),
]
NEARBY_BATCHES = [(date(2020, 8, 15), "首批就近办事项"), (date(2021, 2, 1), "新增就近办事项")]
REMOVAL = (date(2021, 3, 1), "事项合并，调出清单")
REMOVAL_REGIONAL = (date(2021, 5, 10), "办理层级调整，调出清单")


@dataclass
class ItemRow:
    code: str
    name: str
    name_en: str
    domain: str
    kind: str
    department: str  # department code
    fields: dict[str, Any] = field(default_factory=dict)
    materials: list[dict[str, Any]] = field(default_factory=list)
    level: str = "city"


class Builder:
    """Computes every row in memory, deterministically."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.departments: list[dict[str, Any]] = []
        self.items: list[ItemRow] = []
        self._seen: set[tuple[str, str]] = set()
        self._serials: dict[str, int] = {}

    # departments ------------------------------------------------------------------------
    def add_department(self, code, name, name_en, region, level, parent="", phone="", address=""):
        self.departments.append(
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "region": region,
                "level": level,
                "parent": parent,
                "phone": phone,
                "address": address,
            }
        )

    def build_departments(self, regions: dict[str, tuple[str, str]]) -> None:
        for i, (abbr, name, name_en, _domain) in enumerate(D.CITY_DEPARTMENTS):
            parent = f"{QINGDAO}-ZRJ" if abbr == "BDC" else ""
            self.add_department(
                f"{QINGDAO}-{abbr}", name, name_en, QINGDAO, DepartmentLevel.CITY, parent,
                phone=f"0532-8{5910000 + i * 1373:07d}",
                address="青岛市市南区香港中路；青岛市民中心（市北区敦化路）政务服务大厅",
            )  # fmt: skip
        for n, region in enumerate(DISTRICTS):
            r_name, r_en = regions[region]
            for i, (abbr, pattern, pattern_en) in enumerate(D.DISTRICT_DEPARTMENTS):
                city_abbr = "WJW" if abbr == "WJJ" else abbr
                self.add_department(
                    f"{region}-{abbr}",
                    pattern.format(r=r_name),
                    pattern_en.format(r=r_en),
                    region,
                    DepartmentLevel.DISTRICT,
                    f"{QINGDAO}-{city_abbr}",
                    phone=f"0532-8{6000000 + n * 97000 + i * 131:07d}",
                    address=f"{r_name}政务服务中心",
                )
        for abbr, name, name_en, parent in D.TOWN_DEPARTMENTS:
            self.add_department(
                f"{QINGDAO}-{abbr}", name, name_en, QINGDAO, DepartmentLevel.TOWN,
                f"{QINGDAO}-{parent}", address="各镇（街道）便民服务中心",
            )  # fmt: skip
        for abbr, name, name_en, parent in D.VILLAGE_DEPARTMENTS:
            self.add_department(
                f"{QINGDAO}-{abbr}", name, name_en, QINGDAO, DepartmentLevel.VILLAGE,
                f"{QINGDAO}-{parent}", address="各村（社区）便民服务站",
            )  # fmt: skip
        for region, name, name_en in D.JIAODONG_BUREAUS:
            self.add_department(
                f"{region}-SPJ", name, name_en, region, DepartmentLevel.CITY,
                address=f"{regions[region][0]}政务服务中心",
            )  # fmt: skip

    # items ------------------------------------------------------------------------------
    def _code(self, dept_code: str, level: str, kind: str) -> str:
        region = dept_code.split("-")[0]
        suffix = {"town": "10", "village": "20"}.get(level, "00")
        prefix = f"{region}{suffix}-{KIND_ABBR[kind]}"
        self._serials[prefix] = self._serials.get(prefix, 0) + 1
        return f"{prefix}-{self._serials[prefix]:04d}"

    def add_item(
        self, name, name_en, kind, domain, dept_code, level="city", **overrides
    ) -> ItemRow | None:
        if (dept_code, name) in self._seen:
            return None
        self._seen.add((dept_code, name))
        row = ItemRow(
            code=self._code(dept_code, level, kind),
            name=name,
            name_en=name_en,
            domain=domain,
            kind=kind,
            department=dept_code,
            level=level,
        )
        row.fields = self._attributes(row)
        row.fields.update(overrides)
        row.materials = self._materials(row)
        self.items.append(row)
        return row

    def _attributes(self, row: ItemRow) -> dict[str, Any]:
        rng = self.rng
        kind, domain, name = row.kind, row.domain, row.name
        if kind == "convenience":
            legal, promised = 1, 0
        elif domain == "real_estate" and "登记" in name:
            legal, promised = 30, rng.choice([1, 3, 3, 5])
        elif kind == "licence":
            legal, promised = 20, rng.choice([3, 5, 5, 7, 10])
        elif kind == "filing":
            legal, promised = 5, rng.choice([0, 1, 1])
        elif kind == "payment":
            legal = rng.choice([20, 30])
            promised = rng.choice([5, 10, 15])
        elif kind == "other":
            legal, promised = 15, 0
        else:
            legal = rng.choice([10, 15, 20, 30])
            promised = rng.choice([0, 1, 3, 5])
        company = kind in ("licence", "filing") and domain in ("administrative_approval", "finance")
        person = domain in (
            "social_insurance",
            "medical_insurance",
            "housing_fund",
        ) or row.level in (
            "town",
            "village",
        )
        applicant = "company" if company else "person" if person else "both"
        fee, fee_note = self._fee(name)
        convenience = kind == "convenience"
        online = convenience or rng.random() < 0.8
        mobile = convenience or (online and rng.random() < 0.55)
        visits = 0 if convenience or (online and rng.random() < 0.68) else 1
        if kind == "licence" and visits and rng.random() < 0.12:
            visits = 2
        decision = kind in ("licence", "filing", "confirmation")
        keywords = " ".join(
            dict.fromkeys(
                (
                    D.DOMAIN_KEYWORDS.get(domain, "")
                    + " "
                    + " ".join(k for frag, k in D.NAME_KEYWORDS if frag in name)
                ).split()
            )
        )
        popularity = int(rng.paretovariate(1.6) * 120) + (400 if convenience else 0)
        return {
            "applicant_kind": applicant,
            "legal_limit_days": legal,
            "promised_limit_days": min(promised, legal),
            "fee": fee,
            "fee_note": fee_note,
            "online": online,
            "service_hall": True if not convenience else rng.random() < 0.6,
            "self_service": convenience,
            "mobile": mobile,
            "visits_required": visits,
            "smart_approval": decision and rng.random() < 0.09,
            "missing_materials_allowed": (not convenience) and rng.random() < 0.11,
            "commitment": (not convenience) and rng.random() < 0.12,
            "keywords": keywords,
            "popularity": popularity,
        }

    @staticmethod
    def _description(row: ItemRow, dept: str) -> str:
        ways = ["政务服务大厅窗口"] if row.fields["service_hall"] else []
        if row.fields["online"]:
            ways.insert(0, "青岛政务服务网")
        if row.fields["mobile"]:
            ways.append("“爱山东·青e办”移动端")
        if row.fields["self_service"]:
            ways.append("自助终端")
        text = f"“{row.name}”由{dept}负责办理，可通过{'、'.join(ways)}申请。"
        if row.fields.get("proactive"):
            text += (
                "本事项实行无感审批：系统发现办理需要后主动推送，"
                "申请人确认即可，无需提交材料、无需跑腿。"
            )
        elif row.fields["visits_required"] == 0:
            text += "全程网办，无需到现场。"
        return text

    @staticmethod
    def _fee(name: str) -> tuple[Decimal, str]:
        if "房屋所有权" in name and ("首次" in name or "转移" in name):
            return Decimal("80.00"), "住宅类每件80元，非住宅类每件550元（含第一本证书工本费）"
        if name.startswith("不动产权证书补发"):
            return Decimal("10.00"), "证书工本费每本10元"
        if "护照" in name:
            return Decimal("120.00"), "普通护照每本120元"
        if "往来港澳" in name:
            return Decimal("60.00"), "往来港澳通行证本式每证60元"
        if name in ("居民身份证换领", "居民身份证补领"):
            return Decimal("20.00"), "居民身份证工本费每证20元"
        if name == "临时居民身份证申领":
            return Decimal("10.00"), "临时居民身份证工本费每证10元"
        if "驾驶证" in name:
            return Decimal("10.00"), "驾驶证工本费每证10元"
        return Decimal("0.00"), "不收费"

    def _materials(self, row: ItemRow) -> list[dict[str, Any]]:
        rng = self.rng
        if row.kind == "convenience":
            first = (
                "社会保障卡" if row.domain in ("social_insurance", "medical_insurance") else None
            )
            name = first or (
                "营业执照" if row.domain == "administrative_approval" else "居民身份证"
            )
            return [{"name": name, "required": True, "source": "applicant", "note": "刷卡或刷脸"}]
        base = D.COMMON_MATERIALS[
            "company" if row.fields["applicant_kind"] == "company" else "person"
        ]
        pool = D.DOMAIN_MATERIALS.get(row.domain, D.DOMAIN_MATERIALS["other"])
        extra = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2, 2, 3])))
        chosen = [*base, *extra]
        if rng.random() < 0.4:
            chosen.append(D.AGENT_MATERIAL)
        materials = [
            {"name": n, "required": req, "source": src, "note": ""} for n, req, src in chosen
        ]
        if row.fields.get("commitment"):
            materials.append(
                {
                    "name": D.COMMITMENT_MATERIAL,
                    "required": True,
                    "source": "commitment",
                    "commitment_text": D.COMMITMENT_TEXT.format(item=row.name),
                    "note": "以承诺代替相关证明",
                }
            )
        return materials

    def build_items(self) -> None:  # noqa: C901 - one recipe per domain, in order
        city = lambda abbr: f"{QINGDAO}-{abbr}"  # noqa: E731
        # City level, by domain.
        for n, en, kind in D._combine(D.SI_OBJECTS, D.SI_ACTIONS) + D.SI_SINGLE:
            domain = "finance" if "贷款" in n else "social_insurance"
            self.add_item(n, en, kind, domain, city("RSJ"))
        for n, en, kind in D._combine(D.MI_OBJECTS, D.MI_ACTIONS) + D.MI_SINGLE:
            self.add_item(n, en, kind, "medical_insurance", city("YBJ"))
        for n, en, kind in D._combine(D.RE_OBJECTS, D.RE_ACTIONS):
            self.add_item(n, en, kind, "real_estate", city("BDC"))
        re_depts = ["ZJJ", "ZJJ", "ZJJ", "ZJJ", "BDC", "BDC", "BDC", "BDC", "ZRJ", "ZRJ", "ZJJ"]
        for (n, en, kind), abbr in zip(D.RE_SINGLE, [*re_depts, "ZJJ"], strict=True):
            self.add_item(n, en, kind, "real_estate", city(abbr))
        hf = list(D.HF_SINGLE) + [
            (f"住房公积金{r}提取", f"Housing fund withdrawal for {r_en}", "public_service")
            for r, r_en in D.HF_WITHDRAWALS
        ]
        for n, en, kind in hf:
            self.add_item(n, en, kind, "housing_fund", city("GJJ"))
        for n, en, kind in D._combine(D.TAX_OBJECTS, D.TAX_ACTIONS) + D.TAX_SINGLE:
            self.add_item(n, en[0].upper() + en[1:], kind, "tax", city("SWJ"))
        for n, en, kind in D._combine(D.AA_OBJECTS, D.AA_ACTIONS):
            self.add_item(n, en, kind, "administrative_approval", city("SPJ"))
        for n, en, kind in D._combine(D.COMPANY_OBJECTS, D.COMPANY_ACTIONS):
            self.add_item(n, en, kind, "administrative_approval", city("SCJ"))
        for n, en, kind in D._combine(D.FIN_OBJECTS, D.FIN_ACTIONS):
            self.add_item(n, en, kind, "finance", city("JRJ"))
        for i, (n, en, kind) in enumerate(D.FIN_SINGLE):
            self.add_item(n, en, kind, "finance", city("CZJ" if i % 2 else "JRJ"))
        for abbr, items in D.OTHER_ITEMS.items():
            for n, en, kind in items:
                self.add_item(n, en, kind, "other", city(abbr))
        # The 75 convenience services and the 20 proactive items.
        assert len(D.CONVENIENCE_ITEMS) == 75
        for n, en, abbr, domain in D.CONVENIENCE_ITEMS:
            self.add_item(n, en, "convenience", domain, city(abbr))
        assert len(D.PROACTIVE_ITEMS) == 20
        for n, en, kind, where in D.PROACTIVE_ITEMS:
            abbr, region = where.split("@")
            self.add_item(
                n, en, kind, "administrative_approval", f"{region}-{abbr}",
                "city" if region == QINGDAO else "district",
                proactive=True, smart_approval=True, online=True, mobile=True,
                visits_required=0, promised_limit_days=1, legal_limit_days=20,
                applicant_kind="company", commitment=False, missing_materials_allowed=False,
            )  # fmt: skip
        # District level: each district's counterparts handle their share.
        company3 = [a for a in D.COMPANY_ACTIONS if a[0] != "备案"]
        scj = [
            ("特种设备使用登记", "Registration of special equipment use", "confirmation"),
            ("食品小作坊登记", "Registration of a small food workshop", "confirmation"),
            ("计量器具强制检定备案", "Filing of compulsory verification of measuring instruments",
             "filing"),
            ("户外广告发布登记", "Registration of outdoor advertising", "confirmation"),
            ("个体工商户年度报告", "Annual report of an individual business", "filing"),
        ]  # fmt: skip
        for region in DISTRICTS:
            d = lambda abbr, region=region: f"{region}-{abbr}"  # noqa: E731
            lv = "district"
            for n, en, kind in D._combine(D.AA_OBJECTS[:10], D.AA_ACTIONS[:3]):
                self.add_item(n, en, kind, "administrative_approval", d("SPJ"), lv)
            for n, en, kind in D._combine(D.COMPANY_OBJECTS, company3):
                self.add_item(n, en, kind, "administrative_approval", d("SPJ"), lv)
            for n, en, kind in D._combine(D.SI_OBJECTS[1:4], D.SI_ACTIONS) + D.SI_SINGLE[:5]:
                self.add_item(n, en, kind, "social_insurance", d("RSJ"), lv)
            for n, en, kind in D._combine(D.MI_OBJECTS[:2], D.MI_ACTIONS) + D.MI_SINGLE[:3]:
                self.add_item(n, en, kind, "medical_insurance", d("YBJ"), lv)
            for n, en, kind in D._combine(D.RE_OBJECTS[1:3], D.RE_ACTIONS):
                self.add_item(n, en, kind, "real_estate", d("BDC"), lv)
            for n, en, kind in hf[2:6] + hf[-12:]:
                self.add_item(n, en, kind, "housing_fund", d("GJJ"), lv)
            taxes = [D.TAX_OBJECTS[i] for i in (0, 2, 4, 5, 7, 8)]
            for n, en, kind in D._combine(taxes, D.TAX_ACTIONS):
                self.add_item(n, en[0].upper() + en[1:], kind, "tax", d("SWJ"), lv)
            for n, en, kind in scj:
                self.add_item(n, en, kind, "administrative_approval", d("SCJ"), lv)
            for n, en, kind in D.OTHER_ITEMS["WJW"][:5]:
                self.add_item(n, en, kind, "other", d("WJJ"), lv)
            for n, en, kind in D.OTHER_ITEMS["MZJ"][:6]:
                self.add_item(n, en, kind, "other", d("MZJ"), lv)
        # Town/street and village/community bodies.
        domain_of = {
            "T01": "social_insurance",
            "T02": "medical_insurance",
            "V01": "social_insurance",
            "V02": "medical_insurance",
            "T08": "real_estate",
        }
        for abbr, items in D.TOWN_ITEMS.items():
            for n, en, kind in items:
                self.add_item(n, en, kind, domain_of.get(abbr, "other"), city(abbr), "town")
        for abbr, items in D.VILLAGE_ITEMS.items():
            for n, en, kind in items:
                self.add_item(n, en, kind, domain_of.get(abbr, "other"), city(abbr), "village")
        # The other Jiaodong cities' approval bureaus: two regional items each.
        for region, _name, _en in D.JIAODONG_BUREAUS:
            self.add_item(
                "食品经营许可证核发", "Issue of the food business licence", "licence",
                "administrative_approval", f"{region}-SPJ",
            )  # fmt: skip
            self.add_item(
                "个体工商户设立登记", "Registration of an individual business", "licence",
                "administrative_approval", f"{region}-SPJ",
            )  # fmt: skip
        proactive = [r for r in self.items if r.fields.get("proactive")]
        assert len(proactive) == 20, "every proactive item needs a name of its own"
        self._self_service()
        self._popular()
        names = {d["code"]: d["name"] for d in self.departments}
        for row in self.items:
            row.fields["description"] = self._description(row, names[row.department])

    def _self_service(self) -> None:
        """Exactly SELF_SERVICE_DECLARATIONS declaration items can be done at a terminal."""
        candidates = [
            r
            for r in self.items
            if r.domain in SEVEN_DOMAINS
            and r.kind != "convenience"
            and r.level in ("city", "district")
            and r.department.startswith("3702")
            and not r.fields.get("proactive")
        ]
        for row in self.rng.sample(candidates, SELF_SERVICE_DECLARATIONS):
            row.fields["self_service"] = True
            row.fields["online"] = True

    def _popular(self) -> None:
        favourites = [
            "社会保险参保证明打印", "住房公积金缴存查询", "不动产登记信息查询打印",
            "社会保障卡申领", "住房公积金租赁住房提取", "异地就医备案", "个人所得税纳税记录打印",
            "居民身份证换领", "个体工商户设立登记", "住房公积金偿还住房贷款提取",
            "有限责任公司设立登记", "职工基本医疗保险零星费用报销",
        ]  # fmt: skip
        rank = {name: i for i, name in enumerate(favourites)}
        for row in self.items:
            if row.name in rank and row.department.startswith(QINGDAO) and row.level == "city":
                row.fields["popularity"] = 50_000 - rank[row.name] * 1_500

    # lists ------------------------------------------------------------------------------
    def build_lists(self) -> dict[str, list[tuple[str, date, date | None, str]]]:
        """(item code, added on, removed on, note) per list kind."""
        rng = self.rng
        lists: dict[str, list[tuple[str, date, date | None, str]]] = {}
        qingdao = [
            r
            for r in self.items
            if r.level in ("city", "district")
            and r.department.startswith("3702")
            and not r.fields.get("proactive")
        ]
        picked = rng.sample(qingdao, CITY_WIDE_COUNT + 21)
        current, removed = picked[:CITY_WIDE_COUNT], picked[CITY_WIDE_COUNT:]
        entries = []
        it = iter(current)
        for day, count, note in CITY_WIDE_BATCHES:
            entries += [(next(it).code, day, None, note) for _ in range(count)]
        for i, row in enumerate(removed):
            day, _count, note = CITY_WIDE_BATCHES[i % 2]
            entries.append((row.code, day, REMOVAL[0], f"{note}；{REMOVAL[1]}"))
        lists[ListKind.CITY_WIDE] = entries

        city_level = sorted(
            (r for r in current if r.level == "city" and r.kind != "convenience"),
            key=lambda r: r.code,
        )
        regional = rng.sample(city_level, REGIONAL_COUNT - 8 + 3)
        others = [r for r in self.items if not r.department.startswith("3702")]
        assert len(others) == 8
        keep, gone = regional[: REGIONAL_COUNT - 8] + others, regional[REGIONAL_COUNT - 8 :]
        entries = []
        it = iter(keep)
        for day, count, note in REGIONAL_BATCHES:
            entries += [(next(it).code, day, None, note) for _ in range(count)]
        for row in gone:
            day, _c, note = REGIONAL_BATCHES[0]
            entries.append((row.code, day, REMOVAL_REGIONAL[0], f"{note}；{REMOVAL_REGIONAL[1]}"))
        lists[ListKind.REGIONAL] = entries

        for kind, level in ((ListKind.TOWN, "town"), (ListKind.VILLAGE, "village")):
            rows = [r for r in self.items if r.level == level]
            entries = []
            for i, row in enumerate(rows):
                day, note = NEARBY_BATCHES[0 if i % 5 else 1]
                entries.append((row.code, day, None, note))
            # Two items that used to be on the nearby lists (now city-level handling).
            for row in rng.sample([r for r in qingdao if r.level == "city"], 2):
                entries.append(
                    (row.code, NEARBY_BATCHES[0][0], REMOVAL[0], "上收至市级办理，调出清单")
                )
            lists[kind] = entries
        return lists


@transaction.atomic
def load(stdout=None) -> None:
    regions = {r.code: (r.name, r.name_en) for r in Region.objects.all()}
    builder = Builder()
    builder.build_departments(regions)
    builder.build_items()
    list_rows = builder.build_lists()

    # Departments: parents first (those without a parent), then the rest.
    existing = set(Department.objects.values_list("code", flat=True))
    for pass_ in (False, True):
        ids = dict(Department.objects.values_list("code", "id"))
        Department.objects.bulk_create(
            [
                Department(
                    code=d["code"], name=d["name"], name_en=d["name_en"],
                    region_id=d["region"], level=d["level"], phone=d["phone"],
                    address=d["address"], parent_id=ids.get(d["parent"]),
                )
                for d in builder.departments
                if bool(d["parent"]) == pass_ and d["code"] not in existing
            ],
            ignore_conflicts=True,
        )  # fmt: skip
    dept_ids = dict(Department.objects.values_list("code", "id"))
    dept_names = dict(Department.objects.values_list("code", "name"))

    items = [
        ServiceItem(
            code=r.code, name=r.name, name_en=r.name_en, domain=r.domain, kind=r.kind,
            department_id=dept_ids[r.department], **r.fields,
        )
        for r in builder.items
    ]  # fmt: skip
    for item, row in zip(items, builder.items, strict=True):
        item.search_text = item.build_search_text(dept_names[row.department])
    ServiceItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=500)
    item_ids = dict(ServiceItem.objects.values_list("code", "id"))

    with_materials = set(Material.objects.values_list("item_id", flat=True).distinct())
    Material.objects.bulk_create(
        [
            Material(item_id=item_ids[r.code], position=pos, **m)
            for r in builder.items
            if item_ids[r.code] not in with_materials
            for pos, m in enumerate(r.materials, start=1)
        ],
        batch_size=1000,
    )

    participating = Region.objects.filter(jiaodong_member=True)
    known = set(ListEntry.objects.values_list("handling_list_id", "item_id", "added_on"))
    new_entries = []
    for kind, (name, name_en, description) in LISTS.items():
        handling_list, _ = HandlingList.objects.update_or_create(
            kind=kind, defaults={"name": name, "name_en": name_en, "description": description}
        )
        if kind == ListKind.REGIONAL:
            handling_list.regions.set(participating)
        for code, added_on, removed_on, note in list_rows[kind]:
            key = (handling_list.id, item_ids[code], added_on)
            if key not in known:
                new_entries.append(
                    ListEntry(
                        handling_list=handling_list, item_id=item_ids[code], added_on=added_on,
                        removed_on=removed_on, note=note,
                    )
                )  # fmt: skip
    ListEntry.objects.bulk_create(new_entries, batch_size=1000)
    if stdout is not None:
        stdout.write(
            f"  catalogue: {len(builder.departments)} departments, {len(builder.items)} items, "
            f"{len(new_entries)} new list entries"
        )

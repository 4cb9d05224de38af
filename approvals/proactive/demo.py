"""Demo data of proactive approvals: a company register, certificates of the 20 pilot items,
rules for all of them, live offers for every item, and a file of licence changes to replay
(``manage.py import_licence_events approvals/proactive/fixtures/demo_licence_events.jsonl``).

Deterministic (seeded) and idempotent: natural keys, known event ids skipped, the expiry scan
never offers twice."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.validators import uscc_check_character

FIXTURE = Path(__file__).parent / "fixtures" / "demo_licence_events.jsonl"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DEMO_USER = ("company_rep", "demo12345", "13953200001")
# Staff of the department that handles the construction company's change item: they review the
# case the representative's confirmation makes (the case workflow's department staff).
DEMO_REVIEWER = ("housing_staff", "赵磊", "13800000301")
REVIEWED_ITEM = "建筑企业资质简单变更"
CONSTRUCTION_COMPANY = "青岛海岳建设工程有限公司"
PILOT_REGIONS = {"370200": ["370200"], "370283": ["370283"], "370285": ["370285"]}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "海峰",
    "秀英",
    "志强",
    "丽娟",
    "国庆",
    "春梅",
    "文博",
    "晓东",
    "海燕",
    "立新",
    "玉兰",
    "明辉",
    "静怡",
    "德胜",
    "红霞",
    "宏伟",
    "雪梅",
    "振华",
    "思远",
]
TRADE_NAMES = [
    "海岳",
    "琴岛",
    "崂峰",
    "胶澳",
    "鲁信",
    "瑞源",
    "恒泰",
    "金海",
    "远洋",
    "宏达",
    "汇通",
    "华岳",
    "德润",
    "东方",
    "青松",
    "鑫源",
    "盛和",
    "嘉禾",
    "正阳",
    "海晟",
    "云帆",
    "泰和",
    "联创",
    "博远",
    "富兴",
    "瑞丰",
    "天成",
    "安泰",
    "长城",
    "明德",
]
STREETS = {
    "370200": [
        "青岛市市南区香港中路",
        "青岛市市北区辽宁路",
        "青岛市崂山区海尔路",
        "青岛市李沧区九水东路",
        "青岛市城阳区正阳路",
    ],
    "370283": ["青岛市平度市红旗路", "青岛市平度市胶平路", "青岛市平度市扬州路"],
    "370285": ["青岛市莱西市烟台路", "青岛市莱西市石岛路", "青岛市莱西市青岛路"],
}
INDUSTRY = {
    "DYFY": "影城有限公司",
    "LXS": "国际旅行社有限公司",
    "YLQX": "医疗器械有限公司",
    "JZZZ": "建设工程有限公司",
    "XDCP": "消毒用品有限公司",
    "MFQY": "职业培训学校",
    "YPJY": "大药房连锁有限公司",
    "RLZY": "人力资源有限公司",
    "LWPQ": "劳务服务有限公司",
    "CBW": "书店有限公司",
    "AQSC": "建筑安装工程有限公司",
    "PWXK": "化工有限公司",
    "SPJY": "餐饮管理有限公司",
    "DLYS": "物流运输有限公司",
    "GGWS": "酒店管理有限公司",
}


def make_uscc(serial: int, region: str, prefix: str = "91") -> str:
    """A valid code: ``prefix`` (91 company, 52 private non-enterprise unit), region, serial."""
    body, n = "", serial
    for _ in range(9):
        body = USCC_ALPHABET[n % 31] + body
        n //= 31
    first17 = f"{prefix}{region}{body}"
    return first17 + uscc_check_character(first17)


def trigger_of(item) -> tuple[str, list[str]]:
    name = item.name
    if "到期" in name or "延续" in name:
        return "expiry", []
    if "法定代表人" in name:
        return "licence_change", ["legal_representative"]
    if "名称" in name:
        return "licence_change", ["name"]
    if "建筑企业资质" in name:
        return "licence_change", ["name", "legal_representative", "address", "shareholders"]
    return "licence_change", ["name", "legal_representative", "address"]


# The rules' notes: the portal's own text comes first and asks whether the holder wants the item
# handled, with the reason and the deadline (wording.py; issue 16 — no more "需同步办理").
MESSAGES = {
    "licence_change": "变更后的新证书快递送达，原证书由快递员上门收回。",
    "expiry": "续期后的新证书快递送达，无需到大厅领取。",
}


# The rule's note after the portal's question (approvals/proactive/wording.py).
PERSON_NOTE = "新证件办结后快递到家，旧证件无需交回。"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(serial: int) -> str:
    return f"139532{serial:05d}"


def replay_events(companies: list[tuple[str, str, str, str]]) -> list[dict]:
    """Licence changes to replay: ``companies`` are (uscc, name, legal rep, address)."""
    rng = random.Random(70)
    events = []
    for n, (uscc, name, rep, address) in enumerate(companies, start=1):
        kind = n % 3
        if kind == 0:
            changes = {"legal_representative": {"old": rep, "new": _person(rng)}}
        elif kind == 1:
            changes = {
                "address": {
                    "old": address,
                    "new": address.rsplit("路", 1)[0] + f"路{rng.randint(1, 300)}号",
                }
            }
        else:
            changes = {"name": {"old": name, "new": name.replace("有限公司", "集团有限公司")}}
        events.append(
            {
                "event_id": f"SCJG-DEMO-R{n:04d}",
                "uscc": uscc,
                "changed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
                "changes": changes,
            }
        )
    return events


def load(stdout=None) -> None:
    from portal.accounts.models import Role, User
    from portal.catalogue.models import Region, ServiceItem

    from . import reference, services
    from .events import parse_batch
    from .models import (
        Certificate,
        CertificateType,
        Company,
        ContactPerson,
        ContactRole,
        Offer,
        OfferStatus,
        ProactiveRule,
        Shareholder,
    )

    # in the catalogue's order before the national codes (ADR 0121): the certificates' numbers
    # (AQSC-2020-00040 ...) stay what they were
    items = list(
        ServiceItem.objects.filter(proactive=True)
        .select_related("department")
        .order_by("former_code", "code")
    )
    if not items:
        if stdout:
            stdout.write("  proactive: no proactive items in the catalogue; skipped")
        return
    # the certificate types are reference data (approvals/proactive/reference/)
    reference.load()
    types = {t.item_id: t for t in CertificateType.objects.filter(item__in=items)}
    # the company pilot; certificates people hold in their own name come from _load_persons
    items = [i for i in items if i.id in types and types[i.id].holder == "company"]
    rng = random.Random(7)
    today = timezone.localdate()
    regions = {r.code: r for r in Region.objects.filter(code__in=["370200", "370283", "370285"])}

    username, password, mobile = DEMO_USER
    rep_user = User.objects.filter(username=username).first()
    if rep_user is None:
        rep_user = User(
            username=username,
            real_name="王建国",
            role=Role.COMPANY_HANDLER,
            mobile=mobile if not User.objects.filter(mobile=mobile).exists() else None,
        )
        rep_user.set_password(password)
        rep_user.save()

    serial = 0
    initial_events: list[dict] = []
    replay_companies: list[tuple[str, str, str, str]] = []
    with transaction.atomic():
        for index, item in enumerate(items):
            ctype = types[item.id]
            code = ctype.code
            trigger, fields = trigger_of(item)
            region_code = item.department.region_id
            if region_code not in regions:
                region_code = "370200"
            rule, _ = ProactiveRule.objects.update_or_create(
                name=f"{item.name}（试点）",
                defaults={
                    "item": item,
                    "trigger": trigger,
                    "fields": fields,
                    "days": 60 if trigger == "expiry" else None,
                    "valid_from": datetime.date(2020, 8, 1),
                    "valid_to": None,
                    "message": MESSAGES[trigger],
                    "response_days": 30,
                    "reminder_after_days": 7,
                    "active": True,
                },
            )
            rule.certificate_types.set([ctype])
            rule.regions.set(PILOT_REGIONS.get(region_code, ["370200"]))

            industry = INDUSTRY.get(code.split("-")[0], "有限公司")
            for k in range(3):
                serial += 1
                trade = TRADE_NAMES[(index * 3 + k) % len(TRADE_NAMES)]
                place = {"370200": "青岛", "370283": "平度", "370285": "莱西"}[region_code]
                name = f"{place}{trade}{industry}"
                if code == "JZZZ" and k == 0:
                    name = CONSTRUCTION_COMPANY
                uscc = make_uscc(
                    7_000_000 + serial, region_code, "52" if code.startswith("MFQY") else "91"
                )
                # Draw every random value whatever exists already, so a second run draws the same.
                rep = "王建国" if name == CONSTRUCTION_COMPANY else _person(rng)
                address = f"{rng.choice(STREETS[region_code])}{rng.randint(1, 300)}号"
                partner, handler = _person(rng), _person(rng)
                grade_pick = rng.random()
                company, created = Company.objects.get_or_create(
                    uscc=uscc,
                    defaults={
                        "name": name,
                        "legal_representative": rep,
                        "address": address,
                        "district": regions[region_code],
                        "type": "non_enterprise" if code.startswith("MFQY") else "limited",
                    },
                )
                if created:
                    Shareholder.objects.bulk_create(
                        [
                            Shareholder(company=company, name=rep, share=60),
                            Shareholder(company=company, name=partner, share=40),
                        ]
                    )
                ContactPerson.objects.get_or_create(
                    company=company,
                    role=ContactRole.LEGAL_REPRESENTATIVE,
                    name=rep,
                    defaults={
                        "mobile": (rep_user.mobile or mobile)
                        if name == CONSTRUCTION_COMPANY
                        else _mobile(serial * 3),
                        "wechat_id": f"wx_demo_{serial:04d}",
                        "user": rep_user if name == CONSTRUCTION_COMPANY else None,
                    },
                )
                ContactPerson.objects.get_or_create(
                    company=company,
                    role=ContactRole.HANDLER,
                    name=handler,
                    defaults={
                        "mobile": _mobile(serial * 3 + 1),
                        "email": f"handler{serial:04d}@example.cn",
                    },
                )
                if k == 0:
                    ContactPerson.objects.get_or_create(
                        company=company,
                        role=ContactRole.AGENT,
                        name="青岛政通代办服务有限公司",
                        defaults={"mobile": _mobile(serial * 3 + 2)},
                    )
                grade_list = ctype.grade_choices
                grade = (
                    "三级"
                    if name == CONSTRUCTION_COMPANY
                    else (grade_list[int(grade_pick * len(grade_list))] if grade_list else "")
                )
                if trigger == "expiry":
                    expires = today + datetime.timedelta(days=[20, 45, 200][k])
                else:
                    expires = today + datetime.timedelta(days=365 + 97 * k)
                issued = expires - datetime.timedelta(days=365 * ctype.validity_years)
                Certificate.objects.get_or_create(
                    number=f"{code}-{2020 + k}-{serial:05d}",
                    defaults={
                        "type": ctype,
                        "grade": grade,
                        "company": company,
                        "issued_on": issued,
                        "expires_on": expires,
                        "particulars": services.company_particulars(company),
                    },
                )
                if trigger == "licence_change":
                    if k == 0:
                        changes = (
                            {
                                "address": {
                                    "old": company.address,
                                    "new": "青岛市崂山区株洲路88号海岳大厦12层",
                                }
                            }
                            if name == CONSTRUCTION_COMPANY
                            else _demo_change(fields, company, rng)
                        )
                        initial_events.append(
                            {
                                "event_id": f"SCJG-DEMO-{serial:04d}",
                                "uscc": uscc,
                                "changed_on": (today - datetime.timedelta(days=2)).isoformat(),
                                "changes": changes,
                            }
                        )
                    else:
                        replay_companies.append(
                            (uscc, company.name, company.legal_representative, company.address)
                        )
        events, bad = parse_batch(initial_events)
        if bad:
            raise RuntimeError(f"the demo's licence events do not parse: {bad}")
        services.ingest_licence_events(events)
        persons = _load_persons(today)
        services.run_expiry_scan()
    # Send what is new now, so the inbox shows it without a worker (idempotent by key).
    created = list(Offer.objects.filter(status=OfferStatus.CREATED).values_list("id", flat=True))
    services.send_offers(created)
    if not FIXTURE.exists():
        write_fixture(replay_companies)
    reviewer = _load_reviewer(items)
    if stdout:
        stdout.write(
            f"  proactive: {Company.objects.count()} companies, {persons} persons, "
            f"{Certificate.objects.count()} "
            f"certificates, {ProactiveRule.objects.count()} rules, {Offer.objects.count()} offers;"
            f" demo company representative: {username} / {password}"
            + (f", its case's reviewer: {reviewer} / {password}" if reviewer else "")
        )


# People holding certificates in their own name (ADR 0111): one for each person-held type, each
# with a certificate expiring soon, so the expiry scan offers the renewal to their own mobile.
# Their claims match the test identity platform's users (tests/servers/oidc/server.js).
DEMO_PERSONS = [
    # type, name, resident ID, mobile, district, address, days to expiry, rule needs the face check
    ("JKZM", "张伟", "370202199001011237", "13800000021", "370202", "市南区香港中路76号", 20, ""),
    (
        "HSZC",
        "李娜",
        "370203198505052341",
        "13800000022",
        "370203",
        "市北区敦化路118号",
        25,
        "face",
    ),
    ("DLCY", "王芳", "370211197803034569", "13800000023", "370211", "黄岛区长江中路216号", 28, ""),
]


def _load_persons(today: datetime.date) -> int:
    """The person register's demo: persons, their certificates and the expiry rules for them."""
    from portal.catalogue.models import Region

    from . import services
    from .models import (
        Certificate,
        CertificateType,
        ContactPerson,
        ContactRole,
        Person,
        ProactiveRule,
    )

    types = {
        t.code: t for t in CertificateType.objects.filter(holder="person").select_related("item")
    }
    qingdao = list(Region.objects.filter(code__startswith="3702"))
    districts = {r.code: r for r in qingdao}
    count = 0
    for code, name, resident_id, mobile, district, address, days, level in DEMO_PERSONS:
        ctype = types.get(code)
        if ctype is None or district not in districts:
            continue
        rule, _ = ProactiveRule.objects.update_or_create(
            name=f"{ctype.item.name}（到期提醒）",
            defaults={
                "item": ctype.item,
                "trigger": "expiry",
                "fields": [],
                "days": 60,
                "valid_from": datetime.date(2020, 8, 1),
                "valid_to": None,
                "message": PERSON_NOTE,
                "identity_level": level,
                "response_days": 30,
                "reminder_after_days": 7,
                "active": True,
            },
        )
        rule.certificate_types.set([ctype])
        rule.regions.set(qingdao)
        person, _ = Person.objects.get_or_create(
            resident_id=resident_id,
            defaults={
                "name": name,
                "mobile": mobile,
                "address": f"山东省青岛市{address}",
                "district": districts[district],
            },
        )
        ContactPerson.objects.get_or_create(
            person=person,
            role=ContactRole.HOLDER,
            defaults={"name": name, "mobile": mobile},
        )
        expires = today + datetime.timedelta(days=days)
        Certificate.objects.get_or_create(
            number=f"{code}-{expires:%Y}-{resident_id[-6:]}",
            defaults={
                "type": ctype,
                "person": person,
                "issued_on": expires - datetime.timedelta(days=365 * ctype.validity_years),
                "expires_on": expires,
                "particulars": services.person_particulars(person),
            },
        )
        count += 1
    return count


def _load_reviewer(items) -> str | None:
    """A department staff account for the item of the representative's offer."""
    from approvals.demo import _user
    from portal.accounts.models import User

    item = next((i for i in items if i.name == REVIEWED_ITEM), None)
    if item is None:
        return None
    username, real_name, mobile = DEMO_REVIEWER
    if User.objects.filter(mobile=mobile).exclude(username=username).exists():
        mobile = None
    return _user(username, real_name, item.department, mobile).username


def _demo_change(fields: list[str], company, rng: random.Random) -> dict:
    field = fields[0] if len(fields) == 1 else rng.choice(fields[:3])
    if field == "legal_representative":
        return {"legal_representative": {"old": company.legal_representative, "new": _person(rng)}}
    if field == "name":
        return {
            "name": {"old": company.name, "new": company.name.replace("有限公司", "股份有限公司")}
        }
    return {
        "address": {
            "old": company.address,
            "new": f"{company.address[:-4]}{rng.randint(301, 600)}号",
        }
    }


def write_fixture(companies: list[tuple[str, str, str, str]]) -> None:
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    with FIXTURE.open("w", encoding="utf-8") as handle:
        for event in replay_events(companies):
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")

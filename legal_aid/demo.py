"""Demo data for legal aid: the 21 centres, the courts and other bodies, staff (one account per
centre, e.g. ``laixi_legal_aid`` / ``demo12345``; bureau officers ``qingdao_bureau`` and
``laixi_bureau``), lawyers, a demo citizen (``legal_aid_citizen`` / ``demo12345``), a year of
applications in every state (dates in the last 12 months) whose totals echo Qingdao's 2020:
about 15,700 applications, about 6,000 of them online, and 12,100 hotline consultations, i.e.
one in ten of the 121,000 calls the 12348 hotline answered in 2020 (a proportionate sample).

Deterministic (``random.Random(2020)``) and idempotent: rows are keyed by natural codes, and the
bulk of applications and consultations is written once (skipped when already there).
"""

from __future__ import annotations

import datetime
import os
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.accounts.models import Role, User
from portal.accounts.roles import sync_user_groups
from portal.catalogue.forms import local_name
from portal.languages import in_each_language
from portal.validators import resident_id_check_character
from portal.workflow import Move, replay

from . import deadlines, reference
from .access import covers
from .models import (
    Body,
    Category,
    Centre,
    Channel,
    Consultation,
    DayKind,
    DutyRota,
    Exemption,
    HardshipStandard,
    HotlineService,
    LawFirm,
    Lawyer,
    LegalAidApplication,
    MatterType,
    ObjectionDecision,
    Outcome,
    ProgressNote,
    RecipientGroup,
    RotaEntry,
    RotaKind,
    Satisfaction,
    Shift,
    StaffMembership,
    StaffRole,
    State,
    Urgency,
    month_of,
)
from .services.submission import recipient_group_of, recipient_of

PASSWORD = "demo12345"
APPLICATIONS = 15_700
ONLINE = 6_000
HOTLINE_APPLICATIONS = 1_300
CONSULTATIONS = 12_100  # 1/10 of the 121,000 calls of 2020


def scaled(count: int) -> int:
    """``count`` times DEMO_SCALE (default 1: the figures of 2020). The suite's set-ups that need
    every kind of record but not the volume (the fuzz run's server, the access matrix's world)
    load a tenth: the bulk legal-aid histories are two thirds of the demo's load time."""
    scale = float(os.environ.get("DEMO_SCALE") or 1)
    return max(1, round(count * scale)) if count else 0


CITIZEN_USERNAME = "legal_aid_citizen"
CITIZEN_MOBILE = "13969000001"
# the branch centres' staff usernames (<name>_legal_aid), by the branch's code suffix
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

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "建国",
    "秀英",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "海燕",
    "志强",
    "晓东",
    "春梅",
    "玉兰",
    "文博",
    "子涵",
    "浩然",
    "雨欣",
    "宏伟",
    "淑珍",
    "国庆",
    "立新",
    "红梅",
    "振华",
    "丹",
]
FIRMS = [
    "山东德衡律师事务所",
    "山东琴岛律师事务所",
    "山东文康律师事务所",
    "北京市中伦（青岛）律师事务所",
    "山东众成清泰（青岛）律师事务所",
    "山东青联律师事务所",
    "山东海治律师事务所",
    "山东华瀚律师事务所",
    "山东求是和信律师事务所",
    "山东明桥律师事务所",
]
OPPONENTS = [
    "青岛某建筑劳务有限公司",
    "青岛某物流有限公司",
    "某保险股份有限公司青岛分公司",
    "青岛某食品有限公司",
    "某房地产开发有限公司",
    "青岛某机械制造有限公司",
    "某出租汽车有限公司",
    "青岛某物业管理有限公司",
]
FACTS = {
    Category.LABOUR: "在工地务工{n}个月，用人单位拖欠工资约{m}元，多次索要未果，请求支付劳动报酬。",
    Category.PERSONAL_INJURY: (
        "{y}年发生交通事故受伤，对方车辆负主要责任，请求赔偿医疗费、误工费等损失。"
    ),
    Category.MAINTENANCE: "离婚后对方未按约定支付子女抚养费，已拖欠{n}个月，请求支付抚养费。",
    Category.SOCIAL_INSURANCE: "用人单位未依法缴纳社会保险，请求补缴并享受相应待遇。",
    Category.STATE_COMPENSATION: "再审改判无罪，请求国家赔偿。",
    Category.PENSION: "家属因公牺牲，请求依法发给抚恤金。",
    Category.CAPACITY: "家人患精神疾病，请求认定为无民事行为能力人并指定监护人。",
    Category.ENVIRONMENT: "附近工厂排放废水污染养殖水域，请求赔偿损失。",
    Category.CRIMINAL: "本人涉嫌刑事案件，经济困难无力委托辩护人，申请法律援助。",
    Category.OTHER: "与对方发生民事纠纷，经济困难，申请法律援助。",
}
CATEGORY_WEIGHTS = [
    (Category.LABOUR, 36),
    (Category.PERSONAL_INJURY, 19),
    (Category.CRIMINAL, 14),
    (Category.MAINTENANCE, 12),
    (Category.SOCIAL_INSURANCE, 6),
    (Category.OTHER, 8),
    (Category.STATE_COMPENSATION, 1),
    (Category.PENSION, 1),
    (Category.CAPACITY, 2),
    (Category.ENVIRONMENT, 1),
]
# weight of each district centre (population and caseload), city centre and branches
REGION_WEIGHTS = {
    "370200": 10,
    "370202": 7,
    "370203": 11,
    "370211": 16,
    "370212": 5,
    "370213": 8,
    "370214": 9,
    "370215": 11,
    "370281": 9,
    "370283": 12,
    "370285": 7,
}
QUESTIONS = {
    Category.LABOUR: (
        "老板拖欠工资三个月了，怎么办？",
        "可向劳动人事争议仲裁委员会申请仲裁，农民工讨薪可申请法律援助，免予核查经济困难状况。",
    ),
    Category.PERSONAL_INJURY: (
        "出了交通事故，保险公司赔得太少怎么办？",
        "可与保险公司协商或提起诉讼，经济困难的可申请法律援助。",
    ),
    Category.MAINTENANCE: (
        "前夫不给孩子抚养费怎么办？",
        "可向法院起诉请求支付抚养费，可申请法律援助。",
    ),
    Category.SOCIAL_INSURANCE: (
        "单位不给交社保怎么办？",
        "可向社会保险经办机构投诉，或申请劳动仲裁。",
    ),
    Category.CRIMINAL: (
        "家人被刑事拘留，请不起律师怎么办？",
        "可向法律援助机构申请，符合条件的指派律师辩护。",
    ),
    Category.OTHER: ("邻居装修损坏我家房屋怎么办？", "可协商或申请人民调解，也可起诉。"),
}


# the groups applicants state (受援人情况), besides the migrant workers claiming wages
RECIPIENT_GROUPS = [
    ("", 86),
    (RecipientGroup.MIGRANT_WORKER, 6),
    (RecipientGroup.DISABLED, 4),
    (RecipientGroup.MILITARY, 2),
    (RecipientGroup.WOMAN_VICTIM, 2),
]


def _resident_id(rng: random.Random, region: str) -> str:
    start = datetime.date(1955, 1, 1)
    born = start + datetime.timedelta(days=rng.randrange(0, 365 * 48))
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + resident_id_check_character(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def _user(username: str, password_hash: str, **fields: Any) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"password": password_hash, **fields}
    )
    if not created:
        changed = [k for k, v in fields.items() if getattr(user, k) != v]
        for key in changed:
            setattr(user, key, fields[key])
        if changed:
            user.save(update_fields=changed)
    return user


def load(stdout=None) -> None:
    started = timezone.now()
    with transaction.atomic():
        centres = reference.load()
        staff, lawyers, citizen = _people(centres)
        _hardship_standards()
    with transaction.atomic():
        made = _applications(centres, staff, lawyers, citizen)
    with transaction.atomic():
        # after the applications: their histories were assigned by hand, before the rotas
        _rotas(centres, lawyers)
    with transaction.atomic():
        calls = _consultations(staff, citizen)
    with transaction.atomic():
        _showcase(citizen, staff)
    with transaction.atomic():
        _portal_citizen(staff)
    if stdout is not None:
        seconds = (timezone.now() - started).total_seconds()
        stdout.write(
            f"  legal aid: {len(centres)} centres, {Body.objects.count()} bodies, "
            f"{Lawyer.objects.count()} lawyers, {made} applications, {calls} consultations "
            f"written ({seconds:.1f} s)"
        )


# Demo figures (ADR 0107): the city's urban minimum living standard (低保) per person per month,
# assumed at 1,100 yuan from July 2023 and 1,160 yuan from July 2024, and a hardship standard of
# twice it; Laixi with an amount of its own, to show that basis. To be replaced by the figures of
# the civil-affairs notices before production.
HARDSHIP_STANDARDS = [
    ("370200", "multiple", None, 1100, "2.00", "2023-07-01", "2024-06-30"),
    ("370200", "multiple", None, 1160, "2.00", "2024-07-01", None),
    ("370285", "amount", 2000, None, None, "2024-01-01", None),
]


def _hardship_standards() -> None:
    for region, basis, amount, minimum, multiple, valid_from, valid_to in HARDSHIP_STANDARDS:
        HardshipStandard.objects.update_or_create(
            region_id=region,
            valid_from=datetime.date.fromisoformat(valid_from),
            defaults={
                "basis": basis,
                "amount": amount,
                "minimum_living_standard": minimum,
                "multiple": Decimal(multiple) if multiple else None,
                "valid_to": datetime.date.fromisoformat(valid_to) if valid_to else None,
                "source": "演示数据（假设值，以民政部门公布的最低生活保障标准为准）",
            },
        )


def _people(centres: dict[str, Centre]):
    rng = random.Random(2020)
    password_hash = make_password(PASSWORD)
    shorts = {
        # a centre's staff are named after its region ("Shinan District": shinan_legal_aid)
        code: centre.region.name_en.split()[0].lower()
        for code, centre in centres.items()
        if centre.kind == "centre"
    }
    for code, centre in centres.items():
        if centre.kind == "branch":
            shorts[code] = BRANCH_USERNAMES[code.rsplit("-", 1)[1]]
    staff: dict[str, User] = {}
    for code, centre in centres.items():
        user = _user(
            f"{shorts[code]}_legal_aid",
            password_hash,
            role=Role.LEGAL_AID_STAFF,
            real_name=f"{centre.name}工作人员",
            is_staff=True,
        )
        sync_user_groups(user)
        StaffMembership.objects.update_or_create(
            user=user, defaults={"centre": centre, "role": StaffRole.STAFF}
        )
        staff[code] = user
    for short, region in (("qingdao", "370200"), ("laixi", "370285")):
        officer = _user(
            f"{short}_bureau",
            password_hash,
            role=Role.LEGAL_AID_STAFF,
            real_name=f"{centres[reference.centre_code(region)].justice_bureau}法律援助管理处",
            is_staff=True,
        )
        sync_user_groups(officer)
        StaffMembership.objects.update_or_create(
            user=officer,
            defaults={"centre": centres[reference.centre_code(region)], "role": StaffRole.BUREAU},
        )
    lawyers: dict[str, list[Lawyer]] = {}
    serial = 0
    for code, centre in centres.items():
        count = 8 if centre.kind == "centre" else 3
        for _ in range(count):
            serial += 1
            licence = f"13702{2005 + serial % 18}1{serial:07d}"[:17]
            Lawyer.objects.update_or_create(
                licence_number=licence,
                defaults={
                    "centre": centre,
                    "name": _name(rng),
                    "firm": centre.host
                    if centre.kind == "branch" and "律师" in centre.host
                    else rng.choice(FIRMS),
                    "phone": f"1390532{serial:04d}",
                    "hotline_duty": serial % 3 == 0,
                },
            )
        lawyers[code] = list(Lawyer.objects.filter(centre=centre).order_by("licence_number"))
    citizen = _user(
        CITIZEN_USERNAME,
        password_hash,
        role=Role.CITIZEN,
        real_name="王建国",
        mobile=CITIZEN_MOBILE,
        resident_id="37020219800101001" + resident_id_check_character("37020219800101001"),
    )
    return staff, lawyers, citizen


LAWYER_USERNAME = "legal_aid_lawyer"
# lawyers who take only some categories (the others take every category)
SPECIALISMS = [
    [Category.LABOUR, Category.PERSONAL_INJURY, Category.SOCIAL_INSURANCE],
    [Category.CRIMINAL],
    [Category.MAINTENANCE, Category.CAPACITY, Category.PENSION],
]


def _rotas(centres: dict[str, Centre], lawyers: dict[str, list[Lawyer]]) -> None:
    """Law firms, each centre's case rota (its lawyers, weight 1) and the city's 12348 rota
    (the hotline lawyers by day on working days, by night, and by day on rest days); the demo
    lawyer's account ``legal_aid_lawyer`` on the city centre's first lawyer."""
    firms = {name: LawFirm.objects.get_or_create(name=name)[0] for name in FIRMS}
    for code, centre in centres.items():
        rota, _created = DutyRota.objects.get_or_create(
            kind=RotaKind.CASES, centre=centre, defaults={"name": f"{centre.name}案件指派值班表"}
        )
        for position, lawyer in enumerate(lawyers[code]):
            changed = False
            if lawyer.firm in firms and lawyer.law_firm_id is None:
                lawyer.law_firm = firms[lawyer.firm]
                changed = True
            if position < len(SPECIALISMS) and not lawyer.categories and centre.kind == "centre":
                lawyer.categories = list(SPECIALISMS[position])
                changed = True
            if changed:
                lawyer.save(update_fields=["law_firm", "categories"])
            RotaEntry.objects.get_or_create(
                rota=rota, lawyer=lawyer, shift="", days="", defaults={"position": position}
            )
    city = centres[reference.centre_code("370200")]
    hotline, _created = DutyRota.objects.get_or_create(
        kind=RotaKind.HOTLINE, centre=city, defaults={"name": "12348公共法律服务热线值班表"}
    )
    on_line = [
        lawyer for code in sorted(lawyers) for lawyer in lawyers[code] if lawyer.hotline_duty
    ]
    slots = [(Shift.DAY, DayKind.WORKING), (Shift.NIGHT, DayKind.ANY), (Shift.DAY, DayKind.REST)]
    for position, lawyer in enumerate(on_line):
        shift, days = slots[position % len(slots)]
        RotaEntry.objects.get_or_create(
            rota=hotline, lawyer=lawyer, shift=shift, days=days, defaults={"position": position}
        )
    first = lawyers[city.code][0]
    account = _user(
        LAWYER_USERNAME,
        make_password(PASSWORD),
        role=Role.CITIZEN,
        real_name=first.name,
    )
    if first.user_id != account.pk:
        Lawyer.objects.filter(user=account).exclude(pk=first.pk).update(user=None)
        first.user = account
        first.hotline_duty = True
        first.save(update_fields=["user", "hotline_duty"])
    RotaEntry.objects.get_or_create(
        rota=hotline, lawyer=first, shift=Shift.DAY, days=DayKind.WORKING, defaults={"position": 0}
    )


def _plan_states(rng: random.Random, age_days: int, urgent: bool) -> str:
    """A plausible state for an application submitted ``age_days`` ago."""
    if age_days <= 2:
        return _weighted(
            rng,
            [
                (State.SUBMITTED, 4),
                (State.FORWARDED, 2),
                (State.UNDER_REVIEW, 4),
                (State.GRANTED, 1 if urgent else 0),
            ],
        )
    if age_days <= 9:
        return _weighted(
            rng,
            [
                (State.UNDER_REVIEW, 3),
                (State.MATERIALS_REQUESTED, 2),
                (State.GRANTED, 2),
                (State.LAWYER_ASSIGNED, 3),
                (State.REFUSED, 1),
                (State.WITHDRAWN, 1),
            ],
        )
    if age_days <= 30:
        return _weighted(
            rng,
            [
                (State.MATERIALS_REQUESTED, 1),
                (State.LAPSED, 1),
                (State.LAWYER_ASSIGNED, 2),
                (State.IN_PROGRESS, 12),
                (State.REFUSED, 1),
                (State.OBJECTION_LODGED, 1),
                (State.WITHDRAWN, 1),
            ],
        )
    if age_days <= 120:
        return _weighted(
            rng,
            [
                (State.IN_PROGRESS, 14),
                (State.CLOSED, 6),
                (State.RATED, 3),
                (State.REFUSED, 1),
                (State.TERMINATED, 1),
                (State.LAPSED, 1),
                (State.OBJECTION_DECIDED, 1),
                (State.WITHDRAWN, 1),
            ],
        )
    return _weighted(
        rng,
        [
            (State.CLOSED, 14),
            (State.RATED, 10),
            (State.IN_PROGRESS, 3),
            (State.REFUSED, 1),
            (State.TERMINATED, 1),
            (State.LAPSED, 1),
            (State.OBJECTION_DECIDED, 1),
            (State.WITHDRAWN, 1),
        ],
    )


# The steps that lead a submitted application to each state (the kernel checks each one).
REVIEW = ["start_review"]
REFUSAL = [*REVIEW, "refuse"]
AIDED = [*REVIEW, "grant", "assign_lawyer", "begin"]
PATHS: dict[str, list[str]] = {
    State.SUBMITTED: [],
    State.FORWARDED: ["forward"],
    State.UNDER_REVIEW: REVIEW,
    State.MATERIALS_REQUESTED: [*REVIEW, "request_materials"],
    State.LAPSED: [*REVIEW, "request_materials", "lapse"],
    State.WITHDRAWN: [*REVIEW, "withdraw"],
    State.GRANTED: [*REVIEW, "grant"],
    State.REFUSED: REFUSAL,
    State.OBJECTION_LODGED: [*REFUSAL, "lodge_objection"],
    State.OBJECTION_DECIDED: [*REFUSAL, "lodge_objection", "decide_objection"],
    State.LAWYER_ASSIGNED: AIDED[:-1],
    State.IN_PROGRESS: AIDED,
    State.TERMINATED: [*AIDED, "terminate"],
    State.CLOSED: [*AIDED, "close"],
    State.RATED: [*AIDED, "close", "rate"],
}


APPLICANT_STEPS = ("withdraw", "lodge_objection", "rate")
UNUSABLE = make_password(None)
# How long after the step before it each step is taken (random within the range).
WAIT = {
    "forward": lambda rng: datetime.timedelta(minutes=5),
    "grant": lambda rng: datetime.timedelta(
        days=rng.randrange(1, 6) + (4 if rng.random() < 0.03 else 0), hours=rng.randrange(0, 8)
    ),
    "assign_lawyer": lambda rng: datetime.timedelta(
        days=rng.randrange(0, 3) + (2 if rng.random() < 0.03 else 0), hours=rng.randrange(1, 8)
    ),
    "close": lambda rng: datetime.timedelta(days=rng.randrange(30, 110)),
    "rate": lambda rng: datetime.timedelta(days=rng.randrange(0, 5)),
}
WAIT["refuse"] = WAIT["grant"]
OUTCOMES = [(Outcome.WON, 5), (Outcome.PARTLY_WON, 3), (Outcome.SETTLED, 4), (Outcome.LOST, 1)]
STEP_INPUTS: dict[str, dict[str, Any]] = {
    "grant": {"reasons": "申请人符合法律援助条件。"},
    "refuse": {"reasons": "申请人家庭经济状况不符合本市经济困难标准。"},
    "request_materials": {
        "items": ["劳动合同或其他能证明劳动关系的材料", "工资欠条或考勤记录"],
        "days": deadlines.MATERIALS_DAYS_MIN,
    },
    "terminate": {"reasons": "受援人自行委托律师。"},
    "lodge_objection": {"text": "本人确属经济困难，请求重新审查。"},
    "decide_objection": {
        "decision": ObjectionDecision.UPHELD,
        "reasons": "经审查，法律援助机构决定正确。",
    },
}


@dataclass
class People:
    """Who takes a demo application's steps."""

    staff: dict[str, User]  # by centre code
    lawyers: dict[str, list[Lawyer]]  # by centre code
    bureaus: list[StaffMembership]


def _submitted(app: LegalAidApplication, people: People) -> Move:
    """The submission record, as submit_application writes it."""
    if app.channel == Channel.ONLINE:
        note = in_each_language(lambda: gettext("Application submitted."))
        return Move("submit", app.submitted_at, app.applicant, note)
    centre = app.accepting_centre or app.competent_centre
    note = in_each_language(
        lambda: (
            gettext("Application recorded at the counter of %(centre)s.")
            % {"centre": local_name(centre)}
        )
    )
    return Move("submit", app.submitted_at, people.staff[centre.code], note)


def _walk(
    rng: random.Random, app: LegalAidApplication, names: list[str], people: People, now
) -> list[Move]:
    """The history that takes ``app`` through the steps ``names``: who takes each, when, with
    what inputs (an urgent grant is an aid-first grant whose review is completed later)."""
    staff = people.staff[app.competent_centre.code]
    moves = [_submitted(app, people)]
    at = app.submitted_at
    latest = now - datetime.timedelta(minutes=1)
    for name in names:
        wait = WAIT.get(name, lambda rng: datetime.timedelta(hours=rng.randrange(1, 30)))
        at = min(at + wait(rng), latest)
        data = dict(STEP_INPUTS.get(name, {}))
        by: User | None = app.applicant if name in APPLICANT_STEPS else staff
        if name == "forward":
            by = None  # the system, at submission
        elif name == "grant" and app.urgency:
            name = "grant_first"
        elif name == "assign_lawyer":
            data["lawyer"] = rng.choice(people.lawyers[app.competent_centre.code])
        elif name == "close":
            data["outcome"] = _weighted(rng, OUTCOMES)
        elif name == "rate":
            data.update(score=rng.choices([5, 4, 3, 2, 1], [70, 18, 6, 4, 2])[0], comment="")
        elif name == "decide_objection":
            bureau = next((b for b in people.bureaus if covers(b, app.competent_centre)), None)
            if bureau is None:  # no bureau officer in the demo for this centre: still pending
                break
            by = bureau.user
        elif name == "lapse":
            due = deadlines.materials_due(moves[-1].at, deadlines.MATERIALS_DAYS_MIN)
            at = max(at, timezone.make_aware(datetime.datetime.combine(due, datetime.time(17))))
            if at >= latest:  # not overdue yet: still waiting for the materials
                break
        moves.append(Move(name, at, by, data=data))
        if name == "grant_first" and at + datetime.timedelta(days=2) < latest:
            at += datetime.timedelta(days=2)
            moves.append(Move("complete_review", at, staff))
    return moves


def build_applications(
    count: int,
    *,
    centres: dict[str, Centre],
    lawyers: dict[str, list[Lawyer]],
    staff: dict[str, User],
    seed: int = 2020,
    online: int = ONLINE,
    hotline: int = HOTLINE_APPLICATIONS,
    prefix: str = "FYDEMO",
    days: int = 365,
    citizen: User | None = None,
) -> tuple[list[LegalAidApplication], list[tuple[int, list[Move]]]]:
    """``count`` unsaved applications, as submitted over the last ``days`` days, and each
    one's history to walk (index, [Move]): :func:`write_applications` saves them and takes
    the histories through the workflow's table. The accounts of online applicants and of
    applicants who act (withdraw, object, rate) are created here, without a password."""
    rng = random.Random(seed)
    now = timezone.now()
    people = People(
        staff,
        lawyers,
        list(StaffMembership.objects.filter(role=StaffRole.BUREAU).select_related("user")),
    )
    due_cache: dict[tuple[str, datetime.date], datetime.date] = {}

    def due(kind: str, when: datetime.datetime) -> datetime.date:
        day = timezone.localtime(when).date()
        key = (kind, day)
        if key not in due_cache:
            due_cache[key] = getattr(deadlines, kind)(day)
        return due_cache[key]

    today = timezone.localdate()
    bodies = {b.code: b for b in Body.objects.select_related("region")}
    centre_list = list(centres.values())
    by_region = {c.region_id: c for c in centre_list if c.kind == "centre"}
    branch_list = [c for c in centre_list if c.kind == "branch"]
    region_pairs = list(REGION_WEIGHTS.items())
    apps: list[LegalAidApplication] = []
    paths: list[list[str]] = []  # each application's steps
    accounts: list[tuple[LegalAidApplication, User]] = []
    for i in range(count):
        age = int(rng.uniform(0, days))
        submitted = now - datetime.timedelta(
            days=age, hours=rng.randrange(0, 9), minutes=rng.randrange(0, 60)
        )
        region = _weighted(rng, region_pairs)
        category = _weighted(rng, CATEGORY_WEIGHTS)
        litigation = category == Category.CRIMINAL or rng.random() < 0.62
        body = None
        place = None
        if litigation:
            if region == "370200":
                body = bodies["C370200"] if rng.random() < 0.85 else bodies["CMAR370200"]
            else:
                body = bodies[f"C{region}"]
        elif category == Category.LABOUR and rng.random() < 0.7:
            body = bodies[f"LAB{region}"]
        else:
            place_region = region
            place = by_region[place_region].region
        competent = by_region["370200" if region == "370200" else region]
        if not litigation and rng.random() < 0.08:
            # a branch centre handles some non-litigation matters (mediation, notary, campus)
            competent = rng.choice(branch_list)
            if place is None and body is None:
                place = competent.region
        if i < online:
            channel, accepting = Channel.ONLINE, None
        elif i < online + hotline:
            channel, accepting = Channel.HOTLINE, None
        else:
            channel = Channel.CENTRE
            accepting = competent if rng.random() < 0.8 else rng.choice(centre_list)
        urgent = rng.random() < 0.04
        state = _plan_states(rng, age, urgent)
        exemption = ""
        if category == Category.LABOUR and rng.random() < 0.6:
            exemption = Exemption.MIGRANT_WORKER_WAGES
        elif rng.random() < 0.12:
            exemption = rng.choice([e for e in Exemption.values if e])
        name = _name(rng)
        decision_due = due("decision_due", submitted)
        resident_id = _resident_id(rng, region if region != "370200" else "370202")
        sex, age_band = recipient_of(resident_id, submitted.date())
        declared = _weighted(rng, RECIPIENT_GROUPS)
        app = LegalAidApplication(
            reference=f"{prefix}{i:06d}",
            applicant=citizen if citizen is not None and i % 2000 == 7 else None,
            applicant_name=name,
            resident_id=resident_id,
            sex=sex,
            age_band=age_band,
            recipient_group=recipient_group_of(declared, exemption),
            phone=f"13{rng.randrange(5, 10)}{rng.randrange(0, 10**8):08d}",
            address="青岛市",
            residence_id=region if region != "370200" else "370202",
            matter_type=MatterType.LITIGATION if litigation else MatterType.NON_LITIGATION,
            category=category,
            opposing_party=rng.choice(OPPONENTS),
            body=body,
            place=place,
            arose_on=(submitted - datetime.timedelta(days=rng.randrange(20, 400))).date(),
            facts=FACTS[category].format(
                n=rng.randrange(2, 13), m=rng.randrange(8, 90) * 1000, y=today.year - 1
            ),
            exemption=exemption,
            hardship_statement=""
            if exemption
            else "家庭收入低于本市最低工资标准，无力支付律师费。",
            household_size=rng.randrange(1, 6),
            monthly_income=rng.randrange(800, 2600),
            commitment_at=submitted,
            urgency=(Urgency.LIMITATION if rng.random() < 0.6 else Urgency.PRESERVATION)
            if urgent
            else "",
            channel=channel,
            accepting_centre=accepting,
            competent_centre=competent,
            routing_reason="",
            routing_reason_en="",
            submitted_at=submitted,
            month=month_of(submitted),
            received_at=submitted,
            decision_due=decision_due,
            state=State.SUBMITTED,
        )
        app._routing_key = (
            app.matter_type,
            body.code if body else None,
            place.code if place else None,
        )
        names = list(PATHS[state])
        if accepting is not None and accepting != competent:
            # handed in elsewhere: the system forwards it at once (as submit_application does)
            names = ["forward", *(n for n in names if n != "forward")]
        elif state == State.FORWARDED:
            names = []
        # online applicants, and anyone who acts (withdraws, objects, rates), have accounts
        if app.applicant is None and (i < online or any(n in APPLICANT_STEPS for n in names)):
            account = User(
                username=f"{prefix.lower()}{i:06d}",
                password=UNUSABLE,
                role=Role.CITIZEN,
                real_name=name,
                resident_id=app.resident_id,
            )
            accounts.append((app, account))
        paths.append(names)
        apps.append(app)
    User.objects.bulk_create([account for _app, account in accounts], batch_size=2000)
    for app, account in accounts:  # (both databases return the new ids)
        app.applicant = account
    walks = [(i, _walk(rng, apps[i], names, people, now)) for i, names in enumerate(paths)]
    _fill_routing(apps, bodies)
    return apps, walks


def _fill_routing(apps: list[LegalAidApplication], bodies: dict[str, Body]) -> None:
    """Routing reasons from the real rule, computed once per distinct (type, body, place)."""
    from portal.catalogue.models import Region

    from .selectors import route

    cache: dict[tuple, Any] = {}
    regions = {r.code: r for r in Region.objects.filter(code__startswith="3702")}
    for app in apps:
        key = app._routing_key
        if key not in cache:
            matter_type, body_code, place_code = key
            cache[key] = route(
                matter_type,
                body=bodies.get(body_code) if body_code else None,
                place=regions.get(place_code) if place_code else None,
            )
        routing = cache[key]
        if app.competent_centre_id != routing.centre.pk:  # a branch took it on
            app.routing_reason = (
                f"{routing.reason_zh}（由{routing.centre.name}指定分中心{app.competent_centre.name}办理）"
            )[:300]
            app.routing_reason_en = (
                f"{routing.reason_en} ({routing.centre.name_en} passed it to its branch "
                f"{app.competent_centre.name_en}.)"
            )[:300]
        else:
            app.routing_reason = routing.reason_zh[:300]
            app.routing_reason_en = routing.reason_en[:300]


def write_applications(apps, walks, batch_size: int = 2000) -> int:
    """Take the applications' histories through the workflow's table and save them in their
    last state (:func:`portal.workflow.replay`: each step checked and its effect run at its
    time). Returns the number of log rows written."""
    return replay(
        "legal_aid",
        [(apps[index], moves) for index, moves in walks],
        insert=True,
        batch_size=batch_size,
    )


def _applications(centres, staff, lawyers, citizen) -> int:
    if LegalAidApplication.objects.filter(reference__startswith="FYDEMO").exists():
        return 0
    apps, walks = build_applications(
        scaled(APPLICATIONS),
        centres=centres,
        lawyers=lawyers,
        staff=staff,
        citizen=citizen,
        online=scaled(ONLINE),
        hotline=scaled(HOTLINE_APPLICATIONS),
    )
    write_applications(apps, walks)
    # progress notes for the demo citizen's cases and a sample of the others (bulk)
    notes = []
    for app in LegalAidApplication.objects.filter(
        reference__startswith="FYDEMO", state__in=[State.IN_PROGRESS, State.CLOSED, State.RATED]
    ).values("pk", "assigned_at")[:3000]:
        at = app["assigned_at"] + datetime.timedelta(days=2)
        notes.append(
            ProgressNote(
                application_id=app["pk"], at=at, text="承办律师已与受援人会见，了解案情并收集证据。"
            )
        )
        notes.append(
            ProgressNote(
                application_id=app["pk"],
                at=at + datetime.timedelta(days=9),
                text="已向办案机关提交相关材料，等待开庭或调解。",
            )
        )
    ProgressNote.objects.bulk_create(notes, batch_size=2000)
    return len(apps)


SERVICE_QUESTIONS = {
    HotlineService.NOTARY: (
        "父亲去世后房产继承需要办理什么公证？",
        "可到房产所在地或被继承人住所地的公证机构申请继承公证，携带死亡证明、亲属关系证明和不动产权证书。",
    ),
    HotlineService.MEDIATION: (
        "邻居装修噪音扰民，能找谁调解？",
        "可向所在社区或街道的人民调解委员会申请调解，调解不收费。",
    ),
    HotlineService.FORENSIC: (
        "交通事故伤残鉴定去哪里做？",
        "可委托登记在册的司法鉴定机构进行伤残等级鉴定，也可在诉讼中申请法院委托鉴定。",
    ),
    HotlineService.ARBITRATION: (
        "合同里约定了仲裁，还能去法院起诉吗？",
        "有效的仲裁协议排除法院管辖，应向约定的仲裁委员会申请仲裁，例如青岛仲裁委员会。",
    ),
    HotlineService.OTHER: (
        "租房押金房东不退怎么办？",
        "可先协商，协商不成可申请人民调解或向人民法院起诉，注意保留租赁合同和付款凭证。",
    ),
}


def _consultations(staff, citizen) -> int:
    if Consultation.objects.filter(reference__startswith="ZXDEMO").exists():
        return 0
    rng = random.Random(12348)
    now = timezone.now()
    handlers = [u.pk for u in staff.values()]
    topics = [
        (Category.LABOUR, 30),
        (Category.PERSONAL_INJURY, 15),
        (Category.MAINTENANCE, 15),
        (Category.SOCIAL_INSURANCE, 10),
        (Category.CRIMINAL, 8),
        (Category.OTHER, 22),
    ]
    rows = []
    services = [
        (HotlineService.LEGAL_AID, 62),
        (HotlineService.NOTARY, 12),
        (HotlineService.MEDIATION, 10),
        (HotlineService.FORENSIC, 5),
        (HotlineService.ARBITRATION, 5),
        (HotlineService.OTHER, 6),
    ]
    for i in range(scaled(CONSULTATIONS)):
        topic = _weighted(rng, topics)
        service = _weighted(rng, services)
        question, answer = QUESTIONS.get(topic, QUESTIONS[Category.OTHER])
        at = now - datetime.timedelta(
            days=int(rng.triangular(0, 365, 120)), minutes=rng.randrange(0, 1440)
        )
        answered = rng.random() < 0.45
        survey = {
            "survey_sent_at": at,
            "survey_score": _weighted(
                rng,
                [
                    (Satisfaction.SATISFIED, 86),
                    (Satisfaction.FAIRLY, 10),
                    (Satisfaction.DISSATISFIED, 4),
                ],
            )
            if answered
            else None,
            "survey_answered_at": at + datetime.timedelta(minutes=20) if answered else None,
        }
        if service != HotlineService.LEGAL_AID:
            topic = ""
            question, answer = SERVICE_QUESTIONS[service]
        rows.append(
            Consultation(
                reference=f"ZXDEMO{i:06d}",
                caller_name=_name(rng) if rng.random() < 0.7 else "",
                caller_phone=f"13{rng.randrange(5, 10)}{rng.randrange(0, 10**8):08d}",
                service=service,
                topic=topic,
                question=question,
                answer=answer,
                duration_seconds=int(rng.gauss(330, 120)) if rng.random() < 0.97 else 1500,
                handled_by_id=rng.choice(handlers),
                handled_at=at,
                month=month_of(at),
                suggest_application=bool(topic) and rng.random() < 0.12,
                **survey,
            )
        )
    # the demo citizen's own call, which can become an application
    rows.append(
        Consultation(
            reference="ZXDEMOCITIZEN",
            caller_name=citizen.real_name,
            caller_phone=citizen.mobile,
            topic=Category.LABOUR,
            question="在莱西的工地干了半年活，老板拖欠工资两万多元，我现在住在市南区，能申请法律援助吗？",
            answer="农民工请求支付劳动报酬可以申请法律援助，免予核查经济困难状况；案件由莱西市人民法院审理的，"
            "由莱西市法律援助中心受理，您也可以在网上或就近的法律援助中心提交申请。",
            duration_seconds=420,
            handled_by_id=handlers[0],
            handled_at=now - datetime.timedelta(days=1),
            month=month_of(now - datetime.timedelta(days=1)),
            suggest_application=True,
        )
    )
    for row in rows:
        row.duration_seconds = max(30, row.duration_seconds)
    Consultation.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    # hotline-channel applications point at a consultation each
    hotline_apps = list(
        LegalAidApplication.objects.filter(reference__startswith="FYDEMO", channel=Channel.HOTLINE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    calls = list(
        Consultation.objects.filter(reference__startswith="ZXDEMO", suggest_application=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pairs = list(zip(hotline_apps, calls, strict=False))
    if pairs:
        from django.db.models import Case, IntegerField, Value, When

        for start in range(0, len(pairs), 500):
            chunk = pairs[start : start + 500]
            LegalAidApplication.objects.filter(pk__in=[a for a, _ in chunk]).update(
                consultation_id=Case(
                    *[When(pk=a, then=Value(c)) for a, c in chunk], output_field=IntegerField()
                )
            )
    return len(rows)


def _showcase(citizen: User, staff: dict[str, User]) -> None:
    """The demo citizen's current application, as in the issue's scenario: wages owed, the case
    before the Laixi court, living in Shinan, applied online; the Laixi centre has asked once
    for a missing document. Made through the services, so it is routed and logged for real."""
    from portal.catalogue.models import Region

    from .services import ApplicationInput, submit_application, take

    if (
        LegalAidApplication.objects.filter(applicant=citizen)
        .exclude(reference__startswith="FYDEMO")
        .exists()
    ):
        return
    app = submit_application(
        ApplicationInput(
            applicant_name=citizen.real_name,
            resident_id=citizen.resident_id,
            phone=citizen.mobile,
            address="青岛市市南区香港中路10号",
            residence=Region.objects.get(code="370202"),
            matter_type=MatterType.LITIGATION,
            category=Category.LABOUR,
            opposing_party="青岛某建筑劳务有限公司",
            body=Body.objects.get(code="C370285"),
            facts="在莱西的工地干了半年活，老板拖欠工资两万三千元，多次讨要未果。",
            exemption=Exemption.MIGRANT_WORKER_WAGES,
            commitment=True,
            consultation=Consultation.objects.filter(reference="ZXDEMOCITIZEN").first(),
        ),
        user=citizen,
    )
    laixi = staff[reference.centre_code("370285")]
    take(app.reference, "start_review", laixi)
    take(
        app.reference,
        "request_materials",
        laixi,
        items=["劳动合同、工作证或其他能证明劳动关系的材料", "工资欠条或考勤记录"],
        days=15,
    )


PORTAL_CITIZEN_CALL = "ZXDEMOPORTAL"
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _portal_citizen(staff: dict[str, User]) -> None:
    """The portal's demo citizen (``citizen``, 赵海燕) called 12348 about unpaid wages before the
    Qingdao intermediate court, the Qingdao centre's staff answered, and she applied online: an
    application of the Qingdao centre (not Laixi's) and a call of hers, for the authorization
    matrix and for trying the pages as that citizen."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .services import ApplicationInput, add_evidence, submit_application

    citizen = User.objects.filter(username="citizen").exclude(mobile=None).first()
    if citizen is None or not citizen.resident_id:
        return
    qingdao = staff[reference.centre_code("370200")]
    if not Consultation.objects.filter(reference=PORTAL_CITIZEN_CALL).exists():
        at = timezone.now() - datetime.timedelta(minutes=10)
        Consultation.objects.create(
            reference=PORTAL_CITIZEN_CALL,
            caller_name=citizen.real_name,
            caller_phone=citizen.mobile,
            topic=Category.LABOUR,
            question="公司拖欠我三个月工资，已经在青岛市中级人民法院起诉，能申请法律援助吗？",
            answer="追索劳动报酬可以申请法律援助；案件由青岛市中级人民法院审理的，由青岛市法律援助中心受理。",
            duration_seconds=360,
            handled_by=qingdao,
            handled_at=at,
            month=month_of(at),
            suggest_application=True,
        )
    if LegalAidApplication.objects.filter(applicant=citizen).exists():
        return
    app = submit_application(
        ApplicationInput(
            applicant_name=citizen.real_name,
            resident_id=citizen.resident_id,
            phone=citizen.mobile,
            address="青岛市市南区东海西路15号",
            residence=None,
            matter_type=MatterType.LITIGATION,
            category=Category.LABOUR,
            opposing_party="青岛某科技有限公司",
            body=Body.objects.get(code="C370200"),
            facts="公司拖欠三个月工资共计一万八千元，已向青岛市中级人民法院起诉。",
            exemption=Exemption.MIGRANT_WORKER_WAGES,
            commitment=True,
            consultation=Consultation.objects.filter(reference=PORTAL_CITIZEN_CALL).first(),
        ),
        user=citizen,
    )
    add_evidence(
        upload=SimpleUploadedFile("工资欠条.pdf", DEMO_PDF, content_type="application/pdf"),
        description="工资欠条",
        user=citizen,
        application=app,
    )

"""Demo data for cases: acceptance points in every Qingdao district and the four other Jiaodong
cities, their staff, and a few hundred cases in every state across departments and channels —
some overdue, some handed between cities, some rated.

Deterministic (``random.Random(SEED)``; dates count back from today) and idempotent: points and
users by natural key; the cases only when no demo case exists yet (demo references use the
numbers 900001 and up, which the daily counter never reaches). Rows are inserted in bulk."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.catalogue.models import Department, ListEntry, Material, Region, ServiceItem
from portal.catalogue.selectors import qingdao_district_codes
from portal.validators import resident_id_check_character, uscc_check_character
from portal.workdays import add_working_days
from portal.workflow import Move, replay

from . import reference
from .models import (
    AcceptancePoint,
    Case,
    CaseMaterial,
    HandOff,
    PointKind,
    PointStaff,
    Status,
)
from .selectors import ONLINE_PLATFORM_CODE, point_in_department_region
from .smart_demo import load_smart_checks
from .workflows import CASE

SEED = 20201224
PASSWORD = "demo12345"
CASE_COUNT = 420
FIRST_DEMO_NUMBER = 900001
COMPANY_NAME = "青岛海晨建设工程有限公司"  # the demo company handler's company
COMPANY_USCC = "91370200MA3C4E5F66"
SAMPLE_FILE = "cases/demo/材料样例.pdf"
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

OTHER_CITIES = {
    "370600": ("烟台市政务服务中心", "Yantai Government Service Centre", "yantai_staff", "孙丽娜"),
    "370700": ("潍坊市政务服务中心", "Weifang Government Service Centre", "weifang_staff", "周涛"),
    "371000": ("威海市政务服务中心", "Weihai Government Service Centre", "weihai_staff", "吴敏"),
    "371100": ("日照市政务服务中心", "Rizhao Government Service Centre", "rizhao_staff", "郑凯"),
}
# district code -> (username, real name) of the staff at its hall, who also review for its
# administrative approval bureau
DISTRICT_STAFF = {
    "370202": ("shinan_staff", "高秀英"),
    "370203": ("shibei_staff", "马骏"),
    "370211": ("huangdao_staff", "林晓东"),
    "370212": ("laoshan_staff", "何静"),
    "370283": ("pingdu_staff", "罗建华"),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国海燕志强晓东雪梅红梅玉兰"
COMPANY_WORDS = ["海晨", "琴岛", "崂峰", "胶州湾", "瑞祥", "鑫源", "汇通", "启航", "蓝海", "金沙滩"]
COMPANY_TRADES = ["建设工程", "食品", "物流", "商贸", "科技", "餐饮管理", "医疗器械", "文化传媒"]
REJECT_REASONS = [
    "申请人提交的经营场所不符合卫生规范要求。",
    "申请事项不属于本机关许可范围，已告知向有权机关申请。",
    "经现场核查，实际情况与申请材料不一致。",
]
REFUSE_REASONS = [
    "申请材料不齐全且申请人无法当场补正。",
    "申请人不具备申请主体资格。",
]
RETURN_REASONS = ["营业场所平面图缺少尺寸标注，请补正。", "身份证明复印件不清晰，请重新上传。"]
COMMENTS = [
    "办事效率高，工作人员很耐心。",
    "全程网办，很方便。",
    "",
    "跨市办理也很顺利。",
    "等待时间有点长。",
]

# The states a demo case ends in, with weights (every state appears).
FINAL_STATES = [
    (Status.SUBMITTED, 8),
    (Status.ACCEPTED, 6),
    (Status.ACCEPTED_WITH_MISSING_MATERIALS, 3),
    (Status.FORWARDED, 4),
    (Status.UNDER_REVIEW, 14),
    (Status.RETURNED_FOR_CORRECTION, 3),
    (Status.APPROVED, 4),
    (Status.REJECTED, 2),
    (Status.RESULT_ISSUED, 4),
    (Status.DELIVERED, 4),
    (Status.CLOSED, 30),
    (Status.WITHDRAWN, 3),
    (Status.REFUSED, 3),
]


def _resident_id(rng: random.Random, region: str) -> str:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 15000))
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + resident_id_check_character(first17)


def _uscc(rng: random.Random, region: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(9))
    first17 = f"91{region}{body}"
    return first17 + uscc_check_character(first17)


def _user(username: str, real_name: str, department: Department | None, mobile: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "role": Role.DEPARTMENT_STAFF,
            "department": department,
            "is_staff": True,
            "mobile": mobile,
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        try:
            from portal.accounts.roles import sync_user_groups

            sync_user_groups(user)
        except ImportError:  # pragma: no cover - accounts without role groups
            pass
    return user


def load_points() -> dict[str, AcceptancePoint]:
    reference.load()  # the online platform
    regions = {r.code: r for r in Region.objects.all()}
    spj = {d.region_id: d for d in Department.objects.filter(code__endswith="-SPJ")}
    rows = [
        (
            "QD-CITY-HALL",
            "青岛市民中心政务服务大厅",
            "Qingdao Citizens' Centre service hall",
            "370200",
            PointKind.SERVICE_HALL,
            "青岛市市南区宁夏路 Qingdao",
        ),
        (
            "QD-SELF-CITY",
            "青岛市民中心自助服务区",
            "Qingdao Citizens' Centre self-service area",
            "370200",
            PointKind.SELF_SERVICE,
            "",
        ),
        (
            "QD-MOBILE",
            "爱山东·青e办",
            "iShandong Qing-e-ban mobile app",
            "370200",
            PointKind.MOBILE,
            "",
        ),
    ]
    for code in qingdao_district_codes():
        if code in regions:
            name = regions[code].name
            rows.append(
                (
                    f"HALL-{code}",
                    f"{name}政务服务大厅",
                    f"{regions[code].name_en} service hall",
                    code,
                    PointKind.SERVICE_HALL,
                    "",
                )
            )
    for code in ("370202", "370211", "370283"):
        if code in regions:
            rows.append(
                (
                    f"SELF-{code}",
                    f"{regions[code].name}政务服务大厅自助服务区",
                    f"{regions[code].name_en} self-service area",
                    code,
                    PointKind.SELF_SERVICE,
                    "",
                )
            )
    for code, (name, name_en, _u, _n) in OTHER_CITIES.items():
        if code in regions:
            rows.append((f"HALL-{code}", name, name_en, code, PointKind.SERVICE_HALL, ""))
    existing = set(AcceptancePoint.objects.values_list("code", flat=True))
    AcceptancePoint.objects.bulk_create(
        [
            AcceptancePoint(
                code=code,
                name=name,
                name_en=name_en,
                region_id=region,
                kind=kind,
                department=spj.get(region),
                address=address,
            )
            for code, name, name_en, region, kind, address in rows
            if code not in existing
        ]
    )
    return {p.code: p for p in AcceptancePoint.objects.select_related("region")}


def load_staff(points: dict[str, AcceptancePoint]) -> dict[str, User]:
    departments = {d.code: d for d in Department.objects.filter(code__endswith="-SPJ")}
    users: dict[str, User] = {}
    plan = [("case_staff", "王志刚", "370200-SPJ", "QD-CITY-HALL", "13800000201")]
    for index, (code, (username, real_name)) in enumerate(DISTRICT_STAFF.items()):
        plan.append((username, real_name, f"{code}-SPJ", f"HALL-{code}", f"138000002{index + 10}"))
    for index, (code, (_n, _e, username, real_name)) in enumerate(OTHER_CITIES.items()):
        plan.append((username, real_name, f"{code}-SPJ", f"HALL-{code}", f"138000002{index + 20}"))
    for username, real_name, department_code, point_code, mobile in plan:
        department = departments.get(department_code)
        point = points.get(point_code)
        if department is None or point is None:
            continue
        user = _user(username, real_name, department, mobile)
        PointStaff.objects.get_or_create(user=user, defaults={"point": point})
        users[username] = user
    # Every point that receives cases has a clerk to accept them (bound to the point alone,
    # no department: they accept, the departments' staff review): the online platform's
    # pre-review desk, the self-service areas' and the other districts' halls.
    staffed = set(PointStaff.objects.values_list("point_id", flat=True))
    for index, point in enumerate(sorted(points.values(), key=lambda p: p.code)):
        if point.pk in staffed:
            continue
        username = "staff_" + point.code.lower().replace("-", "_")
        real_name = SURNAMES[index % len(SURNAMES)] + GIVEN[(3 * index) % len(GIVEN)]
        user = _user(username, real_name, None, f"13800003{index:03d}")
        PointStaff.objects.get_or_create(user=user, defaults={"point": point})
        users[username] = user
    return users


@dataclass
class Plan:
    cases: list[Case] = field(default_factory=list)
    moves: list[list[Move]] = field(default_factory=list)  # per case, its history
    materials: list[list[CaseMaterial]] = field(default_factory=list)


POINT_STEPS = ("accept", "accept_with_missing_materials", "refuse", "forward")
DEPARTMENT_STEPS = (
    "receive",
    "start_review",
    "approve",
    "reject",
    "issue_result",
    "return_for_correction",
)
SYSTEM_STEPS = ("start_review", "approve", "issue_result")  # on a case the system opened
REASONS = {
    "refuse": REFUSE_REASONS,
    "reject": REJECT_REASONS,
    "return_for_correction": RETURN_REASONS,
}


def _move(
    rng: random.Random,
    step: str,
    at: datetime.datetime,
    point_user: User | None,
    dept_user: User | None,
    applicant: User | None,
    opened: bool,
) -> Move:
    """Who takes ``step`` of a demo case, and its reasons; delivery and closing are the
    courier's events (the system); a case the system opened is also reviewed by it."""
    by = None
    if step in POINT_STEPS:
        by = point_user
    elif step in DEPARTMENT_STEPS:
        by = None if opened and step in SYSTEM_STEPS else dept_user
    elif step == "withdraw":
        by = applicant
    data = {"reasons": rng.choice(REASONS[step])} if step in REASONS else {}
    return Move(step, at, by, data=data)


def _path(final: str, forwarded: bool) -> list[str]:
    """The steps that lead a new case to ``final``."""
    return [step for step, _target in _targets(final, forwarded)]


def _targets(final: str, forwarded: bool) -> list[tuple[str, str]]:
    if final == Status.SUBMITTED:
        return []
    if final == Status.REFUSED:
        return [("refuse", Status.REFUSED)]
    if final == Status.ACCEPTED_WITH_MISSING_MATERIALS:
        return [("accept_with_missing_materials", final)]
    steps = [("accept", Status.ACCEPTED)]
    if final == Status.ACCEPTED:
        return steps
    if forwarded:
        steps.append(("forward", Status.FORWARDED))
        if final == Status.FORWARDED:
            return steps
        steps.append(("receive", Status.UNDER_REVIEW))
    else:
        steps.append(("start_review", Status.UNDER_REVIEW))
    if final in (Status.UNDER_REVIEW, Status.FORWARDED):
        return steps
    if final == Status.RETURNED_FOR_CORRECTION:
        return [*steps, ("return_for_correction", final)]
    if final == Status.WITHDRAWN:
        return [*steps, ("withdraw", final)]
    decision = (
        ("reject", Status.REJECTED) if final == Status.REJECTED else ("approve", Status.APPROVED)
    )
    steps.append(decision)
    for action, target in (
        ("issue_result", Status.RESULT_ISSUED),
        ("deliver", Status.DELIVERED),
        ("close", Status.CLOSED),
    ):
        if final in (Status.APPROVED, Status.REJECTED):
            break
        steps.append((action, target))
        if target == final:
            break
    return steps


def plan_cases(
    rng: random.Random,
    points: dict[str, AcceptancePoint],
    staff_by_point: dict[int, User],
    staff_by_department: dict[int, User],
    citizen: User | None,
    company_user: User | None,
    today: datetime.date,
) -> Plan:
    # in the catalogue's order before the national codes (ADR 0121): the seeded draws below, and
    # so the demo's figures, stay what they were
    items = list(
        ServiceItem.objects.filter(department_id__in=list(staff_by_department), is_active=True)
        .select_related("department")
        .order_by("former_code", "code")
    )
    current = ListEntry.objects.filter(removed_on__isnull=True)
    city_wide = set(
        current.filter(handling_list__kind="city_wide").values_list("item_id", flat=True)
    )
    regional_items = list(
        ServiceItem.objects.filter(
            pk__in=current.filter(handling_list__kind="regional").values("item_id"),
            department_id__in=list(staff_by_department),
            is_active=True,
        )
        .select_related("department")
        .order_by("former_code", "code")
    )
    if not items:
        return Plan()
    personal = [i for i in items if i.applicant_kind in ("person", "both")]
    proactive_items = list(
        ServiceItem.objects.filter(
            proactive=True, is_active=True, department_id__in=list(staff_by_department)
        )
        .select_related("department")
        .order_by("former_code", "code")
    )
    materials_by_item: dict[int, list[Material]] = {}
    for material in Material.objects.filter(item__in=[*items, *regional_items]):
        materials_by_item.setdefault(material.item_id, []).append(material)

    online = points[ONLINE_PLATFORM_CODE]
    halls_qd = [p for c, p in points.items() if c.startswith("HALL-3702")] + [
        points["QD-CITY-HALL"]
    ]
    halls_other = [points[f"HALL-{c}"] for c in OTHER_CITIES if f"HALL-{c}" in points]
    self_service = [p for c, p in points.items() if p.kind == PointKind.SELF_SERVICE]
    mobile = points.get("QD-MOBILE")
    states, weights = zip(*FINAL_STATES, strict=True)
    now = timezone.now()
    plan = Plan()
    # The first case is the demo citizen's own, applied online to the city's approval bureau
    # and closed (the case the authorization matrix reads: tests/access/probes_cases.py).
    showcase_item = next(
        (i for i in personal if i.department.code == "370200-SPJ" and i.online),
        None,
    )
    for index in range(CASE_COUNT):
        scenario = rng.random()
        showcase = index == 0 and showcase_item is not None and citizen is not None
        if scenario < 0.12 and regional_items and halls_other:
            item = rng.choice(regional_items)
            point, channel = rng.choice(halls_other), "service_hall"
        elif scenario < 0.35:
            cw = [i for i in items if i.pk in city_wide and i.department.level == "district"]
            item = rng.choice(cw or items)
            candidates = [p for p in halls_qd if not point_in_department_region(p, item.department)]
            point, channel = rng.choice(candidates or halls_qd), "service_hall"
            if rng.random() < 0.3 and item.online:
                channel = "online"  # applied online, to be accepted at that hall
        elif scenario < 0.40 and proactive_items:
            item = rng.choice(proactive_items)
            point, channel = online, "proactive"
        else:
            item = rng.choice(personal if scenario < 0.7 and personal else items)
            roll = rng.random()
            if item.online and roll < 0.45:
                point, channel = online, "online"
            elif item.mobile and mobile and roll < 0.55:
                point, channel = mobile, "mobile"
            elif item.self_service and self_service and roll < 0.65:
                point, channel = rng.choice(self_service), "self_service"
            else:
                home = [
                    p
                    for p in halls_qd
                    if point_in_department_region(p, item.department)
                    and p.kind == PointKind.SERVICE_HALL
                ]
                point, channel = (rng.choice(home) if home else online), "service_hall"
        final = rng.choices(states, weights)[0]
        if showcase:
            item, point, channel, final = showcase_item, online, "online", Status.CLOSED
        forwarded = (
            channel != "proactive"
            and point.kind != PointKind.ONLINE_PLATFORM
            and not point_in_department_region(point, item.department)
        )
        if final == Status.FORWARDED and not forwarded:
            final = Status.UNDER_REVIEW
        item_materials = materials_by_item.get(item.pk, [])
        left_out = next((m for m in item_materials if m.source == "applicant" and m.required), None)
        if final == Status.ACCEPTED_WITH_MISSING_MATERIALS and (
            not item.missing_materials_allowed or left_out is None
        ):
            final = Status.ACCEPTED
        if final != Status.ACCEPTED_WITH_MISSING_MATERIALS:
            left_out = None
        if channel == "proactive" and final in (
            Status.SUBMITTED,
            Status.REFUSED,
            Status.ACCEPTED_WITH_MISSING_MATERIALS,
        ):
            final = Status.CLOSED
        steps = _path(final, forwarded)
        if channel == "proactive":
            steps = steps[1:]  # the system opens it accepted

        # Older cases got further; a few open ones are old enough to be overdue.
        span = len(steps)
        days_ago = rng.randint(1, 4) + span * rng.randint(1, 3)
        if (
            final in (Status.UNDER_REVIEW, Status.ACCEPTED, Status.FORWARDED)
            and rng.random() < 0.35
        ):
            days_ago += item.promised_limit_days + rng.randint(3, 12)  # overdue
        submitted = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 7))

        is_company = not showcase and (
            item.applicant_kind == "company"
            or (item.applicant_kind == "both" and rng.random() < 0.35)
        )
        user = None
        # only the applicant's own account withdraws
        own_account = final == Status.WITHDRAWN or showcase
        if (
            is_company
            and company_user is not None
            and (own_account or channel in ("online", "mobile", "proactive"))
            and (own_account or rng.random() < 0.4)
        ):
            user, name, id_number = company_user, COMPANY_NAME, COMPANY_USCC
        elif is_company:
            name = f"青岛{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"
            id_number = _uscc(
                rng, point.region_id if point.region_id.startswith("3702") else "370200"
            )
        elif citizen is not None and (
            own_account or (channel in ("online", "mobile") and rng.random() < 0.6)
        ):
            user, name, id_number = citizen, citizen.real_name, citizen.resident_id
        else:
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.randint(1, 2))
            )
            id_number = _resident_id(rng, point.region_id)
        if not id_number:
            id_number = _resident_id(rng, "370202")
        if own_account and user is None:  # no account to withdraw with: it stays under review
            steps = steps[:-1]

        opened = channel == "proactive"
        case = Case(
            reference=f"QD{timezone.localtime(submitted):%Y%m%d}-{FIRST_DEMO_NUMBER + index:06d}",
            item=item,
            applicant_kind="company" if is_company else "person",
            applicant_id_number=id_number,
            applicant_name=name,
            applicant_mobile=f"139{rng.randrange(10**8):08d}",
            applicant_user=user,
            channel=channel,
            accepting_point=point,
            department=item.department,
            status=Status.ACCEPTED if opened else Status.SUBMITTED,
            submitted_at=submitted,
        )
        point_user = staff_by_point.get(point.pk)
        dept_user = staff_by_department.get(item.department_id)
        if opened:  # as open_case_on_channel opens it
            case.accepted_on = timezone.localtime(submitted).date()
            case.due_on = add_working_days(case.accepted_on, item.promised_limit_days)
            case.delivery = {"address": "青岛市市南区香港中路 demo", "courier": "EMS"}
            moves = [Move("open", submitted, data={"channel": channel})]
        else:  # as submit_case records it: by the applicant, or by the counter's staff
            by = user if channel != "service_hall" else (user or point_user)
            moves = [Move("submit", submitted, by, role=None if by else "applicant")]
        at = submitted
        for action in steps:
            at = min(
                at + datetime.timedelta(hours=rng.randint(2, 30)),
                now - datetime.timedelta(minutes=5),
            )
            moves.append(_move(rng, action, at, point_user, dept_user, user, opened))
        rows = []
        for material in item_materials:
            if material == left_out:  # the one to follow
                continue
            if material.source == "shared":
                rows.append(
                    CaseMaterial(
                        material=material,
                        name=material.name,
                        kind="shared",
                        shared_record=f"共享数据/{material.name}"[:200],
                    )
                )
            elif material.source == "commitment":
                rows.append(
                    CaseMaterial(
                        material=material,
                        name=material.name,
                        kind="commitment",
                        commitment_text=material.commitment_text
                        or f"本人承诺“{material.name}”真实有效。",
                        committed_at=submitted,
                    )
                )
            elif channel == "service_hall":
                rows.append(CaseMaterial(material=material, name=material.name, kind="paper"))
            elif channel != "proactive":
                rows.append(
                    CaseMaterial(
                        material=material,
                        name=material.name,
                        kind="file",
                        file=SAMPLE_FILE,
                        original_name=f"{material.name}.pdf",
                        content_type="application/pdf",
                        size=len(SAMPLE_PDF),
                    )
                )
        plan.cases.append(case)
        plan.moves.append(moves)
        plan.materials.append(rows)
    return plan


def load_cases(stdout, points, users) -> int:
    if Case.objects.filter(reference__endswith=f"-{FIRST_DEMO_NUMBER:06d}").exists():
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    staff_by_point = dict(
        PointStaff.objects.order_by("user__username").values_list("point_id", "user_id")
    )
    staff_by_department: dict[int, int] = {}
    for user_id, department_id in (
        User.objects.filter(role=Role.DEPARTMENT_STAFF, department__isnull=False)
        .order_by("username")
        .values_list("id", "department_id")
    ):
        staff_by_department.setdefault(department_id, user_id)
    by_id = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[*staff_by_point.values(), *staff_by_department.values()]
        )
    }
    citizen = User.objects.filter(username="citizen").exclude(resident_id="").first()
    company_user = User.objects.filter(username="company").first()
    plan = plan_cases(
        rng,
        points,
        {k: by_id[v] for k, v in staff_by_point.items()},
        {k: by_id[v] for k, v in staff_by_department.items()},
        citizen,
        company_user,
        today,
    )
    if not plan.cases:
        return 0
    if not default_storage.exists(SAMPLE_FILE):
        default_storage.save(SAMPLE_FILE, ContentFile(SAMPLE_PDF))
    with transaction.atomic():
        created = Case.objects.bulk_create(plan.cases, batch_size=500)
        ids = [c.pk for c in created]
        if any(pk is None for pk in ids):  # backends that do not return ids
            by_ref = dict(
                Case.objects.filter(reference__in=[c.reference for c in plan.cases]).values_list(
                    "reference", "pk"
                )
            )
            for c in created:
                c.pk = c.id = by_ref[c.reference]
        materials = []
        for case, rows in zip(created, plan.materials, strict=True):
            for row in rows:
                row.case = case
            materials.extend(rows)
        CaseMaterial.objects.bulk_create(materials, batch_size=1000)
        # their histories, through the workflow's table (the effects run at each step's time)
        logged = replay(CASE, zip(created, plan.moves, strict=True))
        rated = _rate(
            rng, [c for c in created if c.status == Status.CLOSED and c.applicant_user_id]
        )
    from .services import scan_deadlines

    scanned = scan_deadlines(today)
    stdout.write(
        f"  cases: {len(created)} cases, {logged} log entries, "
        f"{HandOff.objects.filter(case__in=created).count()} hand-offs, "
        f"{scanned['marked_overdue']} overdue, {rated} rated"
    )
    return len(created)


def _rate(rng: random.Random, cases: list[Case]) -> int:
    from portal.ratings.services import rate

    chosen = cases[: max(1, len(cases) * 2 // 3)] if cases else []
    for case in chosen:
        score = rng.choices([5, 4, 3, 2, 1], [60, 20, 8, 8, 4])[0]
        rate(
            subject=case,
            user=case.applicant_user,
            score=score,
            comment=rng.choice(COMMENTS),
            department=case.department,
            item=case.item,
        )
    return len(chosen)


def load(stdout) -> None:
    points = load_points()
    users = load_staff(points)
    stdout.write(
        f"  cases: {len(points)} acceptance points; staff (password {PASSWORD}): "
        + ", ".join(sorted(users))
    )
    load_cases(stdout, points, users)
    load_smart_checks(stdout)

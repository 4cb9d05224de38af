"""Demo accounts: an administrator, a citizen and staff of a few city departments.

Runs after the catalogue's demo (departments exist then). Deterministic and idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from portal.languages import in_each_language
from portal.notifications import services as notifications
from portal.validators import resident_id_check_character

from .models import Role, User
from .roles import sync_user_groups

# Departments are looked up by name at run time (the catalogue's demo owns their codes).
STAFF = [
    ("spj_staff", "王晓梅", "13800000101", "青岛市行政审批服务局"),
    ("rsj_staff", "李建国", "13800000102", "青岛市人力资源和社会保障局"),
    ("ybj_staff", "张丽华", "13800000103", "青岛市医疗保障局"),
    ("bdc_staff", "刘海涛", "13800000104", "青岛市不动产登记中心"),
    ("sfj_staff", "陈静", "13800000105", "青岛市司法局"),
]
CITIZEN_PASSWORD = "demo12345"
STAFF_PASSWORD = "demo12345"


def _resident_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


def _upsert(username: str, password: str, **fields) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    else:
        changed = [name for name, value in fields.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, fields[name])
        if changed:
            user.save(update_fields=changed)
    sync_user_groups(user)
    return user, created


def _production() -> bool:
    return not settings.DEBUG and settings.SETTINGS_MODULE.endswith(".production")


@transaction.atomic
def load(stdout) -> None:
    from portal.catalogue.models import Department, DepartmentLevel

    admin, _created = _upsert(
        "admin",
        "admin",
        role=Role.ADMINISTRATOR,
        real_name="系统管理员",
        is_staff=True,
        is_superuser=True,
    )
    if _production():
        # Never leave admin/admin on a production profile: the account exists, unusable.
        if admin.has_usable_password() and admin.check_password("admin"):
            admin.set_unusable_password()
            admin.save(update_fields=["password"])
        stdout.write("  administrator: admin (no password; run `manage.py changepassword admin`)")
    else:
        stdout.write("  administrator: admin / admin (demo only)")

    citizen, _ = _upsert(
        "citizen",
        CITIZEN_PASSWORD,
        role=Role.CITIZEN,
        mobile="13800000001",
        real_name="赵海燕",
        resident_id=_resident_id("37020219880615002"),
        email="zhao.haiyan@example.cn",
    )
    _upsert(
        "company",
        CITIZEN_PASSWORD,
        role=Role.COMPANY_HANDLER,
        mobile="13800000002",
        real_name="孙志强",
        resident_id=_resident_id("37021219790321003"),
    )
    stdout.write(f"  citizen: mobile 13800000001 / {CITIZEN_PASSWORD}")
    welcome_subject, welcome_body = in_each_language(
        lambda: (
            gettext("Welcome to Qingdao Government Services"),
            gettext(
                "Here you can follow your cases, proactive service reminders and the follow-ups "
                "to your ratings."
            ),
        )
    )
    notifications.send(
        channel="inbox",
        recipient=citizen,
        subject=welcome_subject,
        body=welcome_body,
        link="/",
        key="demo:welcome:citizen",
    )

    by_name = {
        d.name: d
        for d in Department.objects.filter(
            level=DepartmentLevel.CITY, name__in=[row[3] for row in STAFF]
        )
    }
    fallback = list(Department.objects.filter(level=DepartmentLevel.CITY).order_by("code")[:5])
    made = []
    for index, (username, real_name, mobile, department_name) in enumerate(STAFF):
        department = by_name.get(department_name) or (
            fallback[index] if index < len(fallback) else None
        )
        if department is None:
            continue
        _upsert(
            username,
            STAFF_PASSWORD,
            role=Role.DEPARTMENT_STAFF,
            department=department,
            mobile=mobile,
            real_name=real_name,
            is_staff=True,
        )
        made.append(f"{username} ({department.name})")
    if made:
        stdout.write(f"  department staff (password {STAFF_PASSWORD}): " + ", ".join(made))

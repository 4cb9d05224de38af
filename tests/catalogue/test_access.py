"""The catalogue's policy in the admin: administrators keep the catalogue and its history shows who
changed a time limit, when, and the old value; department staff change only their own
department's items and cannot move them; names refuse invisible characters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.models import Role
from portal.accounts.services import assign_role
from portal.catalogue import services
from portal.catalogue.models import Department, ServiceItem
from tests.factories import (
    BasicServiceFactory,
    DepartmentFactory,
    ServiceItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def item_form(item: ServiceItem, **changes) -> dict:
    data = {
        field: getattr(item, field)
        for field in (
            "code", "name", "name_en", "domain", "kind", "applicant_kind", "description",
            "keywords", "legal_limit_days", "promised_limit_days", "fee", "fee_note",
            "visits_required", "popularity",
        )
    }  # fmt: skip
    data["department"] = item.department_id
    data["basic"] = item.basic_id
    for flag in ("is_active", "online", "service_hall", "self_service", "mobile"):
        if getattr(item, flag):
            data[flag] = "on"
    for prefix in ("materials", "list_entries"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def user_with(role: str, department: Department | None = None, username: str = "u"):
    user = UserFactory(username=username, real_name="张审核")
    assign_role(user, role, department)
    return user


@pytest.fixture
def item():
    # loaded in bulk like the reference data: no history of its own yet
    department = DepartmentFactory()
    basic = BasicServiceFactory(name="历史事项", domain="tax")
    code = department.credit_code + basic.basic_code
    ServiceItem.objects.bulk_create(
        [
            ServiceItem(
                code=code,
                name="历史事项",
                domain="tax",
                kind="licence",
                department=department,
                legal_limit_days=20,
                promised_limit_days=7,
                basic=basic,
            )
        ]
    )
    return ServiceItem.objects.get(code=code)


def test_time_limit_change_shows_who_when_and_the_old_value(client, item):
    admin = user_with(Role.ADMINISTRATOR, username="city_admin")
    client.force_login(admin)
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = client.post(url, item_form(item, promised_limit_days=3))
    assert response.status_code == 302, response.content.decode()[:2000]

    change = item.history.order_by("-history_date", "-history_id").first()
    assert change.history_type == "~"
    assert change.history_user == admin
    assert change.promised_limit_days == 3
    delta = change.diff_against(change.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("promised_limit_days", 7, 3)]

    page = client.get(reverse("admin:catalogue_serviceitem_history", args=[item.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "city_admin" in text or "张审核" in text
    assert "promised_limit_days" in text or "承诺" in text
    assert "7" in text and "3" in text
    assert change.history_date.strftime("%Y") in text


def test_department_staff_change_only_their_own_items_and_cannot_move_them(client, item):
    own = user_with(Role.DEPARTMENT_STAFF, item.department, username="own")
    other_item = ServiceItemFactory(promised_limit_days=5)
    client.force_login(own)
    code = item.code

    response = client.post(
        reverse("admin:catalogue_serviceitem_change", args=[item.pk]),
        item_form(item, promised_limit_days=4, department=other_item.department_id, code="X-1"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.promised_limit_days, item.code) == (4, code)
    assert item.department_id != other_item.department_id

    response = client.post(
        reverse("admin:catalogue_serviceitem_change", args=[other_item.pk]),
        item_form(other_item, promised_limit_days=1),
    )
    assert response.status_code == 403
    other_item.refresh_from_db()
    assert other_item.promised_limit_days == 5


def test_only_administrators_import_items(client):
    staff = user_with(Role.DEPARTMENT_STAFF, DepartmentFactory(), username="staff")
    client.force_login(staff)
    assert client.get(reverse("admin:catalogue_serviceitem_import")).status_code == 403


def test_import_records_who_changed_the_items(item, tmp_path):
    admin = user_with(Role.ADMINISTRATOR, username="importer")
    path = tmp_path / "items.csv"
    department = item.department
    path.write_text(
        "code,basic,name,domain,kind,department,legal_limit_days,promised_limit_days\n"
        f"{item.code},{item.basic.basic_code},历史事项,tax,licence,{department.code},20,2\n",
        encoding="utf-8",
    )
    result = services.import_items(path, "items.csv", user=admin)
    assert result.ok, result.errors
    change = item.history.order_by("-history_date", "-history_id").first()
    assert change.history_user == admin
    assert change.promised_limit_days == 2
    assert change.prev_record.promised_limit_days == 7


def test_department_names_refuse_invisible_characters(client):
    admin = user_with(Role.ADMINISTRATOR, username="city_admin")
    department = DepartmentFactory()
    client.force_login(admin)
    response = client.post(
        reverse("admin:catalogue_department_change", args=[department.pk]),
        {
            "code": department.code,
            "name": "住建\u202e局",
            "name_en": "",
            "region": department.region_id,
            "level": department.level,
        },
    )
    assert response.status_code == 200
    department.refresh_from_db()
    assert "\u202e" not in department.name

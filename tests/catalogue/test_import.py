"""Import of items from CSV/XLSX: all or nothing, every bad row reported by line and field."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from portal.catalogue.models import ServiceItem
from portal.catalogue.services import import_items
from tests.factories import (
    BasicServiceFactory,
    DepartmentFactory,
    ServiceItemFactory,
    StaffUserFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "code,basic,name,name_en,domain,kind,department,legal_limit_days,promised_limit_days,fee,online"
)
CREDIT = make_uscc(4242, "370200", kind="11")  # the department's credit code


def code(basic: str) -> str:
    """The implementation code of the department's implementation of ``basic``."""
    return f"{CREDIT}{basic},{basic}"


@pytest.fixture
def department():
    department = DepartmentFactory(
        code="370200-SPJ", name="青岛市行政审批服务局", credit_code=CREDIT
    )
    BasicServiceFactory(basic_code="XK00001000", kind="licence")
    for n in range(1, 7):
        BasicServiceFactory(basic_code=f"QT0000{n}000", kind="other")
    return department


def csv_file(*lines: str, name: str = "items.csv") -> io.BytesIO:
    handle = io.BytesIO("\n".join([HEADER, *lines]).encode("utf-8-sig"))
    handle.name = name
    return handle


def test_good_csv_creates_and_updates(department):
    existing = ServiceItemFactory(
        code=f"{CREDIT}QT00001000", name="旧名称", department=department, kind="other"
    )
    result = import_items(
        csv_file(
            f"{code('XK00001000')},食品经营许可证核发,Food licence,administrative_approval,"
            "licence,370200-SPJ,20,5,0,是",
            f"{code('QT00001000')},新名称,,行政审批,其他,370200-SPJ,20,3,10.50,0",
        )
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    created = ServiceItem.objects.get(code=f"{CREDIT}XK00001000")
    assert created.basic.basic_code == "XK00001000"
    assert created.department == department and created.online and created.promised_limit_days == 5
    existing.refresh_from_db()
    assert existing.name == "新名称" and str(existing.fee) == "10.50" and not existing.online


def test_xlsx_with_chinese_headings(department):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["实施编码", "基本编码", "事项名称", "领域", "事项类型", "实施部门编码", "法定时限",
         "承诺时限"]
    )  # fmt: skip
    sheet.append(
        [f"{CREDIT}XK00001000", "XK00001000", "个体工商户设立登记", "administrative_approval",
         "licence", "370200-SPJ", 20, 1]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_items(buffer, "items.xlsx")
    assert result.ok, result.errors
    assert ServiceItem.objects.get(code=f"{CREDIT}XK00001000").legal_limit_days == 20


def test_every_bad_row_is_reported_and_nothing_is_stored(department):
    before = ServiceItem.objects.count()
    result = import_items(
        csv_file(
            f"{code('QT00001000')},有效事项,,tax,other,370200-SPJ,15,0,0,1",  # line 2: valid
            f"{code('QT00002000')},部门不存在,,tax,other,9999-NOPE,15,0,0,1",  # line 3
            f"{code('QT00003000')},领域错误,,astrology,other,370200-SPJ,15,0,0,1",  # line 4
            f"{code('QT00004000')},承诺超时,,tax,other,370200-SPJ,5,10,0,1",  # line 5
            f"{code('QT00001000')},重复编码,,tax,other,370200-SPJ,15,0,0,1",  # line 6
            f"{code('QT00005000')},,,tax,other,370200-SPJ,15,0,-3,maybe",  # line 7
            f"{code('QT00006000')},天数不是数字,,tax,other,370200-SPJ,abc,0,0,1",  # line 8
        )
    )
    assert not result.ok
    found = {(e.line, e.field) for e in result.errors}
    assert found == {
        (3, "department"),
        (4, "domain"),
        (5, "promised_limit_days"),
        (6, "code"),
        (7, "name"),
        (7, "fee"),
        (7, "online"),
        (8, "legal_limit_days"),
    }
    duplicate = next(e for e in result.errors if e.line == 6)
    assert "2" in duplicate.message
    assert ServiceItem.objects.count() == before
    assert not ServiceItem.objects.filter(code=f"{CREDIT}QT00001000").exists()


def test_missing_columns_are_reported_on_line_1(department):
    handle = io.BytesIO(b"code,name\nA,B\n")
    handle.name = "x.csv"
    result = import_items(handle)
    assert {e.field for e in result.errors} >= {"domain", "kind", "department"}
    assert {e.line for e in result.errors} == {1}


def test_empty_and_unreadable_files(department):
    empty = io.BytesIO(b"")
    empty.name = "e.csv"
    assert not import_items(empty).ok
    junk = io.BytesIO(b"PK\x03\x04not really a zip")
    junk.name = "j.xlsx"
    result = import_items(junk)
    assert not result.ok and result.errors[0].line == 1


def test_management_command(department, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + f"\n{code('QT00001000')},命令导入,,tax,other,370200-SPJ,15,0,0,1\n",
        encoding="utf-8",
    )
    call_command("import_items", str(good))
    assert ServiceItem.objects.filter(code=f"{CREDIT}QT00001000").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + f"\n{code('QT00002000')},命令导入,,tax,other,NOPE,15,0,0,1\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("import_items", str(bad))
    assert "NOPE" in capsys.readouterr().err
    assert not ServiceItem.objects.filter(code=f"{CREDIT}QT00002000").exists()


def test_admin_import_view_reports_errors_and_imports(client, department, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-123456-x")
    client.force_login(admin)
    changelist = client.get("/admin/catalogue/serviceitem/").content.decode()
    assert "/admin/catalogue/serviceitem/import/" in changelist
    page = client.get("/admin/catalogue/serviceitem/import/")
    assert page.status_code == 200
    bad = client.post(
        "/admin/catalogue/serviceitem/import/",
        {"file": csv_file(f"{code('QT00001000')},后台导入,,tax,other,NOPE,15,20,0,1")},
    )
    html = bad.content.decode()
    assert bad.status_code == 200
    assert "import-errors" in html and "NOPE" in html and "promised_limit_days" in html
    assert not ServiceItem.objects.filter(code=f"{CREDIT}QT00001000").exists()
    good = client.post(
        "/admin/catalogue/serviceitem/import/",
        {"file": csv_file(f"{code('QT00001000')},后台导入,,tax,other,370200-SPJ,15,2,0,1")},
    )
    assert good.status_code == 302
    assert ServiceItem.objects.filter(code=f"{CREDIT}QT00001000").exists()


def test_staff_without_permission_cannot_import(client, department):
    staff = StaffUserFactory()
    client.force_login(staff)
    response = client.get("/admin/catalogue/serviceitem/import/")
    assert response.status_code == 403

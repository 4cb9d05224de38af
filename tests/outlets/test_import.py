"""Importing a CSV/XLSX of item codes: all or nothing, every bad row named by line."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from outlets import services
from outlets.models import ItemListEntry

from .factories import ManagerFactory, OutletFactory, SelfServiceItemFactory, TerminalFactory, bind

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    outlet = OutletFactory(code="IMP")
    TerminalFactory(outlet=outlet, code="IMP-T1")
    TerminalFactory(outlet=outlet, code="IMP-T2")
    items = [SelfServiceItemFactory(code=f"SS-{n}") for n in range(1, 4)]
    counter = SelfServiceItemFactory(code="COUNTER-1", self_service=False)
    manager = ManagerFactory()
    bind(manager, outlet)
    services.add_item(outlet, items[0], user=manager)
    return outlet, manager, items, counter


def draft_codes(outlet) -> set[str]:
    return set(
        ItemListEntry.objects.filter(version__outlet=outlet, version__status="draft").values_list(
            "item__code", flat=True
        )
    )


BAD_CSV = (
    "事项编码,终端\n"  # line 1: header
    "SS-2,IMP-T1\n"  # line 2: fine
    "NOPE-9\n"  # line 3: unknown
    "SS-2\n"  # line 4: duplicate of line 2
    "COUNTER-1\n"  # line 5: cannot be done at a terminal
    "SS-3,IMP-T9\n"  # line 6: unknown terminal
)


def test_bad_import_changes_nothing_and_names_every_bad_row(client, setting):
    outlet, manager, _items, _counter = setting
    before = draft_codes(outlet)
    client.force_login(manager)
    upload = SimpleUploadedFile("list.csv", BAD_CSV.encode("utf-8"), content_type="text/csv")
    response = client.post(
        reverse("outlets:manage_import", args=[outlet.code]), {"file": upload, "replace": "1"}
    )
    assert response.status_code == 400
    problems = [str(p) for p in response.context["problems"]]
    assert [p.line for p in response.context["problems"]] == [3, 4, 5, 6]
    text = response.content.decode()
    for needle in ("NOPE-9", "SS-2", "COUNTER-1", "IMP-T9"):
        assert needle in text
    assert "第 3 行" in text or "Line 3" in text
    assert len(problems) == 4
    assert draft_codes(outlet) == before


def test_good_csv_replaces_the_draft(setting):
    outlet, manager, _items, _c = setting
    content = b"SS-2,IMP-T1;IMP-T2\nSS-3\n"
    result = services.import_items(outlet, content, "list.csv", user=manager)
    assert result.rows == 2 and result.entries == 2
    assert draft_codes(outlet) == {"SS-2", "SS-3"}
    entry = ItemListEntry.objects.get(version__status="draft", item__code="SS-2")
    assert sorted(t.code for t in entry.terminals.all()) == ["IMP-T1", "IMP-T2"]


def test_add_mode_keeps_the_draft(setting):
    outlet, manager, *_ = setting
    services.import_items(outlet, b"SS-3\n", "list.csv", replace=False, user=manager)
    assert draft_codes(outlet) == {"SS-1", "SS-3"}


def test_xlsx_is_read_too(setting):
    outlet, manager, *_ = setting
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "terminals"])
    sheet.append(["SS-2", "IMP-T2"])
    sheet.append(["SS-3", None])
    buffer = io.BytesIO()
    book.save(buffer)
    services.import_items(outlet, buffer.getvalue(), "list.xlsx", user=manager)
    assert draft_codes(outlet) == {"SS-2", "SS-3"}


def test_bad_xlsx_rows_are_named_by_line(setting):
    outlet, manager, *_ = setting
    book = Workbook()
    book.active.append(["SS-2"])
    book.active.append(["NOPE"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(services.ImportRejected) as caught:
        services.import_items(outlet, buffer.getvalue(), "list.xlsx", user=manager)
    assert [(p.line, "NOPE" in p.message) for p in caught.value.problems] == [(2, True)]


def test_a_refused_file_says_why_and_where(setting):
    """A NUL byte in a cell is not "not UTF-8": the manager is told which line and column."""
    outlet, manager, *_ = setting
    with pytest.raises(services.ImportRejected) as caught:
        services.import_items(outlet, b"SS-2\nSS-3,T\x001\n", "l.csv", user=manager)
    [problem] = caught.value.problems
    assert problem.line == 2
    assert "UTF-8" not in problem.message
    assert not draft_codes(outlet) - {"SS-1"}


def test_gb18030_csv_from_a_chinese_spreadsheet(setting):
    outlet, manager, *_ = setting
    services.import_items(outlet, "事项编码\nSS-3\n".encode("gb18030"), "l.csv", user=manager)
    assert draft_codes(outlet) == {"SS-3"}


def test_other_file_types_are_refused(client, setting):
    outlet, manager, *_ = setting
    client.force_login(manager)
    upload = SimpleUploadedFile("list.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("outlets:manage_import", args=[outlet.code]), {"file": upload, "replace": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_api_import_reports_rows(client, setting):
    outlet, manager, *_ = setting
    client.force_login(manager)
    upload = SimpleUploadedFile("list.csv", BAD_CSV.encode("utf-8"), content_type="text/csv")
    response = client.post(
        f"/api/v1/outlets/{outlet.code}/draft/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    rows = response.json()["errors"]["rows"]
    assert [r["line"] for r in rows] == [3, 4, 5, 6]
    assert draft_codes(outlet) == {"SS-1"}

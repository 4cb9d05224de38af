"""The register import in the admin (issue 16, ADR 0109): an administrator uploads a file, the
import runs in django-q2 (synchronously in tests), and its page shows the outcome, the progress
and the bad rows; other staff do not see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.proactive.models import Company
from approvals.proactive.registers.models import RegisterImport
from portal.accounts.models import Role
from portal.accounts.roles import sync_user_groups
from tests.factories import UserFactory

from .register_files import write_companies

pytestmark = pytest.mark.django_db


def _staff(role: str):
    user = UserFactory(role=role, is_staff=True)
    sync_user_groups(user)
    return user


def _upload(client, path, capture, **extra):
    data = {
        "register": "companies",
        "mode": "full",
        "format": "csv",
        "encoding": "utf-8",
        "file": SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv"),
        **extra,
    }
    with capture(execute=True):  # the task is queued after commit (runs at once in tests)
        return client.post(reverse("admin:proactive_registerimport_add"), data)


def test_an_administrator_uploads_a_register_and_reads_the_outcome(
    client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(_staff(Role.ADMINISTRATOR))
    response = _upload(
        client,
        write_companies(tmp_path / "companies.csv", range(1, 51)),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    record = RegisterImport.objects.get()
    assert (record.status, record.inserted, record.file_name) == ("done", 50, "companies.csv")
    assert Company.objects.count() == 50
    page = client.get(reverse("admin:proactive_registerimport_change", args=[record.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "companies.csv" in text and record.sha256 in text
    listing = client.get(reverse("admin:proactive_registerimport_changelist")).content.decode()
    assert "companies.csv" in listing


def test_the_page_names_the_bad_rows(client, tmp_path, django_capture_on_commit_callbacks):
    def spoil(n: int, row: dict) -> dict:
        if n == 4:
            row["district"] = "999999"
        return row

    client.force_login(_staff(Role.ADMINISTRATOR))
    path = write_companies(tmp_path / "bad.csv", range(1, 11), change=spoil)
    _upload(client, path, django_capture_on_commit_callbacks)
    record = RegisterImport.objects.get()
    assert record.status == "rejected" and Company.objects.count() == 0
    text = client.get(
        reverse("admin:proactive_registerimport_change", args=[record.pk])
    ).content.decode()
    assert "<td>5</td><td>district</td>" in text
    assert "999999" in text


def test_a_wrong_file_is_refused_on_the_form(client, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(_staff(Role.ADMINISTRATOR))
    path = tmp_path / "companies.xlsx"
    path.write_bytes(b"PK\x03\x04")
    response = _upload(client, path, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert not RegisterImport.objects.exists()


def test_other_staff_do_not_see_the_imports(client):
    client.force_login(_staff(Role.DEPARTMENT_STAFF))
    response = client.get(reverse("admin:proactive_registerimport_changelist"))
    assert response.status_code == 403

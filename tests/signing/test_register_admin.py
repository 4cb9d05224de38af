"""The register of issued documents in the admin: administrators read it, nobody edits it, and
other staff do not see it (its policy, portal/signing/access.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.accounts.models import Role
from portal.accounts.roles import sync_user_groups
from portal.signing.models import IssuedDocument
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document() -> IssuedDocument:
    return IssuedDocument.objects.create(
        code="ABCDEFGH2345",
        kind="decision",
        subject="QD20261201-000001",
        authority="dept:370200-SPJ",
        authority_name="青岛市行政审批服务局",
        sha256="0" * 64,
    )


def _staff(role: str):
    user = UserFactory(role=role, is_staff=True)
    sync_user_groups(user)
    return user


def test_administrators_read_the_register_and_cannot_change_it(client):
    document = _document()
    client.force_login(_staff(Role.ADMINISTRATOR))
    listing = client.get(reverse("admin:signing_issueddocument_changelist"))
    assert listing.status_code == 200 and document.code in listing.content.decode()
    change = reverse("admin:signing_issueddocument_change", args=[document.pk])
    client.post(change, {"status": "revoked"})
    document.refresh_from_db()
    assert document.status == "current"
    assert client.get(reverse("admin:signing_issueddocument_add")).status_code == 403


def test_other_staff_do_not_see_the_register(client):
    _document()
    client.force_login(_staff(Role.DEPARTMENT_STAFF))
    response = client.get(reverse("admin:signing_issueddocument_changelist"))
    assert response.status_code == 403

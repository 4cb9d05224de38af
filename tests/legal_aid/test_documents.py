"""The application's PDFs: a page links to those the application has so far, and only those
download; the staff page and the applicant's page agree."""

import pytest
from django.urls import reverse

from legal_aid.services import take

from . import factories as f

pytestmark = pytest.mark.django_db

KINDS = ("receipt", "decision", "assignment")


def _links(client, url_name, app):
    page = client.get(reverse(url_name, args=[app.reference])).content.decode()
    return {
        kind for kind in KINDS if reverse("legal_aid:document", args=[app.reference, kind]) in page
    }


def _downloads(client, app):
    return {
        kind
        for kind in KINDS
        if client.get(reverse("legal_aid:document", args=[app.reference, kind])).status_code == 200
    }


def test_documents_appear_as_the_application_is_decided_and_assigned(
    client, citizen, laixi_staff, laixi_lawyer
):
    app = f.submit(citizen)
    seen = []
    for step, kwargs in (
        (None, {}),
        ("start_review", {}),
        ("grant", {}),
        ("assign_lawyer", {"lawyer": laixi_lawyer}),
    ):
        if step:
            take(app.reference, step, laixi_staff, **kwargs)
        client.force_login(citizen)
        own = _links(client, "legal_aid:application", app)
        assert own == _downloads(client, app)
        client.force_login(laixi_staff)
        assert _links(client, "legal_aid:staff_application", app) == own
        seen.append(own)
    assert seen == [
        {"receipt"},
        {"receipt"},
        {"receipt", "decision"},
        {"receipt", "decision", "assignment"},
    ]

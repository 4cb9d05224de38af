"""The legal-aid letters are sealed by the competent centre; a new decision issues a new letter
and the old one reads as superseded."""

import pytest
from django.urls import reverse

from legal_aid.services import take
from portal.signing import verification
from portal.signing.models import IssuedDocument

from . import factories as f

pytestmark = pytest.mark.django_db


def test_letters_are_sealed_by_the_competent_centre(client, citizen, laixi_staff, laixi_lawyer):
    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    take(app.reference, "grant", laixi_staff)
    take(app.reference, "assign_lawyer", laixi_staff, lawyer=laixi_lawyer)
    app.refresh_from_db()
    client.force_login(citizen)
    for kind in ("receipt", "decision", "assignment"):
        response = client.get(reverse("legal_aid:document", args=[app.reference, kind]))
        assert response.status_code == 200, kind
        verdict = verification.verify_pdf(response.content)
        assert verdict.outcome == "current", kind
        assert verdict.authority == app.competent_centre.name
        document = IssuedDocument.objects.get(kind=f"legal_aid_{kind}", subject=app.reference)
        assert document.authority == f"legal_aid:{app.competent_centre.code}"
        # the letter prints its verification code
        again = client.get(reverse("legal_aid:document", args=[app.reference, kind]))
        assert again.content == response.content

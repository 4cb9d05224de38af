"""The acceptance notice and the decision are sealed by the competent department (not the
website that accepted the case); a signing failure issues nothing and says so to the user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.signing import keys, verification
from portal.signing.models import IssuedDocument

from .test_query_counts import a_busy_case, make_cases

pytestmark = pytest.mark.django_db


def test_notice_and_decision_are_sealed_by_the_department(world, client):
    case = a_busy_case(world)
    client.force_login(world.citizen)
    for url_name, kind in (
        ("approvals:acceptance_notice", "acceptance_notice"),
        ("approvals:decision", "decision"),
    ):
        response = client.get(reverse(url_name, args=[case.reference]))
        assert response.status_code == 200
        verdict = verification.verify_pdf(response.content)
        assert verdict.outcome == "current", kind
        assert verdict.authority == case.department.name
        assert verdict.authority != "青岛市政务服务网"
        document = IssuedDocument.objects.get(kind=kind, subject=case.reference)
        assert document.authority == f"dept:{case.department.code}"
        assert verdict.document == document
    # the case page lists each issued document with its verification code, linked to the check
    page = client.get(case.get_absolute_url()).content.decode()
    for document in IssuedDocument.objects.filter(subject=case.reference):
        assert f'href="{reverse("signing:verify", args=[document.code])}">{document.code}<' in page


def test_a_signing_failure_issues_no_notice_and_says_why(world, client, settings):
    from approvals import services

    case = make_cases(world, 1)[0]
    services.transition(case.pk, "accept", user=world.laoshan_staff)
    settings.SIGNING = {**settings.SIGNING, "DEVELOPMENT_KEYS": False, "AUTHORITIES": {}}
    keys.reset_cache()
    client.force_login(world.citizen)
    try:
        response = client.get(
            reverse("approvals:acceptance_notice", args=[case.reference]), follow=True
        )
    finally:
        keys.reset_cache()
    assert response.redirect_chain[0][0] == case.get_absolute_url()
    assert "配置签章密钥" in response.content.decode()  # No signing key is configured
    assert not IssuedDocument.objects.exists()

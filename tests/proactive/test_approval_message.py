"""The message after staff approve a proactive case says both what they did and what followed at
once: the new certificate was issued (the flash said only "准予许可", issue 14 point 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from approvals import services as cases

from .flow import confirmed_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "已完成：准予许可。新证照已同时签发，办件当前状态为“已出具结果”。"),
        (
            "en",
            "Done: Approve. The new certificate was issued at the same time; the case is now "
            "“Result issued”.",
        ),
    ],
)
def test_approving_a_proactive_case_says_the_certificate_was_issued_too(
    world, market_client, django_capture_on_commit_callbacks, language, expected
):
    offer, case = confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    cases.transition(case.pk, "start_review", user=world.staff)
    staff = Client()
    staff.force_login(world.staff)
    staff.cookies["django_language"] = language
    response = staff.post(
        reverse("approvals:case_action", args=[case.reference, "approve"]), follow=True
    )
    body = response.content.decode()
    assert expected in body
    offer.refresh_from_db()
    assert offer.new_certificate is not None

"""Pages run a fixed number of queries whatever the data size."""

import pytest
from django.urls import reverse

from legal_aid.services import take

from . import factories as f

pytestmark = pytest.mark.django_db


def _many(citizen, n):
    return [f.submit(citizen, phone=f"139690{i:05d}") for i in range(n)]


def test_worklist(client, citizen, laixi_staff, django_assert_max_num_queries):
    _many(citizen, 3)
    client.force_login(laixi_staff)
    # 10: the header's unread-message count, the statistics' version (the worklist's cache key)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("legal_aid:worklist"))
    _many(citizen, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("legal_aid:worklist"), {"overdue": "", "state": "submitted"})
    assert len(response.context["rows"]) == 15


def test_my_applications(client, citizen, django_assert_max_num_queries):
    _many(citizen, 2)
    client.force_login(citizen)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("legal_aid:my_applications"))
    _many(citizen, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("legal_aid:my_applications"))


def test_staff_record(client, citizen, laixi_staff, django_assert_max_num_queries):
    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    client.force_login(laixi_staff)
    with django_assert_max_num_queries(16):
        client.get(reverse("legal_aid:staff_application", args=[app.reference]))


def test_consultations_page(client, laixi_staff, django_assert_max_num_queries):
    from legal_aid.services import record_consultation

    for i in range(30):
        record_consultation(
            caller_name="",
            caller_phone=f"139000{i:05d}",
            topic="labour",
            question="q",
            answer="a",
            duration_seconds=60,
            handled_by=laixi_staff,
        )
    client.force_login(laixi_staff)
    with django_assert_max_num_queries(8):
        client.get(reverse("legal_aid:consultations"))


def test_the_worklist_shows_open_work_by_default(client, citizen, laixi_staff):
    open_app, done = _many(citizen, 2)
    take(done.reference, "withdraw", citizen)
    client.force_login(laixi_staff)
    page = client.get(reverse("legal_aid:worklist")).content.decode()
    assert open_app.reference in page and done.reference not in page
    everything = client.get(reverse("legal_aid:worklist"), {"state": "all"}).content.decode()
    assert done.reference in everything


def test_the_application_pages_do_not_grow_with_its_record(
    client, citizen, laixi_staff, laixi_lawyer, django_assert_max_num_queries
):
    """The applicant's page, the staff record and the API detail: as many queries with many
    events, progress notes and files as with few."""
    from legal_aid.services import add_evidence, add_progress_note

    app = f.submit(citizen)
    for step, kwargs in (
        ("start_review", {}),
        ("grant", {}),
        ("assign_lawyer", {"lawyer": laixi_lawyer}),
    ):
        take(app.reference, step, laixi_staff, **kwargs)
    pages = (
        (citizen, reverse("legal_aid:application", args=[app.reference])),
        (laixi_staff, reverse("legal_aid:staff_application", args=[app.reference])),
        (laixi_staff, f"/api/v1/legal-aid/applications/{app.reference}/"),
    )
    few = []
    for user, url in pages:
        client.force_login(user)
        with django_assert_max_num_queries(16) as captured:
            client.get(url)
        few.append(len(captured.captured_queries))
    for i in range(6):
        add_progress_note(app.reference, laixi_staff, f"第{i}次会见当事人")
        add_evidence(upload=f.pdf_upload(), description="证据", user=citizen, application=app)
    for (user, url), allowed in zip(pages, few, strict=True):
        client.force_login(user)
        with django_assert_max_num_queries(allowed):
            assert client.get(url).status_code == 200

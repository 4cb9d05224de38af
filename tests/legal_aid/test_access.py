"""Issue 11 (authorization) in legal aid: the policies of ``legal_aid.access`` on every channel,
no names in URLs, one application per draft or walk-in form, history and visible names."""

from __future__ import annotations

import copy
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from legal_aid import services
from legal_aid.models import (
    AccessLog,
    Centre,
    LegalAidApplication,
    StaffMembership,
)
from portal.access import policy_for, visible
from portal.accounts.models import Role
from portal.accounts.roles import sync_user_groups
from portal.models import PersonalDataView
from tests.factories import UserFactory, make_resident_id

from . import factories as f

pytestmark = pytest.mark.django_db


def _admin_user(user):
    """Give a legal-aid staff account the admin access its role brings (group, is_staff)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    sync_user_groups(user)
    return user


@pytest.fixture
def apps(citizen):
    """One application of each of the Laixi and the Shinan centres."""
    laixi = f.submit(citizen)
    shinan = f.submit(citizen, body=f.body("C370202"), phone="13969005555")
    return laixi, shinan


# ---- the policy: one rule, two forms that agree -------------------------------------------


def test_the_set_and_the_predicate_agree(apps, citizen, laixi_staff, shinan_staff, laixi_bureau):
    qingdao_bureau = f.staff_user("370200", role="bureau", username="qd_bureau")
    stranger = UserFactory(username="stranger")
    admin = UserFactory(username="la_admin", role=Role.ADMINISTRATOR)
    policy = policy_for(LegalAidApplication)
    for user in (citizen, laixi_staff, shinan_staff, laixi_bureau, qingdao_bureau, stranger, admin):
        in_set = set(visible(user, LegalAidApplication).values_list("pk", flat=True))
        for app in LegalAidApplication.objects.select_related(
            "competent_centre", "accepting_centre"
        ):
            assert policy.can_view(user, app) == (app.pk in in_set), (user.username, app)
    laixi, shinan = apps
    assert policy.can_view(laixi_staff, laixi) and not policy.can_view(laixi_staff, shinan)
    assert not policy.can_view(qingdao_bureau, laixi)  # not one of its centres


def test_pages_api_pdf_and_files_follow_the_policy(client, apps, laixi_staff, shinan_staff):
    laixi, shinan = apps
    services.add_evidence(
        upload=f.pdf_upload(), description="欠条", user=laixi.applicant, application=laixi
    )
    evidence = laixi.evidence.get()
    client.force_login(shinan_staff)
    assert (
        client.get(reverse("legal_aid:staff_application", args=[laixi.reference])).status_code
        == 404
    )
    assert client.get(f"/api/v1/legal-aid/applications/{laixi.reference}/").status_code == 404
    assert (
        client.get(reverse("legal_aid:document", args=[laixi.reference, "receipt"])).status_code
        == 404
    )
    assert client.get(reverse("legal_aid:evidence_file", args=[evidence.pk])).status_code == 404
    worklist = client.get(reverse("legal_aid:worklist"), {"state": "all"}).content.decode()
    assert shinan.reference in worklist and laixi.reference not in worklist
    client.force_login(laixi_staff)
    download = client.get(reverse("legal_aid:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # and the file is closed


# ---- the admin: the finding -----------------------------------------------------------------


def test_staff_list_and_open_only_their_centres_applications_read_only(client, apps, laixi_staff):
    """Issue 11: a legal-aid staff user listed and edited other centres' applications."""
    laixi, shinan = apps
    client.force_login(_admin_user(laixi_staff))
    listing = client.get("/admin/legal_aid/legalaidapplication/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert laixi.reference in page and shinan.reference not in page
    assert laixi.resident_id not in page  # masked in the list
    other = f"/admin/legal_aid/legalaidapplication/{shinan.pk}/change/"
    assert client.get(other).status_code in (302, 403, 404)
    own = f"/admin/legal_aid/legalaidapplication/{laixi.pk}/change/"
    assert client.get(own).status_code == 200
    client.post(own, {"applicant_name": "改名", "state": "granted"})
    laixi.refresh_from_db()
    assert laixi.applicant_name == "王建国" and laixi.state == "submitted"


def test_the_handling_centre_sees_the_identity_number_and_it_is_logged(client, apps, laixi_staff):
    laixi, _shinan = apps
    client.force_login(_admin_user(laixi_staff))
    page = client.get(f"/admin/legal_aid/legalaidapplication/{laixi.pk}/change/")
    assert laixi.resident_id in page.content.decode()
    assert AccessLog.objects.filter(application=laixi, user=laixi_staff, channel="admin").exists()
    assert PersonalDataView.objects.filter(user=laixi_staff, object_id=str(laixi.pk)).exists()


def test_the_accepting_centre_sees_it_masked(client, citizen, shinan_staff):
    """Handed in at Shinan, competent Laixi: Shinan reads it, masked."""
    app = f.submit(citizen, accepting_centre=f.centre("370202"))
    client.force_login(_admin_user(shinan_staff))
    page = client.get(f"/admin/legal_aid/legalaidapplication/{app.pk}/change/").content.decode()
    assert app.resident_id not in page and app.resident_id[-4:] in page


def test_staff_cannot_bind_themselves_to_a_centre(client, laixi_staff):
    """Issue 11: a legal-aid staff user added itself to any centre, the bureau included."""
    client.force_login(_admin_user(laixi_staff))
    qingdao = Centre.objects.get(code="LA370200")
    add = "/admin/legal_aid/staffmembership/add/"
    assert client.get(add).status_code == 403
    client.post(add, {"user": laixi_staff.pk, "centre": qingdao.pk, "role": "bureau"})
    mine = StaffMembership.objects.get(user=laixi_staff)
    change = f"/admin/legal_aid/staffmembership/{mine.pk}/change/"
    client.post(change, {"user": laixi_staff.pk, "centre": qingdao.pk, "role": "bureau"})
    mine.refresh_from_db()
    assert mine.centre.code == "LA370285" and mine.role == "staff"


def test_administrators_bind_staff_and_the_history_keeps_it(client, laixi_staff):
    admin = UserFactory(username="binder", role=Role.ADMINISTRATOR, is_staff=True)
    sync_user_groups(admin)
    client.force_login(admin)
    mine = StaffMembership.objects.get(user=laixi_staff)
    qingdao = Centre.objects.get(code="LA370200")
    response = client.post(
        f"/admin/legal_aid/staffmembership/{mine.pk}/change/",
        {"user": laixi_staff.pk, "centre": qingdao.pk, "role": "staff"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.centre == qingdao
    assert mine.history.count() >= 1
    assert Centre.history.model is not None and hasattr(qingdao, "history")


# ---- statistics ------------------------------------------------------------------------------


def test_a_centre_sees_its_own_statistics(client, apps, laixi_staff):
    client.force_login(laixi_staff)
    stats = client.get(reverse("legal_aid:statistics")).context["stats"]
    assert stats["totals"]["applications"] == 1
    assert [row["competent_centre__code"] for row in stats["by_centre"]] == ["LA370285"]


# ---- no personal data in URLs --------------------------------------------------------------


def test_the_worklist_search_keeps_names_out_of_urls(client, apps, laixi_staff):
    """The search is a POST form (no JavaScript needed); the name stays in the session and the
    page it redirects to has none in its URL, nor do its links."""
    laixi, _shinan = apps
    other = f.submit(laixi.applicant, applicant_name="李四", phone="13969006666")
    client.force_login(laixi_staff)
    page = client.get(reverse("legal_aid:worklist")).content.decode()
    assert 'method="post"' in page and 'name="q"' in page
    response = client.post(reverse("legal_aid:worklist"), {"q": "李四", "state": "all"})
    assert response.status_code == 302
    assert "李四" not in response.url and "%E6%9D%8E" not in response.url
    assert "q=" not in response.url and "state=all" in response.url
    found = client.get(response.url)
    rows = [row["app"].reference for row in found.context["rows"]]
    assert rows == [other.reference]
    assert "q=" not in found.content.decode().replace('name="q"', "")
    # a name in the query string is never searched for; it is dropped
    dropped = client.get(reverse("legal_aid:worklist"), {"q": "王建国"})
    assert dropped.status_code == 302 and "q=" not in dropped.url
    cleared = client.post(reverse("legal_aid:worklist"), {"clear": "1"})
    # the page kept from the first view (ADR 0123): the same two rows
    after = client.get(cleared.url).content.decode()
    assert laixi.reference in after and other.reference in after


def test_the_search_by_reference_still_works(client, apps, laixi_staff):
    laixi, _shinan = apps
    client.force_login(laixi_staff)
    response = client.post(reverse("legal_aid:worklist"), {"q": laixi.reference.lower()})
    rows = client.get(response.url).context["rows"]
    assert [row["app"] for row in rows] == [laixi]


# ---- one submission, one application ------------------------------------------------------


def _fill_draft(client):
    def step(number, data):
        response = client.post(reverse("legal_aid:apply_step", args=[number]), data)
        assert response.status_code == 302, getattr(response, "context", {}) and response.context
        return response

    step(
        1,
        {
            "applicant_name": "王建国",
            "resident_id": make_resident_id(1, "370202", "19800101"),
            "phone": "13969001234",
            "address": "市南区",
            "residence": "370202",
        },
    )
    step(
        2,
        {
            "matter_type": "litigation",
            "category": "labour",
            "opposing_party": "某公司",
            "body": "C370285",
            "facts": "拖欠工资。",
            "urgency": "",
            "accepting_centre": "",
        },
    )
    step(3, {"exemption": "migrant_worker_wages", "commitment": "on"})
    client.get(reverse("legal_aid:apply_step", args=[4]))
    review = client.get(reverse("legal_aid:apply_step", args=[5]))
    return review.context["draft"].pk


def test_a_draft_submitted_three_times_gives_one_application(client, citizen):
    client.force_login(citizen)
    draft_id = _fill_draft(client)
    url = reverse("legal_aid:apply_step", args=[5])
    first = client.post(url, {"draft": draft_id})
    again = client.post(url, {"draft": draft_id})
    third = client.post(url, {"draft": draft_id})
    app = LegalAidApplication.objects.get(applicant=citizen)
    assert (
        first.url
        == again.url
        == third.url
        == reverse("legal_aid:application", args=[app.reference])
    )


def test_the_service_returns_the_first_application_for_a_stale_draft(citizen):
    """Two requests that both loaded the draft before either submitted it."""
    draft = services.draft_for(citizen)
    stale = services.draft_for(citizen, draft.pk)
    first = services.submit_application(f.application_input(), user=citizen, draft=draft)
    second = services.submit_application(f.application_input(), user=citizen, draft=stale)
    assert first.pk == second.pk
    assert LegalAidApplication.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_one_draft_make_one_application(centres, citizen):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    draft = services.draft_for(citizen)
    # one loaded copy per request, as four requests would have: Model.delete() clears the pk
    # of the instance it deletes, so a shared instance would hand the later threads pk None
    copies = [copy.copy(draft) for _ in range(4)]
    barrier = threading.Barrier(4)
    made: list[int] = []

    def worker(mine):
        from django.db import connection as conn

        try:
            barrier.wait()
            app = services.submit_application(f.application_input(), user=citizen, draft=mine)
            made.append(app.pk)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 4 and len(set(made)) == 1
    assert LegalAidApplication.objects.count() == 1


def _walk_in_form(token):
    return {
        "submission_token": token,
        "applicant_name": "刘秀英",
        "resident_id": make_resident_id(7, "370285", "19700505"),
        "phone": "13969007777",
        "address": "莱西市水集街道",
        "residence": "370285",
        "matter_type": "litigation",
        "category": "labour",
        "opposing_party": "青岛某建筑劳务有限公司",
        "body": "C370285",
        "facts": "在工地干了半年，被拖欠工资两万元。",
        "urgency": "",
        "exemption": "migrant_worker_wages",
        "commitment": "on",
    }


def test_one_walk_in_form_gives_one_application(client, laixi_staff):
    url = reverse("legal_aid:walk_in")
    client.force_login(laixi_staff)
    token = client.get(url).context["submission_token"]
    first = client.post(url, _walk_in_form(token))
    second = client.post(url, _walk_in_form(token))
    assert LegalAidApplication.objects.count() == 1
    assert first.url == second.url
    # a new form is a new person at the counter
    fresh = client.get(url).context["submission_token"]
    assert fresh != token
    client.post(url, _walk_in_form(fresh))
    assert LegalAidApplication.objects.count() == 2


def test_a_refused_walk_in_form_keeps_its_token(client, laixi_staff):
    url = reverse("legal_aid:walk_in")
    client.force_login(laixi_staff)
    token = client.get(url).context["submission_token"]
    refused = client.post(url, {**_walk_in_form(token), "body": ""})
    assert refused.status_code == 400 and refused.context["submission_token"] == token


def test_the_api_honours_an_idempotency_key(client, citizen):
    client.force_login(citizen)
    body = {
        "applicant_name": "王建国",
        "resident_id": make_resident_id(1, "370202", "19800101"),
        "phone": "13969001234",
        "matter_type": "litigation",
        "category": "labour",
        "body": "C370285",
        "facts": "拖欠工资。",
        "exemption": "migrant_worker_wages",
        "commitment": True,
    }
    url = "/api/v1/legal-aid/applications/"
    one = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    two = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert one.status_code == two.status_code == 201
    assert one.json()["reference"] == two.json()["reference"]
    assert LegalAidApplication.objects.count() == 1


# ---- names ------------------------------------------------------------------------------


def test_names_refuse_invisible_characters(citizen):
    with pytest.raises(ValidationError):
        services.submit_application(
            f.application_input(applicant_name="王建\u202e国"), user=citizen
        )
    lawyer = f.lawyer("370285")
    lawyer.name = "李\u200b律师"
    with pytest.raises(ValidationError):
        lawyer.full_clean()

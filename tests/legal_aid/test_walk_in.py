"""A person comes to a centre's counter: centre staff type in the application on a page of its
own. Their centre accepts it whatever the court; the routing service sends it on to the
competent centre, exactly as for an online application or one recorded through the API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from legal_aid.models import LegalAidApplication, State
from portal.accounts.models import Role
from tests.factories import UserFactory, make_resident_id

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/legal-aid/staff/walk-in/"


def _form(**overrides):
    data = {
        "applicant_name": "刘秀英",
        "resident_id": make_resident_id(7, "370285", "19700505"),
        "phone": "13969007777",
        "address": "莱西市水集街道",
        "residence": "370285",
        "matter_type": "litigation",
        "category": "labour",
        "opposing_party": "青岛某建筑劳务有限公司",
        "body": "C370285",
        "facts": "在工地干了半年，被拖欠工资两万元，请求帮助追讨。",
        "urgency": "",
        "exemption": "migrant_worker_wages",
        "commitment": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_url_is_the_pages_name():
    assert reverse("legal_aid:walk_in") == URL


def test_a_walk_in_at_another_centre_is_forwarded_to_the_competent_centre(
    client, shinan_staff, laixi_staff
):
    client.force_login(shinan_staff)
    response = client.post(URL, _form())
    app = LegalAidApplication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("legal_aid:staff_application", args=[app.reference])
    assert app.channel == "centre"
    assert app.applicant is None
    assert app.accepting_centre.code == "LA370202"
    assert app.competent_centre.code == "LA370285"  # the Laixi court: the Laixi centre
    assert "莱西市人民法院" in app.routing_reason
    assert app.state == State.FORWARDED
    submitted = f.log(app).get(step="submit")
    assert submitted.by == shinan_staff
    assert "市南区" in submitted.note

    # the recording centre sees it in its worklist and on the application's page
    worklist = client.get(reverse("legal_aid:worklist")).content.decode()
    assert app.reference in worklist and "窗口申请" in worklist
    record = client.get(response.url).content.decode()
    assert "窗口申请" in record and "刘秀英" in record
    # ... and so does the competent centre, which takes it from there
    client.force_login(laixi_staff)
    assert app.reference in client.get(reverse("legal_aid:worklist")).content.decode()


def test_a_walk_in_at_the_competent_centre_stays_there(client, laixi_staff):
    client.force_login(laixi_staff)
    client.post(URL, _form())
    app = LegalAidApplication.objects.get()
    assert app.accepting_centre.code == app.competent_centre.code == "LA370285"
    assert app.state == State.SUBMITTED
    assert app.decision_due is not None


def test_a_non_litigation_matter_goes_where_it_arose(client, laixi_staff):
    client.force_login(laixi_staff)
    client.post(URL, _form(matter_type="non_litigation", body="", place="370214"))
    app = LegalAidApplication.objects.get()
    assert app.accepting_centre.code == "LA370285"
    assert app.competent_centre.code == "LA370214"


def test_the_page_has_labelled_fields_and_no_centre_to_choose(client, shinan_staff):
    client.force_login(shinan_staff)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "市南区法律援助中心" in page  # the centre that accepts it, stated, not chosen
    assert 'name="accepting_centre"' not in page
    form = response.context["form"]
    for field in form.visible_fields():
        if getattr(field.field.widget, "input_type", "") == "radio":
            assert f'for="{field.auto_id}_0"' in page, field.name
        else:
            assert f'<label for="{field.auto_id}"' in page, field.name
    assert re.search(r'<form method="post"', page)  # a plain form: works without JavaScript


def test_the_worklist_links_to_the_page(client, shinan_staff):
    client.force_login(shinan_staff)
    page = client.get(reverse("legal_aid:worklist")).content.decode()
    assert f'href="{URL}"' in page


def test_bad_input_gives_field_errors_and_records_nothing(client, shinan_staff):
    client.force_login(shinan_staff)
    valid = make_resident_id(7, "370285", "19700505")
    wrong = valid[:17] + ("1" if valid[17] != "1" else "2")
    response = client.post(URL, _form(resident_id=wrong, body="", commitment=None))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"resident_id", "body", "commitment"}
    page = response.content.decode()
    assert 'id="id_resident_id_error"' in page and 'id="id_body_error"' in page
    assert "刘秀英" in page  # what was typed is kept
    assert not LegalAidApplication.objects.exists()


def test_without_an_exemption_the_hardship_statement_is_asked_for(client, shinan_staff):
    client.force_login(shinan_staff)
    response = client.post(URL, _form(exemption=""))
    assert response.status_code == 400
    assert "hardship_statement" in response.context["form"].errors
    ok = client.post(URL, _form(exemption="", hardship_statement="失业，独自抚养孩子。"))
    assert ok.status_code == 302
    assert LegalAidApplication.objects.get().hardship_statement == "失业，独自抚养孩子。"


def test_staff_record_at_their_own_centre_only(client, shinan_staff):
    """A tampered form naming another centre changes nothing: it is the staff's own."""
    client.force_login(shinan_staff)
    client.post(URL, _form(accepting_centre="LA370285"))
    assert LegalAidApplication.objects.get().accepting_centre.code == "LA370202"


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.post(URL, _form()).status_code == 302
    assert not LegalAidApplication.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.COMPANY_HANDLER, Role.DEPARTMENT_STAFF, Role.OUTLET_MANAGER, Role.LEGAL_AID_STAFF],
)
def test_other_roles_and_staff_without_a_centre_are_refused(client, role):
    client.force_login(UserFactory(username=f"someone_{role}", role=role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not LegalAidApplication.objects.exists()


def test_a_citizen_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not LegalAidApplication.objects.exists()


def test_a_bureau_officer_does_not_record_at_the_counter(client, laixi_bureau):
    client.force_login(laixi_bureau)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not LegalAidApplication.objects.exists()
    assert f'href="{URL}"' not in client.get(reverse("legal_aid:worklist")).content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    client, shinan_staff, django_assert_max_num_queries
):
    client.force_login(shinan_staff)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.post(URL, _form(body="")).status_code == 400
    with django_assert_max_num_queries(30):
        assert client.post(URL, _form()).status_code == 302


def test_the_page_is_in_chinese(client, shinan_staff):
    client.force_login(shinan_staff)
    page = client.get(URL).content.decode()
    with translation.override("zh-hans"):
        title = translation.gettext("Record a walk-in application")
        label = translation.gettext("Applicant's name")
    assert title != "Record a walk-in application" and title in page
    assert label != "Applicant's name" and label in page

"""Who may read and act: one centre cannot read another's applications; applicants only their
own; each step of the workflow table names its role."""

import pytest
from django.urls import reverse

from legal_aid import access, selectors
from legal_aid.models import LegalAidApplication, State
from legal_aid.services import take
from legal_aid.workflows import LEGAL_AID
from portal.workflow import NotAllowed

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(citizen):
    return f.submit(citizen)


def test_another_centre_cannot_read_the_application(client, app, shinan_staff):
    client.force_login(shinan_staff)
    assert (
        client.get(reverse("legal_aid:staff_application", args=[app.reference])).status_code == 404
    )
    assert (
        client.get(reverse("legal_aid:document", args=[app.reference, "receipt"])).status_code
        == 404
    )
    assert app.reference not in client.get(reverse("legal_aid:worklist")).content.decode()
    api = client.get(f"/api/v1/legal-aid/applications/{app.reference}/")
    assert api.status_code == 404


def test_the_accepting_centre_sees_what_it_forwarded(client, citizen, shinan_staff):
    app = f.submit(citizen, accepting_centre=f.centre("370202"))
    client.force_login(shinan_staff)
    assert app.reference in client.get(reverse("legal_aid:worklist")).content.decode()
    assert (
        client.get(reverse("legal_aid:staff_application", args=[app.reference])).status_code == 200
    )
    # ... but may not review it: that is the competent centre's job
    with pytest.raises(NotAllowed):
        take(app.reference, "start_review", shinan_staff)


def test_another_applicant_cannot_read_it(client, app):
    other = f.citizen(username="other", serial=2, mobile="13969009999")
    client.force_login(other)
    assert client.get(reverse("legal_aid:application", args=[app.reference])).status_code == 404
    assert client.get(f"/api/v1/legal-aid/applications/{app.reference}/").status_code == 404
    assert app.reference not in client.get(reverse("legal_aid:my_applications")).content.decode()


def test_visitors_are_sent_to_sign_in(client, app):
    response = client.get(reverse("legal_aid:application", args=[app.reference]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(reverse("legal_aid:worklist")).status_code == 302


def test_a_citizen_cannot_open_staff_pages(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("legal_aid:worklist")).status_code == 403
    assert client.get(reverse("legal_aid:statistics")).status_code == 403
    assert client.get(reverse("legal_aid:consultations")).status_code == 403


STAFF_STEPS = [
    "start_review",
    "request_materials",
    "grant",
    "refuse",
    "assign_lawyer",
    "close",
    "terminate",
    "grant_first",
    "complete_review",
    "lapse",
]
APPLICANT_STEPS = ["supply_materials", "withdraw", "rate", "lodge_objection"]


def _who(name):
    """Who may take the step, from the workflow table."""
    return LEGAL_AID.step(name).who


@pytest.mark.parametrize("name", STAFF_STEPS)
def test_staff_steps_belong_to_the_competent_centre(name, app, laixi_staff, shinan_staff, citizen):
    who = _who(name)
    assert who is access.competent_staff
    assert who(laixi_staff, app)
    assert not who(shinan_staff, app)
    assert not who(citizen, app)
    assert not who(None, app)


@pytest.mark.parametrize("name", APPLICANT_STEPS)
def test_applicant_steps_belong_to_the_applicant(name, app, laixi_staff, citizen):
    who = _who(name)
    assert who is access.is_applicant
    assert who(citizen, app)
    assert not who(laixi_staff, app)


def test_forwarding_belongs_to_the_accepting_centre(citizen, shinan_staff, laixi_staff):
    app = f.submit(citizen, accepting_centre=f.centre("370202"))
    who = _who("forward")
    assert who is access.accepting_staff_or_system
    assert who(shinan_staff, app)
    assert not who(laixi_staff, app)
    assert not who(citizen, app)


def test_objection_decisions_belong_to_the_bureau(app, laixi_bureau, laixi_staff):
    who = _who("decide_objection")
    assert who is access.objection_bureau
    assert who(laixi_bureau, app)
    assert not who(laixi_staff, app)
    city_bureau = f.staff_user("370200", role="bureau", username="qd_bureau")
    assert not who(city_bureau, app)


def test_the_assigned_lawyer_may_record_progress(app, laixi_staff, laixi_lawyer):
    lawyer_user = f.citizen(username="lawyer_user", serial=3, mobile="13969005555")
    laixi_lawyer.user = lawyer_user
    laixi_lawyer.save()
    take(app.reference, "start_review", laixi_staff)
    take(app.reference, "grant", laixi_staff)
    take(app.reference, "assign_lawyer", laixi_staff, lawyer=laixi_lawyer)
    app.refresh_from_db()
    assert _who("begin")(lawyer_user, app)
    assert not _who("begin")(f.citizen(username="other", serial=4, mobile="13969005556"), app)


def test_buttons_appear_only_when_allowed(client, app, laixi_staff, shinan_staff):
    client.force_login(laixi_staff)
    actions = [
        a
        for a, _ in client.get(
            reverse("legal_aid:staff_application", args=[app.reference])
        ).context["actions"]
    ]
    assert actions == ["start_review"]
    take(app.reference, "start_review", laixi_staff)
    actions = [
        a
        for a, _ in client.get(
            reverse("legal_aid:staff_application", args=[app.reference])
        ).context["actions"]
    ]
    assert set(actions) == {"request_materials", "grant", "refuse"}


def test_a_step_that_is_not_allowed_is_refused_with_a_message(client, app, laixi_staff):
    client.force_login(laixi_staff)
    response = client.post(
        reverse("legal_aid:staff_act", args=[app.reference, "close"]),
        {"outcome": "won"},
        follow=True,
    )
    assert LegalAidApplication.objects.get(pk=app.pk).state == State.SUBMITTED
    assert any("不能" in str(m) or "no longer" in str(m) for m in response.context["messages"])


def test_the_applicant_cannot_take_staff_steps(client, app, citizen):
    client.force_login(citizen)
    assert (
        client.post(reverse("legal_aid:staff_act", args=[app.reference, "grant"])).status_code
        == 403
    )
    assert selectors.available_actions(app, citizen) == ["withdraw"]


def test_the_progress_form_shows_when_a_note_may_be_added(client, app, laixi_staff, laixi_lawyer):
    """From the assignment until the case closes, for the competent centre; the form and the
    service that records the note follow the same rule."""
    from legal_aid.services import add_progress_note
    from portal.workflow import Refused

    client.force_login(laixi_staff)
    url = reverse("legal_aid:staff_application", args=[app.reference])

    def shown():
        return client.get(url).context["progress_form"] is not None

    take(app.reference, "start_review", laixi_staff)
    take(app.reference, "grant", laixi_staff)
    assert not shown()
    with pytest.raises(Refused):
        add_progress_note(app.reference, laixi_staff, "太早了")
    take(app.reference, "assign_lawyer", laixi_staff, lawyer=laixi_lawyer)
    assert shown()
    add_progress_note(app.reference, laixi_staff, "已立案")
    assert shown()
    take(app.reference, "close", laixi_staff, outcome="won")
    assert not shown()
    with pytest.raises(Refused):
        add_progress_note(app.reference, laixi_staff, "太晚了")

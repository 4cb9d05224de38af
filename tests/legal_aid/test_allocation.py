"""Duty rota and allocation (ADR 0106): a granted case is offered to the next suitable lawyer of
the centre's rota by category and load; the lawyer accepts or declines within the time limit; a
decline or a timeout passes it on; staff choosing by hand give a reason, which the log keeps."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from legal_aid.models import CaseOffer, DutyRota, Lawyer, OfferState, RotaEntry, State
from legal_aid.services import take
from legal_aid.services.allocation import pass_on_expired_offers
from portal.workflow import Invalid, NotAllowed
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _lawyer(name, licence, categories=(), capacity=200, user=None):
    return Lawyer.objects.create(
        centre=f.centre("370285"),
        name=name,
        licence_number=licence,
        firm="山东德衡律师事务所",
        categories=list(categories),
        capacity=capacity,
        user=user,
    )


@pytest.fixture
def rota():
    """Laixi's case rota: 甲 takes labour and injury, 乙 labour, 丙 everything, 丁 criminal."""
    rota = DutyRota.objects.create(
        name="莱西法援案件值班表", kind="cases", centre=f.centre("370285")
    )
    lawyers = {
        "甲": _lawyer("甲律师", "13702201810000011", ["labour", "personal_injury"]),
        "乙": _lawyer("乙律师", "13702201810000012", ["labour"]),
        "丙": _lawyer("丙律师", "13702201810000013"),
        "丁": _lawyer("丁律师", "13702201810000014", ["criminal"]),
    }
    for position, lawyer in enumerate(lawyers.values()):
        RotaEntry.objects.create(rota=rota, lawyer=lawyer, position=position)
    return rota, lawyers


def _granted(citizen, staff, category="labour"):
    app = f.submit(citizen, category=category)
    take(app.reference, "start_review", staff)
    return take(app.reference, "grant", staff)


def _offer(app):
    return CaseOffer.objects.get(application=app, state=OfferState.OFFERED)


def test_a_hundred_granted_cases_spread_evenly_by_category_and_load(citizen, laixi_staff, rota):
    _rota, lawyers = rota
    offered = Counter()
    for n in range(100):
        app = _granted(citizen, laixi_staff, "labour" if n % 2 else "personal_injury")
        offer = _offer(app)
        assert app.category in offer.lawyer.categories or not offer.lawyer.categories
        offered[offer.lawyer.name] += 1
    takers = [offered[lawyers[k].name] for k in ("甲", "乙", "丙")]
    assert sum(takers) == 100 and offered[lawyers["丁"].name] == 0
    assert max(takers) - min(takers) <= 1, offered


def test_a_weight_of_two_takes_twice_the_cases(citizen, laixi_staff, rota):
    _rota, lawyers = rota
    RotaEntry.objects.filter(lawyer=lawyers["丙"]).update(weight=2)
    offered = Counter(_offer(_granted(citizen, laixi_staff)).lawyer.name for _ in range(40))
    assert offered["丙律师"] == 20 and offered["甲律师"] == 10 and offered["乙律师"] == 10


def test_a_decline_passes_the_case_to_the_next_lawyer(citizen, laixi_staff, rota):
    _rota, lawyers = rota
    first_user = UserFactory(username="lawyer_jia")
    Lawyer.objects.filter(pk=lawyers["甲"].pk).update(user=first_user)
    app = _granted(citizen, laixi_staff)
    assert _offer(app).lawyer == lawyers["甲"]
    with pytest.raises(Invalid):
        take(app.reference, "decline_offer", first_user, reasons="")
    app = take(app.reference, "decline_offer", first_user, reasons="与对方当事人有利害关系")
    assert app.state == State.GRANTED
    assert _offer(app).lawyer == lawyers["乙"]
    declined = CaseOffer.objects.get(application=app, lawyer=lawyers["甲"])
    assert (declined.state, declined.reason) == ("declined", "与对方当事人有利害关系")
    event = f.log(app).last()
    assert event.step == "decline_offer" and event.by == first_user
    assert "与对方当事人有利害关系" in event.note and "乙律师" in event.note
    # the one who declined is not asked again, nor may they answer any more
    with pytest.raises(NotAllowed):
        take(app.reference, "accept_offer", first_user)


def test_the_offered_lawyer_accepts_and_sees_the_case(client, citizen, laixi_staff, rota):
    _rota, lawyers = rota
    user = UserFactory(username="lawyer_jia")
    Lawyer.objects.filter(pk=lawyers["甲"].pk).update(user=user)
    app = _granted(citizen, laixi_staff)
    client.force_login(user)
    page = client.get("/legal-aid/lawyer/")
    assert app.reference in page.content.decode()
    response = client.post(f"/legal-aid/lawyer/{app.reference}/accept_offer/", {"note": ""})
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.lawyer_id) == (State.LAWYER_ASSIGNED, lawyers["甲"].pk)
    assert app.assigned_at is not None
    page = client.get("/legal-aid/lawyer/")
    assert app.reference in page.content.decode()
    # another lawyer neither sees nor takes it
    other = UserFactory(username="lawyer_yi")
    Lawyer.objects.filter(pk=lawyers["乙"].pk).update(user=other)
    client.force_login(other)
    assert app.reference not in client.get("/legal-aid/lawyer/").content.decode()


def test_an_offer_not_answered_in_time_passes_on(citizen, laixi_staff, rota):
    _rota, lawyers = rota
    app = _granted(citizen, laixi_staff)
    CaseOffer.objects.filter(application=app).update(
        respond_by=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert pass_on_expired_offers() == 1
    assert CaseOffer.objects.get(application=app, lawyer=lawyers["甲"]).state == "expired"
    assert _offer(app).lawyer == lawyers["乙"]
    assert f.log(app).last().step == "expire_offer"


def test_the_offer_is_answered_by_the_end_of_the_next_working_day(citizen, laixi_staff, rota):
    from portal import workdays

    app = _granted(citizen, laixi_staff)
    offer = _offer(app)
    due = timezone.localtime(offer.respond_by)
    expected = workdays.add_working_days(timezone.localtime(offer.offered_at).date(), 1)
    assert due.date() == expected + datetime.timedelta(days=1) and due.hour == 0


def test_staff_override_the_rota_with_a_reason_that_is_logged(citizen, laixi_staff, rota):
    _rota, lawyers = rota
    app = _granted(citizen, laixi_staff)
    with pytest.raises(Invalid) as refused:
        take(app.reference, "assign_lawyer", laixi_staff, lawyer=lawyers["丁"].pk)
    assert "reason" in refused.value.errors
    app = take(
        app.reference,
        "assign_lawyer",
        laixi_staff,
        lawyer=lawyers["丁"].pk,
        reason="受援人要求由熟悉其案件的律师承办",
    )
    assert (app.state, app.lawyer_id) == (State.LAWYER_ASSIGNED, lawyers["丁"].pk)
    event = f.log(app).last()
    assert event.step == "assign_lawyer" and event.by == laixi_staff
    assert event.data["override_reason"] == "受援人要求由熟悉其案件的律师承办"
    assert "受援人要求由熟悉其案件的律师承办" in event.note
    assert CaseOffer.objects.get(application=app).state == OfferState.WITHDRAWN


def test_without_a_free_lawyer_the_case_waits_for_the_staff(citizen, laixi_staff, rota):
    _rota, lawyers = rota
    Lawyer.objects.exclude(pk=lawyers["丁"].pk).update(capacity=0)
    app = _granted(citizen, laixi_staff)
    assert app.state == State.GRANTED and not CaseOffer.objects.filter(application=app).exists()

"""Approval issues the new certificate once; the courier's signed webhook delivers it."""

import time

import pytest
from django.test import Client

from approvals.proactive import services
from approvals.proactive.models import Certificate, CourierEvent, Offer, Shipment
from approvals.proactive.services import offer_link

from .conftest import event, system_client
from .flow import approved, confirmed_case
from .helpers import courier, path_of, post_events, verify_identity


def test_issuing_is_idempotent(world, market_client, django_capture_on_commit_callbacks):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    first = offer.new_certificate
    assert services.issue_certificate_for_case(case.pk) == first
    assert Certificate.objects.count() == 2
    assert Certificate.objects.get(pk=world.certificate.pk).status == "superseded"
    assert first.status == "valid"
    assert first.number.startswith("JZZZ")


def test_a_change_keeps_the_expiry_date(world, market_client, django_capture_on_commit_callbacks):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    assert offer.new_certificate.expires_on == world.certificate.expires_on
    assert offer.new_certificate.issued_on == world.today


def test_pick_up_makes_no_shipment(world, market_client, django_capture_on_commit_callbacks):
    _offer, case = confirmed_case(
        world, market_client, django_capture_on_commit_callbacks, method="pickup"
    )
    assert not Shipment.objects.exists()
    assert case.delivery["method"] == "pickup"


def _payload(shipment, event_id="SF-1", status="delivered"):
    return {"event_id": event_id, "tracking_number": shipment.tracking_number, "status": status}


def test_bad_or_old_signature_is_refused(
    world, market_client, courier_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    payload = _payload(offer.shipment)
    assert courier(courier_client, payload, signature="sha256=" + "0" * 64).status_code == 403
    assert courier(courier_client, payload, timestamp=int(time.time()) - 3600).status_code == 403
    response = courier_client.post(
        "/api/v1/approvals/courier/webhook/", payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    offer.shipment.refresh_from_db()
    assert offer.shipment.status == "ordered"


def test_the_courier_needs_its_key_as_well_as_the_signature(
    world, market_client, django_capture_on_commit_callbacks
):
    """A valid signature alone is not enough: the call must come with the courier's key; the
    register feed's key (another scope) is refused too."""
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    payload = _payload(offer.shipment)
    assert courier(Client(), payload).status_code == 401
    assert courier(system_client("licence_events:write"), payload).status_code == 403
    assert courier(Client(HTTP_AUTHORIZATION="Api-Key nope"), payload).status_code == 401
    assert not CourierEvent.objects.exists()
    offer.shipment.refresh_from_db()
    assert offer.shipment.status == "ordered"


@pytest.mark.parametrize("timestamp", ["9" * 400, "-5", "1e9", "١٢٣", " 12"])
def test_an_absurd_timestamp_is_a_problem_not_a_500(world, courier_client, timestamp):
    response = courier_client.post(
        "/api/v1/approvals/courier/webhook/",
        b"{}",
        content_type="application/json",
        HTTP_X_COURIER_TIMESTAMP=timestamp,
        HTTP_X_COURIER_SIGNATURE="sha256=" + "0" * 64,
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_a_non_ascii_signature_is_refused_not_a_500(world, courier_client):
    response = courier(courier_client, {"event_id": "x"}, signature="sha256=é")
    assert response.status_code == 403


def test_collect_then_deliver_closes_the_case_and_replays_change_nothing(
    world, market_client, courier_client, django_capture_on_commit_callbacks
):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    shipment = offer.shipment
    assert (
        courier(courier_client, _payload(shipment, "SF-1", "collected")).json()["status"]
        == "collected"
    )
    response = courier(courier_client, _payload(shipment, "SF-2", "delivered"))
    assert response.status_code == 200 and response.json()["duplicate"] is False
    replay = courier(courier_client, _payload(shipment, "SF-2", "delivered"))
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    case.refresh_from_db()
    assert case.status == "closed"
    assert CourierEvent.objects.count() == 2
    shipment.refresh_from_db()
    assert shipment.delivered_at and shipment.collected_at


def test_no_order_and_no_tracking_number_before_the_certificate_is_issued(
    world, market_client, courier_client, django_capture_on_commit_callbacks, dev_courier
):
    offer, _case = confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    assert offer.shipment.tracking_number == "" and offer.shipment.status == "created"
    assert dev_courier.order_calls() == 0
    response = courier(courier_client, {**_payload(offer.shipment), "tracking_number": "X"})
    assert response.status_code == 404
    assert CourierEvent.objects.count() == 0


def test_certificate_pdf_is_for_the_holder_and_staff(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    url = f"/proactive/certificates/{offer.new_certificate.verification_code}.pdf"
    assert Client().get(url).status_code == 403
    rep = Client()
    rep.force_login(world.rep_user)
    response = rep.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    staff = Client()
    staff.force_login(world.staff)
    assert staff.get(url).status_code == 200


def test_certificate_pdf_is_refused_to_staff_of_other_departments(
    world, market_client, django_capture_on_commit_callbacks
):
    """``is_staff`` alone grants nothing: staff of a department that does not issue the
    certificate are refused (they used to get any PDF)."""
    from tests.factories import StaffUserFactory

    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    url = f"/proactive/certificates/{offer.new_certificate.verification_code}.pdf"
    other = Client()
    other.force_login(StaffUserFactory(username="other_department_staff"))
    assert other.get(url).status_code == 403


def test_certificate_pdf_needs_the_code_verified_not_only_asked_for(world, market_client):
    """Issue 11: asking for a code on an offer's link (without typing it in) used to unlock the
    holder's certificate PDF. Only a verified identity does."""
    post_events(market_client, [event(uscc=world.company.uscc)])
    offer = Offer.objects.get(certificate=world.certificate)
    link = path_of(offer_link(offer, world.handler))
    url = f"/proactive/certificates/{world.certificate.verification_code}.pdf"
    visitor = Client()
    response = visitor.post(link, {"provider": "sms_code", "action": "start"})
    assert response.status_code == 200
    assert visitor.get(url).status_code == 403
    wrong = visitor.post(link, {"provider": "sms_code", "action": "verify", "code": "000000"})
    assert wrong.status_code == 200
    assert visitor.get(url).status_code == 403
    verified = Client()
    verify_identity(verified, link, world.handler.mobile)
    response = verified.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_verification_page_unknown_code(db):
    response = Client().get("/verify/NOPE/")
    assert response.status_code == 404
    assert "可能是伪造" in response.content.decode()

"""Approval issues the new certificate once; the courier's signed webhook delivers it."""

import time

from django.test import Client

from approvals.proactive import services
from approvals.proactive.models import Certificate, CourierEvent, Shipment

from .flow import approved, confirmed_case
from .helpers import courier


def test_issuing_is_idempotent(world, market_client, django_capture_on_commit_callbacks):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    first = offer.new_certificate
    assert services.issue_certificate_for_case(case.pk) == first
    assert Certificate.objects.count() == 2
    assert Certificate.objects.get(pk=world.certificate.pk).status == "superseded"
    assert first.status == "valid"
    assert first.number.startswith("JZZZ")


def test_a_change_keeps_the_expiry_date(world, market_client, django_capture_on_commit_callbacks):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    assert offer.new_certificate.expires_on == world.certificate.expires_on
    assert offer.new_certificate.issued_on == world.today


def test_pick_up_makes_no_shipment(world, market_client, django_capture_on_commit_callbacks):
    offer, case = confirmed_case(
        world, market_client, django_capture_on_commit_callbacks, method="pickup"
    )
    assert not Shipment.objects.exists()
    assert case.delivery["method"] == "pickup"


def _payload(shipment, event_id="SF-1", status="delivered"):
    return {"event_id": event_id, "tracking_number": shipment.tracking_number, "status": status}


def test_bad_or_old_signature_is_refused(world, market_client, django_capture_on_commit_callbacks):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    payload = _payload(offer.shipment)
    assert courier(Client(), payload, signature="sha256=" + "0" * 64).status_code == 403
    assert courier(Client(), payload, timestamp=int(time.time()) - 3600).status_code == 403
    response = Client().post(
        "/api/v1/approvals/courier/webhook/", payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    offer.shipment.refresh_from_db()
    assert offer.shipment.status == "created"


def test_collect_then_deliver_closes_the_case_and_replays_change_nothing(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    shipment = offer.shipment
    assert (
        courier(Client(), _payload(shipment, "SF-1", "collected")).json()["status"] == "collected"
    )
    response = courier(Client(), _payload(shipment, "SF-2", "delivered"))
    assert response.status_code == 200 and response.json()["duplicate"] is False
    replay = courier(Client(), _payload(shipment, "SF-2", "delivered"))
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    case.refresh_from_db()
    assert case.status == "closed"
    assert CourierEvent.objects.count() == 2
    shipment.refresh_from_db()
    assert shipment.delivered_at and shipment.collected_at


def test_delivery_before_approval_is_a_conflict(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, case = confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    response = courier(Client(), _payload(offer.shipment))
    assert response.status_code == 409
    assert CourierEvent.objects.count() == 0  # the courier may retry later
    assert (
        courier(Client(), {**_payload(offer.shipment), "tracking_number": "X"}).status_code == 404
    )


def test_certificate_pdf_is_for_the_holder_and_staff(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
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


def test_verification_page_unknown_code(db):
    response = Client().get("/verify/NOPE/")
    assert response.status_code == 404
    assert "可能是伪造" in response.content.decode()

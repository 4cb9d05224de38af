"""The issue's acceptance, tried as a new user would: a licence change → an offer in the legal
representative's inbox → three interactions → the case with staff → approval → a certificate PDF
whose QR opens the verification page → the courier delivers → the old one is superseded."""

import io

from django.test import Client
from pypdf import PdfReader

from approvals import services as cases
from approvals.models import Case
from approvals.proactive.models import Certificate, Offer, Shipment
from portal.notifications.models import Notification

from .conftest import event
from .helpers import courier, path_of, post_events, verify_identity


def test_licence_change_to_delivered_certificate(
    world, market_client, courier_client, django_capture_on_commit_callbacks, dev_courier
):
    # 1. Market regulation reports the new legal representative.
    with django_capture_on_commit_callbacks(execute=True):
        response = post_events(market_client, [event(uscc=world.company.uscc)])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["events"][0]["status"] == "stored"
    [offer_brief] = body["events"][0]["offers"]
    assert offer_brief["certificate"] == "D237020001"
    assert offer_brief["item"] == world.item.code
    world.company.refresh_from_db()
    assert world.company.legal_representative == "李海峰"

    # 2. By the time the request committed, the legal representative's inbox has the offer,
    #    and the handler and agent got it by SMS.
    inbox = Notification.objects.get(recipient=world.rep_user, channel="inbox")
    assert world.item.name in inbox.subject
    assert Notification.objects.filter(channel="sms", address="13953200002").exists()
    assert Notification.objects.filter(channel="sms", address="13953200003").exists()
    assert Offer.objects.get().status == "sent"

    # 3. Three interactions, counted on every page.
    visitor = Client()
    link = path_of(inbox.link)
    page = visitor.get(link)
    assert page.status_code == 200
    assert "第 1 步，共 3 步" in page.content.decode()
    response = verify_identity(visitor, link, "13953200001")
    assert response.status_code == 302
    page = visitor.get(response["Location"])
    html = page.content.decode()
    assert "第 2 步，共 3 步" in html
    assert "李海峰" in html and "王建国" in html  # what changed, old and new
    response = visitor.post(response["Location"], {"action": "confirm"})
    assert response.status_code == 302
    page = visitor.get(response["Location"])
    html = page.content.decode()
    assert "第 3 步，共 3 步" in html
    assert world.company.address in html  # the registered address is pre-filled
    response = visitor.post(
        response["Location"],
        {"method": "courier", "address": world.company.address, "recipient": "王建国"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.status) == ("proactive", "accepted")
    assert case.applicant_id_number == world.company.uscc
    assert case.materials.count() >= 3  # licence, certificate, change notice: all shared data
    offer = Offer.objects.get()
    assert offer.status == "confirmed" and offer.case == case
    shipment = Shipment.objects.get()

    # 4. Staff review and approve: the new certificate is issued after commit.
    with django_capture_on_commit_callbacks(execute=True):
        cases.transition(case.pk, "start_review", user=world.staff)
        cases.transition(case.pk, "approve", user=world.staff)
    offer.refresh_from_db()
    new = offer.new_certificate
    assert new is not None and new.number != "D237020001"
    assert new.particulars["legal_representative"] == "李海峰"
    assert new.supersedes_id == world.certificate.pk
    case.refresh_from_db()
    assert case.status == "result_issued"
    # ... and the courier is ordered once, with the tracking number the courier gave
    shipment.refresh_from_db()
    assert shipment.status == "ordered" and shipment.tracking_number.startswith("QDKD")
    assert [o["tracking_number"] for o in dev_courier.orders()] == [shipment.tracking_number]

    # 5. The PDF carries a QR code and the verification address it encodes.
    new.refresh_from_db()
    assert new.pdf
    with new.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = reader.pages[0].extract_text()
    verify_path = f"/verify/{new.verification_code}/"
    assert verify_path in text
    assert list(reader.pages[0].images), "the certificate has no QR image"
    page = Client().get(verify_path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Valid" in html and world.company.name in html
    assert "李海峰" not in html and "13953200001" not in html  # no personal data

    # 6. The courier delivers: the case closes.
    response = courier(
        courier_client,
        {"event_id": "SF-1", "tracking_number": shipment.tracking_number, "status": "delivered"},
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == "closed"
    shipment.refresh_from_db()
    assert shipment.status == "delivered"

    # 7. The old certificate shows as superseded.
    old = Certificate.objects.get(number="D237020001")
    assert old.status == "superseded"
    page = Client().get(f"/verify/{old.verification_code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Not valid" in page.content.decode()
    assert "Superseded" in page.content.decode()

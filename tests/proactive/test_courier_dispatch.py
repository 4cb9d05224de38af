"""The courier order: placed after the certificate is issued, retried when the courier is down,
never twice; the events on the shipment and the case's log; a failed delivery; a hand-over in
person; the tracking in the API. Against the project's courier server (a separate process)."""

from __future__ import annotations

import pytest
from django.test import Client

from approvals import services as cases
from approvals.proactive import couriers, services
from approvals.proactive.models import Shipment
from portal.notifications.models import Notification
from portal.workflow import Invalid, NotAllowed, log_of

from .flow import approved, confirmed_case
from .helpers import courier


def _events(case) -> list[str]:
    return [row.note for row in log_of(case) if row.step == "courier"]


def _post(client, shipment, status, event_id, **extra):
    payload = {
        "event_id": event_id,
        "tracking_number": shipment.tracking_number,
        "status": status,
        **extra,
    }
    return courier(client, payload)


def test_the_order_is_placed_once_after_issue_with_the_couriers_tracking_number(
    world, market_client, django_capture_on_commit_callbacks, dev_courier
):
    _offer, case = confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    assert dev_courier.order_calls() == 0  # nothing is ordered before the certificate exists
    with django_capture_on_commit_callbacks(execute=True):
        cases.transition(case.pk, "start_review", user=world.staff)
        cases.transition(case.pk, "approve", user=world.staff)
    shipment = Shipment.objects.get()
    assert shipment.status == "ordered" and shipment.kind == "collect_old_deliver_new"
    (order,) = dev_courier.orders()
    assert shipment.tracking_number == order["tracking_number"]
    assert shipment.order_id == order["order_id"]
    assert order["idempotency_key"] == f"shipment-{shipment.pk}-1"
    assert order["collect"] == ["old_certificate"]
    assert order["request"]["address"] == world.company.address
    # issuing again (a second approval signal) orders nothing more
    services.issue_certificate_for_case(case.pk)
    assert services.place_due_orders() == {}
    assert dev_courier.order_calls() == 1
    assert any("已向快递公司下单" in note for note in _events(case))


def test_503s_are_retried_with_the_same_key_and_give_one_order(
    world, market_client, django_capture_on_commit_callbacks, dev_courier
):
    dev_courier.fail(2)
    _offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    shipment = Shipment.objects.get()
    assert shipment.status == "created" and "503" in shipment.order_error
    assert shipment.order_tries == 1 and shipment.next_try_at is not None
    assert services.place_due_orders() == {"retry": 1}
    assert services.place_due_orders() == {"ordered": 1}
    assert dev_courier.order_calls() == 3 and len(dev_courier.orders()) == 1


def test_a_lost_answer_does_not_order_twice(dev_courier):
    """The courier made the order but the answer was lost: the retry, with the same key, gets
    the same order back."""
    shipment = Shipment(
        pk=999, case_reference="QD1", recipient_name="王建国", recipient_mobile="13953200001"
    )
    shipment.address = "青岛市市南区香港中路1号"
    plugin = couriers.get()
    first = plugin.place_order(shipment, shipment.idempotency_key)
    second = plugin.place_order(shipment, shipment.idempotency_key)
    assert first.order_id == second.order_id and first.tracking_number == second.tracking_number
    assert len(dev_courier.orders()) == 1


def test_the_courier_refuses_an_unsigned_order(dev_courier):
    import json
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        dev_courier.url + "/v1/orders", data=json.dumps({}).encode(), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
    refused.value.close()


def test_after_the_last_delay_the_order_is_given_up_and_staff_see_it(
    world, market_client, django_capture_on_commit_callbacks, dev_courier, monkeypatch
):
    from django.conf import settings

    monkeypatch.setitem(settings.COURIER, "RETRY_DELAYS", [0])
    dev_courier.fail(5)
    approved(world, market_client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.place_due_orders() == {"given_up": 1}
    shipment = Shipment.objects.get()
    assert shipment.status == "order_failed"
    from approvals.proactive import selectors

    assert list(selectors.failed_orders(world.staff)) == [shipment]
    assert Notification.objects.filter(recipient=world.staff, channel="inbox").exists()
    staff = Client()
    staff.force_login(world.staff)
    badge = staff.get("/proactive/dashboard/").content.decode()
    assert 'id="failed-orders"><span class="badge badge-alert">1</span>' in badge
    # the holder tries again: the same attempt and key (the courier may have made it)
    dev_courier.fail(0)
    with django_capture_on_commit_callbacks(execute=True):
        services.try_again(shipment.pk, world.rep_user)
    shipment.refresh_from_db()
    assert shipment.status == "ordered" and shipment.attempt == 1
    assert len(dev_courier.orders()) == 1


def test_events_move_the_shipment_and_write_the_case_log(
    world, market_client, courier_client, django_capture_on_commit_callbacks
):
    _offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    shipment = Shipment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(courier_client, shipment, "collected", "E1").status_code == 200
        assert _post(courier_client, shipment, "in_transit", "E2").status_code == 200
        # a late "collected" after "in transit" is recorded and changes nothing
        late = _post(courier_client, shipment, "collected", "E3")
        assert late.status_code == 200 and late.json()["status"] == "in_transit"
        assert _post(courier_client, shipment, "delivered", "E4").status_code == 200
    shipment.refresh_from_db()
    case.refresh_from_db()
    assert shipment.status == "delivered" and case.status == "closed"
    notes = _events(case)
    assert [n.split(" · ")[0] for n in notes] == [
        "已向快递公司下单",
        "旧证已收回",
        "运送中",
        "新证已送达",
    ]


def test_the_tracking_api_for_the_holder_and_staff_only(
    world, market_client, courier_client, django_capture_on_commit_callbacks
):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    shipment = Shipment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _post(courier_client, shipment, "collected", "E1")
    url = f"/api/v1/approvals/shipments/{case.reference}/"
    for user in (world.rep_user, world.staff):
        client = Client()
        client.force_login(user)
        body = client.get(url).json()
        assert body["tracking_number"] == shipment.tracking_number
        assert body["status"] == "collected"
        assert [e["step"] for e in body["events"]] == ["order", "collect"]
        codes = {d["kind"]: d["verification_code"] for d in body["documents"]}
        assert codes["new_certificate"] == offer.new_certificate.verification_code
    from tests.factories import StaffUserFactory

    other = Client()
    other.force_login(StaffUserFactory(username="elsewhere"))
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)


def test_a_failed_delivery_tells_holder_and_staff_and_offers_a_new_attempt_or_pickup(
    world, market_client, courier_client, django_capture_on_commit_callbacks, dev_courier
):
    _offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    shipment = Shipment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(courier_client, shipment, "failed", "E1", reason="无人签收")
    assert response.status_code == 200
    told = Notification.objects.filter(subject__contains="快递未能送达")
    assert {n.recipient_id for n in told if n.recipient_id} == {world.rep_user.pk, world.staff.pk}
    assert told.filter(channel="sms", address="13953200001").exists()
    holder = Client()
    holder.force_login(world.rep_user)
    page = holder.get(case.get_absolute_url()).content.decode()
    assert "重新投递" in page and "改为到大厅领取" in page and "无人签收" in page
    # a new attempt: a new key, a new order and tracking number
    with django_capture_on_commit_callbacks(execute=True):
        response = holder.post(f"/proactive/shipments/{shipment.pk}/retry/")
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "ordered" and shipment.attempt == 2
    assert len(dev_courier.orders()) == 2
    # then the holder picks it up instead: the order is cancelled at the courier
    with django_capture_on_commit_callbacks(execute=True):
        holder.post(f"/proactive/shipments/{shipment.pk}/pickup/")
    shipment.refresh_from_db()
    assert shipment.status == "pickup"
    cancelled = [o for o in dev_courier.orders() if o["status"] == "cancelled"]
    assert [o["order_id"] for o in cancelled] == [shipment.order_id]


def test_staff_hand_over_a_couriered_case_only_with_a_reason(
    world, market_client, django_capture_on_commit_callbacks, dev_courier
):
    _offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    with pytest.raises(NotAllowed):
        cases.transition(case.pk, "deliver", user=world.staff)
    with pytest.raises(Invalid):
        cases.transition(case.pk, "hand_over", user=world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        cases.transition(case.pk, "hand_over", user=world.staff, reasons="法定代表人到大厅自取")
    case.refresh_from_db()
    assert case.status == "delivered"
    assert "法定代表人到大厅自取" in [row.note for row in log_of(case)]
    shipment = Shipment.objects.get()
    assert shipment.status == "pickup"
    assert dev_courier.orders()[0]["status"] == "cancelled"


def test_pick_up_cases_are_still_marked_delivered_by_staff(
    world, market_client, django_capture_on_commit_callbacks
):
    _offer, case = confirmed_case(
        world, market_client, django_capture_on_commit_callbacks, method="pickup"
    )
    with django_capture_on_commit_callbacks(execute=True):
        cases.transition(case.pk, "start_review", user=world.staff)
        cases.transition(case.pk, "approve", user=world.staff)
    cases.transition(case.pk, "deliver", user=world.staff)
    case.refresh_from_db()
    assert case.status == "delivered"

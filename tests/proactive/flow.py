"""Shortcuts to put an offer into a given stage, as the real steps do."""

from __future__ import annotations

from django.test import Client

from approvals import services as cases
from approvals.models import Case
from approvals.proactive.models import Offer
from portal.notifications.models import Notification

from .conftest import event
from .helpers import path_of, post_events, verify_identity


def confirmed_case(world, market_client, capture, method="courier") -> tuple[Offer, Case]:
    with capture(execute=True):
        post_events(market_client, [event(uscc=world.company.uscc)])
    link = path_of(Notification.objects.get(channel="inbox", recipient=world.rep_user).link)
    visitor = Client()
    response = verify_identity(visitor, link, "13953200001")
    response = visitor.post(response["Location"], {"action": "confirm"})
    response = visitor.post(
        response["Location"],
        {"method": method, "address": world.company.address, "recipient": "王建国"},
    )
    assert response.status_code == 302, response.content[:800]
    offer = Offer.objects.get()
    return offer, offer.case


def approved(world, market_client, capture) -> tuple[Offer, Case]:
    offer, case = confirmed_case(world, market_client, capture)
    with capture(execute=True):
        cases.transition(case.pk, "start_review", user=world.staff)
        cases.transition(case.pk, "approve", user=world.staff)
    offer.refresh_from_db()
    case.refresh_from_db()
    return offer, case

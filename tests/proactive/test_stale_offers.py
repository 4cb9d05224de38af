"""Offers whose send task was lost (a worker killed in the middle of a batch: the Redis broker
hands a task out once) go out with the every-minute sweep, once (issue 19, drill 2)."""

from approvals.proactive import tasks
from approvals.proactive.models import Offer, OfferStatus
from portal.notifications.models import Notification
from portal.schedules import declared

from .conftest import event
from .helpers import post_events


def test_the_sweep_sends_an_offer_whose_task_was_lost_and_only_once(world, market_client):
    # the events are stored and the offer made, but the send task queued after commit never ran
    post_events(market_client, [event(uscc=world.company.uscc)])
    offer = Offer.objects.get()
    assert offer.status == OfferStatus.CREATED and not Notification.objects.exists()

    stored = tasks.send_stale_offers()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT and stored == Notification.objects.count() > 0
    # the sweep again, or the lost task after all: nothing sent twice
    assert tasks.send_stale_offers() == 0
    assert tasks.send_offers([offer.pk]) == 0
    assert Notification.objects.count() == stored


def test_the_sweep_runs_every_minute():
    sweep = {d.name: d for d in declared()}["proactive-send-stale"]
    assert sweep.func == "approvals.proactive.tasks.send_stale_offers" and sweep.minutes == 1

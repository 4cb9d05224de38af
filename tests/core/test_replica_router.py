"""Read replica routing (portal/db.py, ADR 0113): public catalogue and outlet reads go to the
replica, everything else and every read in a transaction to the primary, and a user who has just
written reads the primary for the next seconds (read-your-writes)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from approvals.models import Case
from outlets.models import Outlet
from portal import db
from portal.catalogue.models import ServiceItem

router = db.ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: True)


def test_public_reads_go_to_the_replica_and_the_rest_to_the_primary(replica):
    assert router.db_for_read(ServiceItem) == "replica"
    assert router.db_for_read(Outlet) == "replica"
    assert router.db_for_read(Case) == "default"
    assert router.db_for_write(ServiceItem) == "default"
    assert router.allow_migrate("replica", "catalogue") is False
    assert router.allow_migrate("default", "catalogue") is True


def test_without_a_replica_everything_reads_the_primary():
    assert router.db_for_read(ServiceItem) == "default"


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_reads_the_primary(replica):
    with transaction.atomic():
        assert router.db_for_read(ServiceItem) == "default"
    assert router.db_for_read(ServiceItem) == "replica"


def _seen_by_the_view(request) -> tuple[str, HttpResponse]:
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(ServiceItem)
        return HttpResponse("ok")

    response = db.PrimaryPinMiddleware(view)(request)
    return seen["db"], response


def test_a_write_pins_its_user_to_the_primary_for_the_next_seconds(replica):
    factory = RequestFactory()
    before, response = _seen_by_the_view(factory.get("/items/"))
    assert before == "replica" and db.PIN_COOKIE not in response.cookies

    during, response = _seen_by_the_view(factory.post("/outlets/manage/publish/"))
    assert during == "default"
    pin = response.cookies[db.PIN_COOKIE]
    assert pin["max-age"] == db.PIN_SECONDS and pin["httponly"]

    # the next page of the same browser (the cookie comes back) reads the primary ...
    following = factory.get("/items/")
    following.COOKIES[db.PIN_COOKIE] = "1"
    assert _seen_by_the_view(following)[0] == "default"
    # ... and once it has expired, the replica again; the pin never leaks into another request
    assert _seen_by_the_view(factory.get("/items/"))[0] == "replica"
    assert router.db_for_read(ServiceItem) == "replica"

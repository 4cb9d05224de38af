"""A batch that loses a deadlock to a concurrent batch is run again, whole."""

import pytest
from django.db import OperationalError

from approvals.proactive import services
from approvals.proactive.events import parse_batch
from approvals.proactive.models import Company, LicenceEvent, Offer

from .conftest import event


class _Deadlock(Exception):
    sqlstate = "40P01"


def _flaky(real, failures: int):
    calls = {"n": 0}

    def ingest(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= failures:
            try:
                raise _Deadlock("deadlock detected")
            except _Deadlock as cause:
                raise OperationalError("deadlock detected") from cause
        return real(*args, **kwargs)

    return ingest, calls


def _patch(monkeypatch, failures: int):
    from django.db import connection

    name = "_ingest_postgresql" if connection.vendor == "postgresql" else "_ingest_portable"
    ingest, calls = _flaky(getattr(services.ingest, name), failures)
    monkeypatch.setattr(services.ingest, name, ingest)
    return calls


@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_batch_is_run_again_and_stored_once(world, monkeypatch):
    calls = _patch(monkeypatch, failures=1)
    events, bad = parse_batch([event(uscc=world.company.uscc)])
    assert not bad
    result = services.ingest_licence_events(events)
    assert calls["n"] == 2
    assert result.created == 1 and result.offers_created == 1
    assert LicenceEvent.objects.count() == 1
    assert Offer.objects.filter(certificate=world.certificate).count() == 1
    assert Company.objects.get(pk=world.company.pk).legal_representative == "李海峰"


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_keeps_deadlocking_fails_and_stores_nothing(world, monkeypatch):
    calls = _patch(monkeypatch, failures=services.DEADLOCK_ATTEMPTS)
    events, _ = parse_batch([event(uscc=world.company.uscc)])
    with pytest.raises(OperationalError):
        services.ingest_licence_events(events)
    assert calls["n"] == services.DEADLOCK_ATTEMPTS
    assert not LicenceEvent.objects.exists()
    assert not Offer.objects.exists()


def test_inside_an_outer_transaction_a_deadlock_is_not_retried(world, monkeypatch):
    """The outer transaction is lost with the deadlock: running the batch again inside it would
    be wrong, so the error goes up at once."""
    calls = _patch(monkeypatch, failures=1)
    events, _ = parse_batch([event(uscc=world.company.uscc)])
    with pytest.raises(OperationalError):
        services.ingest_licence_events(events)
    assert calls["n"] == 1

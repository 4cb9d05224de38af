"""Two staff approving at once issue one certificate (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from approvals import services as cases
from approvals.proactive.models import Certificate, Offer
from portal.workflow import Refused

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def test_two_staff_approving_at_once_issue_one_certificate(world, market_client):
    from tests.factories import StaffUserFactory

    from .flow import confirmed_case

    class Immediate:
        """on_commit runs for real in a transactional test: no capture needed."""

        def __call__(self, execute=True):
            import contextlib

            return contextlib.nullcontext()

    _offer, case = confirmed_case(world, market_client, Immediate())
    cases.transition(case.pk, "start_review", user=world.staff)
    other = StaffUserFactory(username="reviewer2", department=world.item.department)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user):
        try:
            barrier.wait()
            cases.transition(case.pk, "approve", user=user)
            outcomes.append("approved")
        except Refused as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (world.staff, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "not_allowed_now"]
    assert Certificate.objects.filter(supersedes=world.certificate).count() == 1
    assert Offer.objects.get().new_certificate is not None


def test_issuing_twice_at_once_issues_one(world, market_client):
    from approvals.proactive import services

    from .flow import confirmed_case

    class Immediate:
        def __call__(self, execute=True):
            import contextlib

            return contextlib.nullcontext()

    _offer, case = confirmed_case(world, market_client, Immediate())
    barrier = threading.Barrier(2)
    results = []

    def issue():
        try:
            barrier.wait()
            results.append(services.issue_certificate_for_case(case.pk).pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert Certificate.objects.count() == 2

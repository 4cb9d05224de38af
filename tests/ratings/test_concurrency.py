"""Two staff members resolve the same follow-up at the same moment: one wins, the other is told
it is already resolved. Needs real row locks: PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from portal.accounts.models import Role
from portal.ratings import services
from portal.ratings.models import FollowUpStatus
from portal.workflow import NotNow
from tests.factories import ServiceItemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_only_one_of_two_simultaneous_resolutions_wins():
    case = ServiceItemFactory()
    follow_up = services.rate(
        subject=case, user=UserFactory(), score=1, department=case.department
    ).follow_up
    staff = [UserFactory(role=Role.DEPARTMENT_STAFF, department=case.department) for _ in range(4)]
    barrier = threading.Barrier(len(staff))
    outcomes: list[str] = []

    def resolve(user):
        try:
            barrier.wait()
            services.resolve_follow_up(follow_up.pk, user=user, note=f"by {user.username}")
            outcomes.append("ok")
        except NotNow:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resolve, args=(u,)) for u in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already"] * 3 + ["ok"]
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RESOLVED
    assert follow_up.resolution_note == f"by {follow_up.resolved_by.username}"

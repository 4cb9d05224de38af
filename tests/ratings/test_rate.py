import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from portal.notifications.models import Notification
from portal.ratings import selectors, services
from portal.ratings.models import FollowUp, FollowUpStatus, Rating
from tests.factories import ServiceItemFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case():
    """Any saved model stands in for a finished case (the relation is generic)."""
    return ServiceItemFactory()


def freeze_today(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def test_good_rating_opens_no_follow_up(case):
    rating = services.rate(
        subject=case, user=UserFactory(), score=5, comment="很快", department=case.department
    )
    assert selectors.rating_for(case) == rating
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("score", [1, 2])
def test_bad_rating_opens_a_follow_up_due_in_three_working_days(case, score, monkeypatch):
    # Friday 25 September 2026: the next three working days are 28, 29, 30 September
    # (National Day holidays start on 1 October).
    freeze_today(monkeypatch, datetime.date(2026, 9, 25))
    rating = services.rate(
        subject=case, user=UserFactory(), score=score, department=case.department, item=case
    )
    follow_up = rating.follow_up
    assert follow_up.department == case.department
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.due_date == datetime.date(2026, 9, 30)


def test_follow_up_due_date_skips_the_national_day_week(case, monkeypatch):
    freeze_today(monkeypatch, datetime.date(2026, 9, 30))
    rating = services.rate(subject=case, user=UserFactory(), score=1, department=case.department)
    # 1-7 October are holidays in 2026; 8 October is the first working day after them.
    assert rating.follow_up.due_date > datetime.date(2026, 10, 7)


def test_due_date_follows_the_setting(case, monkeypatch, settings):
    settings.RATINGS = {"FOLLOW_UP_WORKING_DAYS": 1}
    freeze_today(monkeypatch, datetime.date(2026, 9, 25))
    rating = services.rate(subject=case, user=UserFactory(), score=2, department=case.department)
    assert rating.follow_up.due_date == datetime.date(2026, 9, 28)


def test_bad_rating_tells_the_departments_staff(case, django_capture_on_commit_callbacks):
    staff = StaffUserFactory(department=case.department)
    other = StaffUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rating = services.rate(
            subject=case, user=UserFactory(), score=1, comment="态度差", department=case.department
        )
    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff.pk]
    assert Notification.objects.get().body == "态度差"
    assert Notification.objects.get().link == (
        f"/admin/ratings/followup/{rating.follow_up.pk}/change/"
    )
    assert not Notification.objects.filter(recipient=other).exists()


def test_one_rating_per_subject(case):
    user = UserFactory()
    services.rate(subject=case, user=user, score=4, department=case.department)
    with pytest.raises(ValidationError, match="already been rated"):
        services.rate(subject=case, user=user, score=1, department=case.department)
    assert Rating.objects.count() == 1
    assert not FollowUp.objects.exists()


def test_database_refuses_a_second_rating_too(case):
    from django.contrib.contenttypes.models import ContentType
    from django.db import IntegrityError, transaction

    services.rate(subject=case, user=UserFactory(), score=4, department=case.department)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            content_type=ContentType.objects.get_for_model(case),
            object_id=str(case.pk),
            user=UserFactory(),
            score=3,
            department=case.department,
        )


@pytest.mark.parametrize("score", [0, 6, "x", None])
def test_score_must_be_1_to_5(case, score):
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.rate(subject=case, user=UserFactory(), score=score, department=case.department)


def test_unfinished_case_cannot_be_rated(case):
    case.is_finished = False
    with pytest.raises(ValidationError, match="finished"):
        services.rate(subject=case, user=UserFactory(), score=5, department=case.department)


def test_rating_for_an_unrated_subject_is_none(case):
    assert selectors.rating_for(case) is None


def test_overdue_follow_ups_are_reminded_once_a_day(case, monkeypatch):
    from portal.ratings.tasks import remind_overdue

    staff = StaffUserFactory(department=case.department)
    freeze_today(monkeypatch, datetime.date(2026, 9, 25))
    rating = services.rate(subject=case, user=UserFactory(), score=1, department=case.department)
    assert remind_overdue() == 0  # not due yet
    freeze_today(monkeypatch, datetime.date(2026, 10, 8))
    assert remind_overdue() == 1
    assert remind_overdue() == 0  # the same day: nothing new
    message = Notification.objects.filter(recipient=staff, key__startswith="ratings:overdue:").get()
    assert "2026-09-30" in message.subject
    assert "逾期" in message.subject  # the record's text is the portal's language
    assert "overdue" in message.translations["en"]["subject"]  # an English inbox reads this
    assert message.link == f"/admin/ratings/followup/{rating.follow_up.pk}/change/"
    freeze_today(monkeypatch, datetime.date(2026, 10, 9))
    assert remind_overdue() == 1

import datetime

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from portal.accounts import services
from portal.accounts.models import OneTimeCode
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def age_codes(mobile: str, seconds: int) -> None:
    """Pretend the codes for ``mobile`` were issued ``seconds`` earlier."""
    for otp in OneTimeCode.objects.filter(mobile=mobile):
        otp.created_at -= datetime.timedelta(seconds=seconds)
        otp.expires_at -= datetime.timedelta(seconds=seconds)
        otp.save()
    caches["ratelimit"].delete(f"otp-issue:{mobile}")


def test_code_is_sent_by_sms_and_stored_hashed(read_code):
    services.issue_code(MOBILE, "login")
    code = read_code(MOBILE)
    otp = OneTimeCode.objects.get()
    assert len(code) == 6
    assert code not in otp.code_hash
    assert Notification.objects.get().channel == "sms"
    assert services.verify_code(MOBILE, "login", code) is True


def test_code_works_only_once(read_code):
    services.issue_code(MOBILE, "login")
    code = read_code(MOBILE)
    assert services.verify_code(MOBILE, "login", code)
    with pytest.raises(ValidationError, match="no valid code"):
        services.verify_code(MOBILE, "login", code)


def test_code_is_bound_to_its_purpose(read_code):
    services.issue_code(MOBILE, "login")
    with pytest.raises(ValidationError, match="no valid code"):
        services.verify_code(MOBILE, "confirm", read_code(MOBILE))


def test_wrong_code_says_how_many_attempts_are_left(read_code):
    services.issue_code(MOBILE, "login")
    wrong = "000000" if read_code(MOBILE) != "000000" else "111111"
    with pytest.raises(ValidationError, match="4 attempts left"):
        services.verify_code(MOBILE, "login", wrong)
    assert OneTimeCode.objects.get().attempts == 1


def test_code_dies_after_five_attempts(read_code):
    services.issue_code(MOBILE, "login")
    code = read_code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ValidationError, match="wrong"):
            services.verify_code(MOBILE, "login", wrong)
    with pytest.raises(ValidationError, match="Too many wrong attempts"):
        services.verify_code(MOBILE, "login", wrong)
    # Even the right code no longer works.
    with pytest.raises(ValidationError, match="no valid code"):
        services.verify_code(MOBILE, "login", code)
    assert OneTimeCode.objects.get().dead


def test_attempts_count_even_when_the_caller_rolls_back(read_code):
    from django.db import transaction

    services.issue_code(MOBILE, "login")
    code = read_code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        try:
            with transaction.atomic():
                services.verify_code(MOBILE, "login", wrong)
        except ValidationError:
            pass
    OneTimeCode.objects.update(attempts=0)  # as if the database counter had been rolled back
    with pytest.raises(ValidationError, match="Too many wrong attempts"):
        services.verify_code(MOBILE, "login", code)


def test_code_expires_after_five_minutes(read_code):
    services.issue_code(MOBILE, "login")
    code = read_code(MOBILE)
    age_codes(MOBILE, 301)
    with pytest.raises(ValidationError, match="expired"):
        services.verify_code(MOBILE, "login", code)


def test_code_still_works_just_before_expiry(read_code):
    services.issue_code(MOBILE, "login")
    code = read_code(MOBILE)
    age_codes(MOBILE, 290)
    assert services.verify_code(MOBILE, "login", code)


def test_one_code_per_minute():
    services.issue_code(MOBILE, "login")
    with pytest.raises(ValidationError, match="ask for a new one in"):
        services.issue_code(MOBILE, "login")
    # Also when the cache guard is gone (another process): the database says no.
    caches["ratelimit"].delete(f"otp-issue:{MOBILE}")
    with pytest.raises(ValidationError, match="ask for a new one in"):
        services.issue_code(MOBILE, "login")
    age_codes(MOBILE, 61)
    services.issue_code(MOBILE, "login")
    assert OneTimeCode.objects.count() == 2


def test_new_code_replaces_the_old_one(read_code):
    services.issue_code(MOBILE, "login")
    old = read_code(MOBILE)
    age_codes(MOBILE, 61)
    services.issue_code(MOBILE, "login")
    new = read_code(MOBILE)
    if old != new:
        with pytest.raises(ValidationError):
            services.verify_code(MOBILE, "login", old)
    assert services.verify_code(MOBILE, "login", new)


def test_at_most_ten_codes_a_day():
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=1)
    for _ in range(10):
        OneTimeCode.objects.create(
            mobile=MOBILE,
            purpose="login",
            code_hash="x",
            expires_at=start + datetime.timedelta(minutes=5),
        )
    OneTimeCode.objects.update(created_at=start)
    with pytest.raises(
        ValidationError, match="Too many codes were requested for this number today"
    ):
        services.issue_code(MOBILE, "login")
    # Other numbers are not affected.
    services.issue_code("13912345679", "login")


def test_refuses_a_number_that_is_not_a_mobile_number():
    with pytest.raises(ValidationError, match="11-digit mobile number"):
        services.issue_code("02012345678", "login")
    assert not OneTimeCode.objects.exists()


def test_the_sms_carrying_the_code_is_marked_sensitive():
    services.issue_code(MOBILE, "login")
    assert Notification.objects.get().sensitive is True


def test_department_staff_cannot_read_sms_in_the_admin(client):
    from portal.accounts.services import assign_role
    from tests.factories import DepartmentFactory, UserFactory

    services.issue_code(MOBILE, "login")
    staff = UserFactory()
    assign_role(staff, "department_staff", DepartmentFactory())
    client.force_login(staff)
    assert client.get("/admin/notifications/notification/").status_code == 403


def test_old_codes_are_purged():
    services.issue_code(MOBILE, "login")
    age_codes(MOBILE, 3 * 24 * 3600)
    services.issue_code(MOBILE, "login")
    from portal.accounts.tasks import purge_codes

    assert purge_codes() == 1
    assert OneTimeCode.objects.count() == 1

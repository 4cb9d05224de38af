"""A message for one person goes to their inbox when they have an account and by SMS when their
mobile is known; each channel once, whoever asks again."""

import pytest

from portal.notifications import services
from portal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(**kwargs):
    return services.send_bulk(
        services.to_person(subject="您的办件需补齐材料", body="请尽快补齐。", key="k1", **kwargs)
    )


def test_an_account_holder_with_a_mobile_gets_inbox_and_sms():
    user = UserFactory(mobile="13800000009")
    assert _send(user=user, mobile="13800000009") == 2
    rows = {n.channel: n for n in Notification.objects.all()}
    assert set(rows) == {"inbox", "sms"}
    assert rows["inbox"].recipient == user
    assert rows["sms"].address == "13800000009"


def test_without_an_account_only_sms_and_without_a_mobile_only_the_inbox():
    assert _send(user=None, mobile="13800000008") == 1
    assert Notification.objects.get().channel == "sms"
    Notification.objects.all().delete()
    assert _send(user=UserFactory(), mobile="") == 1
    assert Notification.objects.get().channel == "inbox"


def test_asking_twice_sends_once():
    user = UserFactory()
    _send(user=user, mobile="13800000007")
    assert _send(user=user, mobile="13800000007") == 0
    assert Notification.objects.count() == 2

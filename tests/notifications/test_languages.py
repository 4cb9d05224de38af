"""An inbox message in the reader's language (ADR 0125): the same message reads in Chinese on the
Chinese inbox and in English on the English inbox and API, while the SMS beside it stays in
Chinese; a message stored without a translation still reads as stored, its Chinese marked."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.languages import in_each_language
from portal.notifications import services
from portal.notifications.models import Notification
from portal.templatetags.names import chinese_parts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Legal aid %(ref)s: aid granted"
BODY = "Legal aid has been granted. A lawyer will be assigned within 3 days."


@pytest.fixture
def alice():
    return UserFactory(username="alice", mobile="13900000001")


def _granted(reference="FY2026000001"):
    return in_each_language(lambda: (gettext(SUBJECT) % {"ref": reference}, gettext(BODY)))


def test_composed_once_per_language_and_read_as_chinese():
    with translation.override("en"):  # whatever the sender's page is in
        subject, body = _granted()
    assert subject == "法律援助申请FY2026000001：决定给予法律援助"
    assert subject.by_language["en"] == "Legal aid FY2026000001: aid granted"
    assert str(body) == body.by_language["zh-hans"] != body.by_language["en"] == BODY


def test_the_inbox_reads_in_the_readers_language_and_the_sms_stays_chinese(client, alice):
    subject, body = _granted()
    services.send_bulk(
        services.to_person(user=alice, mobile=alice.mobile, subject=subject, body=body, key="k")
    )
    inbox = Notification.objects.get(key="k:inbox")
    sms = Notification.objects.get(key="k:sms")
    assert inbox.subject == sms.subject == "法律援助申请FY2026000001：决定给予法律援助"
    assert sms.translations == {}  # a phone gets one text, in Chinese
    assert inbox.translations["en"]["subject"] == "Legal aid FY2026000001: aid granted"

    client.force_login(alice)
    chinese = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    assert "决定给予法律援助" in chinese.content.decode()
    page = english.content.decode()
    assert "Legal aid FY2026000001: aid granted" in page
    assert BODY in page
    assert "决定给予法律援助" not in page

    api = client.get("/api/v1/inbox/", HTTP_ACCEPT_LANGUAGE="en").json()
    [message] = api["results"] if isinstance(api, dict) else api
    assert (message["subject"], message["body"]) == ("Legal aid FY2026000001: aid granted", BODY)
    one = client.get(f"/api/v1/inbox/{inbox.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert one["subject"] == "法律援助申请FY2026000001：决定给予法律援助"


def test_a_message_without_translation_reads_as_stored_with_its_chinese_marked(client, alice):
    services.send(channel="inbox", recipient=alice, subject="旧消息", body="办件已受理", key="old")
    client.force_login(alice)
    page = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="zh-CN">旧消息</span>' in page
    assert '<span lang="zh-CN">办件已受理</span>' in page


def test_a_secret_is_kept_in_one_text_only(alice):
    subject, body = in_each_language(lambda: (gettext("Verification code"), "123456"))
    message = services.send(
        channel="inbox", recipient=alice, subject=subject, body=body, key="code", sensitive=True
    )
    assert message.translations == {}


def test_english_text_quoting_chinese_marks_only_the_chinese():
    with translation.override("en"):
        marked = chinese_parts("Case 2026 for 青岛海鲜 有限公司 <b> is accepted at 市民中心.")
        assert marked == (
            'Case 2026 for <span lang="zh-CN">青岛海鲜 有限公司</span> &lt;b&gt; is accepted at '
            '<span lang="zh-CN">市民中心</span>.'
        )
    with translation.override("zh-hans"):
        assert chinese_parts("青岛 <b>") == "青岛 &lt;b&gt;"


def test_a_localized_text_survives_a_queue():
    import copy
    import pickle

    subject, _body = _granted()
    for twin in (pickle.loads(pickle.dumps(subject)), copy.deepcopy(subject)):  # noqa: S301
        assert twin == subject
        assert twin.by_language == subject.by_language

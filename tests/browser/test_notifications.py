"""Notifications in a real browser (issue 14 point 5): an offer reaches its holder once per
channel, however often the event arrives and the sending is retried; no message has an empty
body; after signing in, the header's unread count says a message is waiting; the inbox shows the
offer in readable words, no raw signed link, and a button that says what it does and opens the
offer. In Chinese and English, with axe-core on the pages."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from approvals.proactive import services
from approvals.proactive.events import parse_batch
from approvals.proactive.models import Offer
from approvals.proactive.tasks import send_offers
from portal.notifications.models import Notification
from tests.browser.conftest import assert_accessible
from tests.proactive.conftest import _fresh_cache, event, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORDS = {
    "zh-hans": {
        "heading": "我的消息",
        "unread": "1 条未读消息",
        "button": "查看并确认",
        "question": "是否需要",
    },
    "en": {
        "heading": "My messages",
        "unread": "1 unread message",
        "button": "Review and confirm",
        "question": "Do you want",
    },
}


#: the width of an opening quotation mark set in the message's text, in ems
QUOTE_WIDTH = """(item) => {
  const mark = document.createElement('span');
  mark.textContent = '\u201c';
  item.querySelector('h2').append(mark);
  const width = mark.getBoundingClientRect().width / parseFloat(getComputedStyle(mark).fontSize);
  mark.remove();
  return width;
}"""


def sign_in(page, live_server, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_one_message_per_channel_and_an_unread_count_after_sign_in(
    page,
    live_server,
    world,  # noqa: F811
    language,
):
    events, bad = parse_batch([event(uscc=world.company.uscc)])
    assert not bad
    services.ingest_licence_events(events)  # commits: the offer is sent at once
    # the same event again, and the sending retried: nothing new is sent
    services.ingest_licence_events(parse_batch([event(uscc=world.company.uscc)])[0])
    send_offers(list(Offer.objects.values_list("pk", flat=True)))
    messages = list(Notification.objects.all())
    # the key names the offer, the contact and the channel (a second one is never stored)
    per_contact_channel = Counter(message.key for message in messages)
    assert all(count == 1 for count in per_contact_channel.values()), per_contact_channel
    offer = Offer.objects.get()
    holder = {
        m.channel
        for m in messages
        if m.key.startswith(f"proactive:offer:{offer.pk}:{world.rep.pk}:")
    }
    assert {"inbox", "sms"} <= holder, holder
    assert len([m for m in messages if m.recipient_id == world.rep_user.pk]) == 1  # one inbox
    assert all(message.body.strip() for message in messages)

    words = WORDS[language]
    sign_in(page, live_server, "company_rep", language)
    inbox_link = page.locator("header a.inbox-link")
    assert inbox_link.locator(".count-badge").inner_text() == "1"
    assert words["unread"] in inbox_link.inner_text()  # read out by screen readers
    assert_accessible(page)

    inbox_link.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == words["heading"]  # glossary
    [item] = page.locator("li.notification").all()
    text = item.inner_text()
    assert "http" not in text and "/proactive/offers/" not in text
    body = item.locator("p").filter(has_not=page.locator("time")).last.inner_text()
    assert body.strip()
    # the message itself in the reader's language (ADR 0125), not only the page around it
    assert words["question"] in item.get_by_role("heading", level=2).inner_text()
    assert words["question"] in body
    # its quotation marks: full-width in Chinese, proportional in English (not “ Simple ”)
    quote_width = page.evaluate(QUOTE_WIDTH, item.element_handle())
    assert quote_width > 0.8 if language == "zh-hans" else quote_width < 0.6, quote_width
    button = item.get_by_role("button", name=re.compile(f"^{re.escape(words['button'])}"))
    assert button.count() == 1
    assert_accessible(page)
    button.click()
    page.wait_for_url(re.compile(r"/proactive/offers/[^/]+/$"))
    assert_accessible(page)
    # read now: the count is gone
    assert page.locator("header a.inbox-link .count-badge").count() == 0

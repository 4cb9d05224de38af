"""An offer link that no longer works says why and what to do next (issue 14 point 2): a link cut
short by the SMS (the most common failure) and an expired one each get a page in the site layout,
in the visitor's language, that names the fault and offers "sign in and see my offers" and 12345;
never Django's bare "Not Found"."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from portal.notifications.models import Notification

from .conftest import event
from .helpers import path_of, post_events


@pytest.fixture
def make_offer(world, market_client, django_capture_on_commit_callbacks):
    def make():
        with django_capture_on_commit_callbacks(execute=True):
            post_events(market_client, [event(uscc=world.company.uscc)])

    return make


def _link() -> str:
    return path_of(Notification.objects.get(channel="inbox").link)


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("zh-hans", ["链接不完整", "短信会截断", "登录后查看收到的推送", "12345", "返回首页"]),
        ("en", ["This link is incomplete", "cut long links", "Sign in and see my offers", "12345"]),
    ],
)
@pytest.mark.parametrize("cut", [10, 25, 40])
def test_a_link_cut_short_by_the_sms_says_so_and_offers_the_next_step(
    world, make_offer, language, says, cut
):
    make_offer()
    link = _link()
    truncated = link[: len("/proactive/offers/") + cut]  # no closing slash: as an SMS cuts it
    response = Client().get(truncated, follow=True, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert '<main id="main"' in body and 'class="site-header"' in body
    for text in says:
        assert text in body, text
    assert "/accounts/login/?next=/inbox/" in body
    assert "Not Found" not in body


@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [
        ("zh-hans", ["链接已过期", "登录后查看收到的推送", "12345"], ["expired"]),
        ("en", ["This link has expired", "Sign in and see my offers", "12345"], ["链接"]),
    ],
)
def test_an_expired_link_says_so_and_offers_the_next_step(
    world, make_offer, language, says, not_says
):
    make_offer()
    link = _link()
    in_31_days = timezone.now().timestamp() + 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=in_31_days):
        response = Client().get(link, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 410
    body = response.content.decode()
    for text in says:
        assert text in body, text
    main = body[body.index('<main id="main"') : body.index("</main>")]
    for text in not_says:
        assert text not in main, text


def test_a_signed_in_holder_is_sent_straight_to_their_messages(world, make_offer):
    make_offer()
    visitor = Client()
    visitor.force_login(world.rep_user)
    body = visitor.get(_link()[:40], follow=True).content.decode()
    assert 'href="/inbox/"' in body and "在“我的消息”中查看推送" in body

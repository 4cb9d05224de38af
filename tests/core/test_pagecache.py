"""Cached public pages (portal.pagecache, ADR 0099): a cached page carries the visitor's own
CSRF token, signed-in users are never served a visitor's page, and languages do not mix."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from portal import pagecache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_cached_page_posts_with_the_visitor_s_own_token():
    first = Client(enforce_csrf_checks=True)
    first.get("/items/")  # renders and stores the page
    second = Client(enforce_csrf_checks=True)
    page = second.get("/items/")
    assert "@@csrf-token@@" not in page.content.decode()
    token = TOKEN.search(page.content.decode()).group(1)
    assert "csrftoken" in page.cookies  # the visitor's secret, set with the cached page
    response = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_languages_and_signed_in_users_get_their_own_page(django_user_model):
    assert 'lang="zh-CN"' in Client().get("/items/").content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/items/").content.decode()
    assert 'lang="en"' in english
    user = django_user_model.objects.create_user("someone", password="x" * 12)
    signed_in = Client()
    signed_in.force_login(user)
    assert 'action="/accounts/logout/"' in signed_in.get("/items/").content.decode()


def test_a_new_time_bucket_is_rendered_once_and_meanwhile_the_latest_answer_served():
    minute = pagecache.Key(now="t:1000", latest="t:latest", per="minute")
    assert minute.lookup() is None  # nothing yet: render
    minute.store("open at 10:00")
    following = pagecache.Key(now="t:1001", latest="t:latest", per="minute")
    assert following.lookup() is None  # the first request of 10:01 renders
    assert following.lookup() == "open at 10:00"  # the others meanwhile: same data version
    following.store("open at 10:01")
    assert following.lookup() == "open at 10:01"
    # a new data version (stored with the answer, not in the key) never gets the older answer,
    # neither this bucket's nor the latest
    pagecache.changed("catalogue")
    assert pagecache.Key(now="t:1001", latest="t:latest", per="minute").lookup() is None
    assert pagecache.Key(now="t:1002", latest="t:latest", per="minute").lookup() is None

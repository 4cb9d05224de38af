"""Error pages speak the visitor's language whole: a truncated SMS link (the most common way to
reach a missing page) answers in the site layout, in Chinese with no English sentence left, and
in English when chosen (issue 14, point 2)."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [
        (
            "zh-hans",
            ["页面不存在", "返回首页", "12345", "错误代码 404"],
            ["does not exist", "Back to"],
        ),
        ("en", ["does not exist", "Back to the home page", "Error code 404"], ["页面不存在"]),
    ],
)
def test_a_missing_page_answers_a_page_in_the_visitors_language(client, language, says, not_says):
    # (a truncated offer link gets its own words: tests/proactive/test_offer_links.py)
    response = client.get("/no-such-page/at-all/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert '<main id="main"' in body  # the site layout, not Django's bare page
    for text in says:
        assert text in body, text
    for text in not_says:
        assert text not in body, text


# ----- every error status in the site layout, both languages, with a way back (issue 14 pt 2) ---

LAYOUT = ('<main id="main"', 'class="site-header"', 'class="site-footer"')


def _check(response, status, says, not_says=()):
    assert response.status_code == status
    body = response.content.decode()
    for part in LAYOUT:
        assert part in body, part
    for text in says:
        assert text in body, text
    main = body[body.index('<main id="main"') : body.index("</main>")]
    for text in not_says:
        assert text not in main, text
    return body


ZH_WAY_BACK = ["返回首页", "12345"]
EN_WAY_BACK = ["Back to the home page", "12345"]


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [
        ("zh-hans", ["权限", "错误代码 403", *ZH_WAY_BACK], ["permission"]),
        ("en", ["permission", "Error code 403", *EN_WAY_BACK], ["权限"]),
    ],
)
def test_403_in_the_layout(client, language, says, not_says):
    response = client.get("/cases/staff/", HTTP_ACCEPT_LANGUAGE=language)
    if response.status_code == 302:  # the staff page sends visitors to sign in first
        from tests.factories import UserFactory

        client.force_login(UserFactory(username="plain_citizen"))
        response = client.get("/cases/staff/", HTTP_ACCEPT_LANGUAGE=language)
    _check(response, 403, says, not_says)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "says"),
    [("zh-hans", ["错误代码 400", *ZH_WAY_BACK]), ("en", ["Error code 400", *EN_WAY_BACK])],
)
def test_400_in_the_layout(rf, language, says):
    from django.utils import translation

    from portal.errors import bad_request

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override(language):
        _check(bad_request(request), 400, says)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [
        ("zh-hans", ["表单未能提交", "安全", "返回填写页面", *ZH_WAY_BACK], ["security check"]),
        ("en", ["The form could not be sent", "security check", "Back to the form"], ["安全"]),
    ],
)
def test_a_csrf_failure_in_the_layout_leads_back_to_the_form(language, says, not_says):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/accounts/login/",
        {"password-username": "x"},
        HTTP_ACCEPT_LANGUAGE=language,
        HTTP_REFERER="http://testserver/accounts/login/",
    )
    body = _check(response, 403, says, not_says)
    assert 'href="http://testserver/accounts/login/"' in body


@override_settings(DEBUG=False)
def test_a_csrf_failure_never_links_back_to_another_site():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {}, HTTP_REFERER="https://evil.example/phish"
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [
        ("zh-hans", ["服务暂时不可用", "返回首页", "12345", "错误代码 500"], ["went wrong"]),
        ("en", ["Service temporarily unavailable", "Back to the home page", "12345"], ["系统"]),
    ],
)
def test_500_in_the_layout_without_the_database_or_context(rf, language, says, not_says):
    from django.utils import translation

    from portal.errors import server_error

    with translation.override(language):
        response = server_error(rf.get("/some/page/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert '<main id="main"' in body and 'class="site-header"' in body
    assert f'lang="{"en" if language == "en" else "zh-CN"}"' in body
    for text in says:
        assert text in body, text
    for text in not_says:
        assert text not in body, text


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".ico")
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page

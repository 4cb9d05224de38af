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
def test_a_truncated_offer_link_answers_a_page_in_the_visitors_language(
    client, language, says, not_says
):
    response = client.get("/proactive/offers/abc/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert '<main id="main"' in body  # the site layout, not Django's bare page
    for text in says:
        assert text in body, text
    for text in not_says:
        assert text not in body, text

"""One word per concept (docs/glossary.md, issue 14 point 10): the catalogues use none of the
banned variants, Django's own admin words are overridden where they differ from the portal's
("过滤器" beside "筛选"), and the language menu names each language in its own words."""

from __future__ import annotations

import pathlib

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUES = [
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
]


def _entries():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            yield path.relative_to(ROOT), entry


@pytest.mark.parametrize("banned", ["过滤", "英语", "Django 管理", "已出证"])
def test_no_catalogue_uses_a_banned_variant(banned):
    found = [
        f"{path}: {entry.msgid!r} -> {entry.msgstr!r}"
        for path, entry in _entries()
        if banned in entry.msgstr or any(banned in s for s in entry.msgstr_plural.values())
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [
        ("Filter", "筛选"),  # Django's admin says 过滤器
        ("Overdue", "已超期"),
        ("Result issued", "已出具结果"),
        ("Working days", "工作日"),
        ("Qingdao Government Services", "青岛政务服务网"),
    ],
)
def test_the_portal_says_its_own_word(msgid, chinese):
    with translation.override("zh-hans"):
        assert gettext(msgid) == chinese


def test_the_admin_filter_heading_reads_an_jian():
    with translation.override("zh-hans"):
        assert gettext(" By %(filter_title)s ") % {"filter_title": "状态"} == " 按状态 "


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_language_menu_names_each_language_in_its_own_words(client, language):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    menu = body[body.index('id="language-select"') : body.index("</select>")]
    assert '<option value="zh-hans" lang="zh-CN"' in menu and ">中文</option>" in menu
    assert '<option value="en" lang="en"' in menu and ">English</option>" in menu
    assert "英语" not in menu and "简体中文" not in menu


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "link", "heading"),
    [("zh-hans", "开放接口", "接口地址"), ("en", "Open API", "Base address")],
)
def test_the_footer_leads_developers_to_a_page_of_their_own_not_straight_to_swagger(
    client, language, link, heading
):
    home = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    footer = home[home.index('<footer class="site-footer"') :]
    assert f'<a href="/developers/">{link}</a>' in footer
    assert "/api/docs/" not in footer
    page = client.get("/developers/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page and 'href="/api/schema/"' in page and 'href="/api/docs/"' in page

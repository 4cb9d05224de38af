"""English pages are in English (issue 14 point 9, and the acceptance's "in Chinese and English"):
the main pages, as a visitor and as each demo role, show no Chinese characters a reader of
English is left with, except data that has no English (a person's or a company's name, an
address, a note as typed), which is marked ``lang="zh-CN"`` so a screen reader reads it in a
Chinese voice (WCAG 3.1.2) and a reader knows it is a name, not a label left untranslated.

The demo's catalogue, accounts, outlets and cases; legal aid from its reference data and the
test factories (its whole demo writes 15,700 applications: 80 s)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from approvals.models import Case
from legal_aid import reference
from tests.browser.conftest import assert_accessible
from tests.legal_aid import factories as legal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Visible text in Chinese outside an element marked as Chinese: "tag.class: text" per node.
#: A <select>'s options count when the select shows (an open list shows them all).
UNMARKED_CHINESE = r"""() => {
  const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!CJK.test(node.textContent)) continue;
    const element = node.parentElement;
    if (element.closest('script, style, template, noscript')) continue;
    const shown = element.closest('select') || element;
    if (!shown.checkVisibility()) continue;
    const lang = (element.closest('[lang]')?.getAttribute('lang') || '').toLowerCase();
    if (lang === 'zh' || lang.startsWith('zh-')) continue;
    const name = element.tagName.toLowerCase()
      + (element.className && typeof element.className === 'string'
         ? '.' + element.className.trim().split(/\s+/).join('.') : '');
    found.push(`${name}: ${node.textContent.trim().slice(0, 60)}`);
  }
  return found;
}"""


@pytest.fixture
def city(transactional_db):
    with override_settings(DEBUG=True):  # the demo accounts' passwords are for DEBUG only
        call_command(
            "load_demo", only=["catalogue", "accounts", "outlets", "approvals"], stdout=StringIO()
        )
    reference.load()
    legal.staff_user("370200", username="qingdao_legal_aid")
    legal.lawyer("370200")
    # an application to the Qingdao centre (the intermediate court's), as a worker makes one
    legal.submit(legal.citizen(), body=legal.body("C370200"))
    citizen_case = Case.objects.filter(applicant_user__username="citizen").order_by("pk").first()
    assert citizen_case is not None
    return {"citizen_case": citizen_case.get_absolute_url()}


def _sign_in(page, base: str, username: str | None) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    if username is None:
        return
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_password-username").fill(username)
    password = "correct-horse-battery" if username == "qingdao_legal_aid" else "demo12345"
    page.locator("#id_password-password").fill(password)
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url != f"{base}/accounts/login/", f"{username} could not sign in"


def _check(page, where: str, seen: dict[str, list[str]]) -> None:
    assert page.locator("html").get_attribute("lang") == "en", where
    found = page.evaluate(UNMARKED_CHINESE)
    if found:
        seen[where] = found
    assert_accessible(page)


def _follow_first(page, selector: str) -> None:
    """Open the first record a list links to, as a user would."""
    link = page.locator(selector).first
    link.click()
    page.wait_for_load_state()


def test_english_pages_show_no_unmarked_chinese(page, live_server, city):
    base = live_server.url
    seen: dict[str, list[str]] = {}
    # a visitor
    _sign_in(page, base, None)
    for path in ("/", "/items/", "/bundles/", "/outlets/", "/legal-aid/"):
        page.goto(base + path)
        _check(page, path, seen)
    page.goto(base + "/outlets/")
    _follow_first(page, "#outlet-results a")
    _check(page, "an outlet's page", seen)
    page.goto(base + "/items/")
    _follow_first(page, "main a[href^='/items/'][href$='/']:not([href='/items/'])")
    _check(page, "an item's page", seen)

    # the citizen: her cases, one case, her messages
    _sign_in(page, base, "citizen")
    for path in ("/cases/", city["citizen_case"], "/inbox/"):
        page.goto(base + path)
        _check(page, f"citizen {path}", seen)

    # acceptance staff: the worklist and a case from it
    _sign_in(page, base, "case_staff")
    page.goto(base + "/cases/staff/")
    _check(page, "case_staff /cases/staff/", seen)
    _follow_first(page, "main table a[href^='/cases/']")
    _check(page, "case_staff: a case", seen)

    # legal-aid staff of the Qingdao centre: the worklist, an application, the statistics
    _sign_in(page, base, "qingdao_legal_aid")
    page.goto(base + "/legal-aid/staff/")
    _check(page, "qingdao_legal_aid /legal-aid/staff/", seen)
    _follow_first(page, "main table a[href^='/legal-aid/staff/']")
    _check(page, "qingdao_legal_aid: an application", seen)
    page.goto(base + "/legal-aid/statistics/")
    _check(page, "qingdao_legal_aid /legal-aid/statistics/", seen)

    # an outlet manager: her outlets and one outlet's draft list; she takes an item off it and
    # adds one the catalogue search finds (the results are a fragment the form fetches), then
    # previews the change (what the public sees change, the scheduled 2027 list) and the history
    _sign_in(page, base, "outlet_manager")
    page.goto(base + "/outlets/manage/")
    _check(page, "outlet_manager /outlets/manage/", seen)
    _follow_first(page, "main a[href^='/outlets/manage/'][href$='/']")
    _check(page, "outlet_manager: a draft list", seen)
    page.locator("#draft-items button").first.click()
    page.wait_for_load_state()
    page.locator("#catalogue-search").fill("certificate")
    page.locator("#catalogue-search").press("Enter")
    add = page.locator("#search-results button").first
    add.wait_for()
    _check(page, "outlet_manager: the catalogue search's results", seen)
    add.click()
    page.wait_for_load_state()
    _check(page, "outlet_manager: the edited draft", seen)
    page.locator("main .actions a").filter(has_text="Preview and publish").click()
    page.wait_for_load_state()
    assert page.locator(".diff-added li").count() == 1
    assert page.locator(".diff-removed li").count() == 1
    assert page.locator("#scheduled li").count() >= 1
    _check(page, "outlet_manager: the preview", seen)
    page.get_by_role("navigation", name="Outlet list management").get_by_role(
        "link", name="History"
    ).click()
    page.wait_for_load_state()
    _check(page, "outlet_manager: the history", seen)

    report = "\n".join(
        f"{where}:\n  " + "\n  ".join(found[:8]) + ("\n  …" if len(found) > 8 else "")
        for where, found in seen.items()
    )
    assert not seen, "Chinese on English pages, not marked lang=zh-CN:\n" + report

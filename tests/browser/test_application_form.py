"""The application form in a real browser, in Chinese and English (issue 14 point 3): a submit
with errors lands on a page whose error summary has the focus and whose links lead to the
fields; the file chosen before is kept ("已上传"), so the second submit, with only what was
missing, goes through; the acceptance point is the portal's choice, with its reason; the blank
application form downloads as a PDF. axe-core on each page; screenshots at 1280 and 390 px."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from approvals.models import Case
from tests.approvals.factories import (
    ServiceItemFactory,
    UserFactory,
    district_department,
    hall,
    make_resident_id,
    material,
)
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = os.environ.get("FORMS_SCREENSHOTS", "")  # a folder: save screenshots there to look at

WORDS = {
    "zh-hans": {
        "problem": "有问题需要处理",
        "title": "错误：",
        "kept": "已上传：场所证明.pdf",
        "submit": "提交申请",
        "name": "申请人名称",
        "blank": "下载空白表格",
    },
    "en": {
        "problem": "There is a problem",
        "title": "Error: ",
        "kept": "Uploaded: 场所证明.pdf",
        "submit": "Submit the application",
        "name": "Name of the applicant",
        "blank": "Download the blank form",
    },
}


@pytest.fixture
def setting(transactional_db):
    shinan = district_department("370202")
    item = ServiceItemFactory(code="FORM-1", name="食品经营许可", department=shinan)
    form = material(item, "申请表")
    licence = material(item, "营业场所使用证明")
    material(item, "居民身份证", source="shared")
    return {
        "item": item,
        "form": form,
        "licence": licence,
        "hall": hall("370202"),
        "citizen": UserFactory(username="citizen_f", real_name="", resident_id=""),
    }


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


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_errors_summed_up_and_focused_file_kept_second_submit_goes_through(
    page, live_server, setting, language
):
    words = WORDS[language]
    item, form, licence = setting["item"], setting["form"], setting["licence"]
    sign_in(page, live_server, "citizen_f", language)
    page.goto(f"{live_server.url}/cases/apply/{item.code}/")
    # the portal chose where the application is accepted, and says why; nothing to pick
    assert page.locator("#main select").count() == 1  # applicant kind only
    choice = page.locator(".acceptance-choice")
    assert setting["hall"].name in choice.inner_text() or setting["hall"].name_en in (
        choice.inner_text()
    )
    # the blank application form is offered and downloads as a PDF
    blank = page.get_by_role("link", name=re.compile(words["blank"]))
    assert blank.count() == 1
    download = page.request.get(live_server.url + blank.get_attribute("href"))
    assert download.ok and download.body().startswith(b"%PDF")
    assert_accessible(page)
    shoot(page, f"apply-{language}")

    # first try: the licence chosen, but no name, no identity number, no application form
    page.set_input_files(
        f"#id_material_{licence.pk}",
        files=[{"name": "场所证明.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    assert not Case.objects.exists()
    assert page.title().startswith(words["title"])
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading", name=words["problem"])).to_be_visible()
    # the focus is on the summary, which comes first after the heading
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.evaluate(
        "document.querySelector('h1').nextElementSibling.classList.contains('error-summary')"
    )
    links = summary.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#id_applicant_name" in hrefs and f"#id_material_{form.pk}" in hrefs
    assert f"#id_material_{licence.pk}" not in hrefs  # the chosen file was fine: kept
    # each link leads to its field: following it puts the cursor there
    summary.locator('a[href="#id_applicant_name"]').click()
    assert page.evaluate("document.activeElement.id") == "id_applicant_name"
    expect(page.get_by_text(words["kept"])).to_be_visible()
    assert_accessible(page)
    shoot(page, f"apply-errors-{language}")

    # second try: only what was missing; the kept file is not chosen again
    page.locator("#id_applicant_name").fill("王小明")
    page.locator("#id_applicant_id_number").fill(make_resident_id(1))
    page.set_input_files(
        f"#id_material_{form.pk}",
        files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    shoot(page, f"apply-done-{language}")
    assert re.search(r"/cases/QD\d{8}-\d{6}/(#.*)?$", page.url), page.url
    case = Case.objects.get()
    assert case.accepting_point == setting["hall"]
    assert sorted(case.materials.filter(kind="file").values_list("original_name", flat=True)) == [
        "场所证明.pdf",
        "申请表.pdf",
    ]
    assert_accessible(page)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_sign_in_errors_use_the_same_summary(page, live_server, transactional_db, language):
    """The same pattern on another form: the sign-in page with nothing typed in."""
    words = WORDS[language]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()
    assert page.title().startswith(words["title"])
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading", name=words["problem"])).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.locator('a[href="#id_password-username"]').click()
    assert page.evaluate("document.activeElement.id") == "id_password-username"
    assert_accessible(page)
    shoot(page, f"login-errors-{language}")

"""A one-thing bundle (一事全办, ADR 0118) in a real browser, in Chinese and English, at 1280 and
390 px: the bundle's page in the catalogue lists its services and their departments and leads to
the application; one form asks each material once; its submission opens a case per service and
lands on the progress page, which lists each case with its department and state. axe-core on
each page; no sideways scroll on a phone."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from approvals.bundles.models import BundleApplication
from approvals.models import Case
from portal.catalogue.bundles.models import Bundle, BundleItem, EventKind
from tests.approvals.factories import (
    DepartmentFactory,
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
        "apply": "网上申请",
        "submit": "提交申请",
        "problem": "有问题需要处理",
        "submitted": "已提交",
    },
    "en": {
        "apply": "Apply online",
        "submit": "Submit the application",
        "problem": "There is a problem",
        "submitted": "Submitted",
    },
}


@pytest.fixture
def setting(transactional_db):
    shinan = district_department("370202")
    city = DepartmentFactory(
        code="CITY-GAJ", name="青岛市公安局", name_en="Qingdao Public Security Bureau"
    )
    certificate = ServiceItemFactory(
        code="B-CERT", name="出生医学证明签发", name_en="Birth certificate", department=shinan
    )
    register = ServiceItemFactory(
        code="B-REG", name="出生登记", name_en="Birth registration", department=city
    )
    form = material(certificate, "申请书")
    material(register, "申请书")  # the same material: asked once
    material(certificate, "居民身份证", source="shared")
    material(register, "居民身份证", source="shared")
    booklet = material(register, "户口簿", name_en="Household register booklet")
    bundle = Bundle.objects.create(
        code="YS-BIRTH-B",
        name="新生儿出生一件事",
        name_en="A child is born",
        event_kind=EventKind.LIFE,
        description="孩子出生后的事项一次申请。",
        description_en="What a birth needs, applied for at once.",
    )
    BundleItem.objects.create(bundle=bundle, item=certificate, position=0)
    BundleItem.objects.create(bundle=bundle, item=register, position=1)
    return {
        "bundle": bundle,
        "departments": (shinan, city),
        "form": form,
        "booklet": booklet,
        "hall": hall("370202"),
        "citizen": UserFactory(username="citizen_b", real_name="", resident_id=""),
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


def check(page, name: str, width: int) -> None:
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: {overflow} px of sideways scroll at {width} px"
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bundle_page_apply_progress(page, live_server, setting, language, width):
    words = WORDS[language]
    bundle, (shinan, city) = setting["bundle"], setting["departments"]
    english = language == "en"
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "citizen_b", language)

    # the catalogue's bundle list leads to the bundle's page
    page.goto(f"{live_server.url}/bundles/")
    page.get_by_role("link", name=bundle.name_en if english else bundle.name).click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    for department in (shinan, city):
        assert (department.name_en if english and department.name_en else department.name) in text
    check(page, f"bundle-{language}", width)

    # apply: one form, the application form asked once
    page.get_by_role("link", name=words["apply"]).click()
    page.wait_for_load_state()
    assert page.locator('input[type="file"]').count() == 2  # 申请书 once, 户口簿
    booklet_label = page.locator(f'label[for="id_material_{setting["booklet"].pk}"]').inner_text()
    assert ("Household register booklet" if english else "户口簿") in booklet_label
    check(page, f"bundle-apply-{language}", width)

    # a first try without the household booklet: nothing recorded, the error by the field
    page.locator("#id_applicant_name").fill("王小明")
    page.locator("#id_applicant_id_number").fill(make_resident_id(1))
    page.set_input_files(
        f"#id_material_{setting['form'].pk}",
        files=[{"name": "申请书.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    assert not Case.objects.exists() and not BundleApplication.objects.exists()
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading", name=words["problem"])).to_be_visible()
    expect(page.locator(f"#id_material_{setting['booklet'].pk}_error")).to_be_visible()
    check(page, f"bundle-apply-errors-{language}", width)

    # second try: the kept file is not chosen again
    page.set_input_files(
        f"#id_material_{setting['booklet'].pk}",
        files=[{"name": "户口簿.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name=words["submit"]).click()
    page.wait_for_load_state()
    application = BundleApplication.objects.get()
    assert page.url.endswith(application.get_absolute_url()), page.url
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    for index, department in enumerate((shinan, city)):
        row = rows.nth(index).inner_text()
        assert (department.name_en if english and department.name_en else department.name) in row
        assert words["submitted"] in row
    assert sorted(Case.objects.values_list("department_id", flat=True)) == sorted(
        [shinan.pk, city.pk]
    )
    check(page, f"bundle-progress-{language}", width)

    # the progress page is found again from “My cases”
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name=application.reference).click()
    page.wait_for_load_state()
    assert page.url.endswith(application.get_absolute_url())

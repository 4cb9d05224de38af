"""Offers answered after signing in through the province's unified identity platform: a real
OpenID Connect provider (tests/servers/oidc, the npm package oidc-provider) in its own process,
with users at each assurance level, driven in the browser like the portal. axe-core checks the
portal's pages (the provider's are the platform's, not ours)."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approvals.models import Case
from approvals.proactive import services
from approvals.proactive.events import parse_batch
from approvals.proactive.models import (
    Certificate,
    ContactPerson,
    ContactRole,
    Offer,
    Person,
)
from portal.catalogue.models import Region
from portal.notifications.models import Notification
from tests.browser.conftest import assert_accessible, switch_language
from tests.proactive.conftest import _fresh_cache, event, world  # noqa: F401 - fixtures
from tests.proactive.factories import CertificateTypeFactory, make_rule
from tests.servers.identity_platform import PASSWORD, USERS, IdentityPlatform

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="session")
def platform_for_browser(live_server):
    platform = IdentityPlatform([f"{live_server.url}/accounts/unified/callback/"])
    yield platform
    platform.stop()


@pytest.fixture
def platform(platform_for_browser, monkeypatch):
    from django.conf import settings

    monkeypatch.setattr(settings, "UNIFIED_IDENTITY", platform_for_browser.settings())
    return platform_for_browser


def _sms_link(mobile: str) -> str:
    sms = Notification.objects.filter(channel="sms", address=mobile).latest("id")
    assert "是否需要办理" in sms.body and "需同步" not in sms.body
    return urlparse(sms.link).path


def _person_offer(username: str, *, face: bool) -> str:
    """A person holding a certificate that expires in 20 days, an expiry rule on it (requiring
    the face check or not), the offer sent to the person's own mobile: its link."""
    claims = USERS[username]
    ctype = CertificateTypeFactory(
        code="HSZC",
        name="护士执业证书",
        name_en="Nurse practising certificate",
        holder="person",
        grades="",
        item__name="护士执业注册延续",
        item__name_en="Renewal of nurse practising registration",
        item__applicant_kind="person",
    )
    district = Region.objects.get(code="370200")
    person = Person.objects.create(
        resident_id=claims["resident_id"],
        name=claims["name"],
        mobile=claims["mobile"],
        address="山东省青岛市市北区敦化路118号",
        district=district,
    )
    ContactPerson.objects.create(
        person=person, role=ContactRole.HOLDER, name=person.name, mobile=person.mobile
    )
    expires = timezone.localdate() + datetime.timedelta(days=20)
    Certificate.objects.create(
        type=ctype,
        number="HSZC-2021-000001",
        person=person,
        issued_on=expires - datetime.timedelta(days=5 * 365),
        expires_on=expires,
        particulars=services.person_particulars(person),
    )
    make_rule(ctype, trigger="expiry", days=60, identity_level="face" if face else "")
    services.run_expiry_scan()  # commits; the offer is sent below
    services.send_offers(list(Offer.objects.values_list("pk", flat=True)))
    return _sms_link(person.mobile)


def _sign_in_at_the_platform(page, username: str) -> None:
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/interaction/"))
    page.select_option("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#signin")


def _confirm_and_deliver(page, address: str) -> None:
    """Interactions 2 and 3: the pre-filled application, then the delivery."""
    page.wait_for_url(re.compile(r"/application/$"))
    expect(page.get_by_text("第 2 步，共 3 步")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="申请信息无误，下一步").click()
    page.wait_for_url(re.compile(r"/delivery/$"))
    expect(page.get_by_text("第 3 步，共 3 步")).to_be_visible()
    assert page.get_by_label("快递地址").input_value() == address
    assert_accessible(page)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/done/(#.*)?$"))
    expect(page.get_by_text(re.compile(r"申请已提交。您的办件 QD\d+"))).to_be_visible()
    assert_accessible(page)


def test_a_face_level_sign_in_is_the_first_of_three_interactions(
    page,
    live_server,
    platform,
    world,  # noqa: F811
):
    # the legal representative's registered number is the one the platform knows for face_user
    ContactPerson.objects.filter(pk=world.rep.pk).update(mobile=USERS["face_user"]["mobile"])
    events, _bad = parse_batch([event(uscc=world.company.uscc)])
    services.ingest_licence_events(events)  # commits: the offer is sent at once
    link = _sms_link(USERS["face_user"]["mobile"])

    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_text("第 1 步，共 3 步")).to_be_visible()
    expect(page.get_by_text(re.compile("是否需要办理“建筑企业资质简单变更”？"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="使用山东省统一身份认证平台登录").click()  # interaction 1
    _sign_in_at_the_platform(page, "face_user")
    _confirm_and_deliver(page, world.company.address)  # interactions 2 and 3
    case = Case.objects.get()
    assert (case.status, case.applicant_id_number) == ("accepted", world.company.uscc)


def test_an_sms_level_sign_in_is_asked_for_the_face_check(page, live_server, platform):
    link = _person_offer("sms_user", face=True)
    # signed in through the platform earlier, at SMS level (the sign-in page asks for no level)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name="使用山东省统一身份认证平台登录").click()
    _sign_in_at_the_platform(page, "sms_user")
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/"))

    page.goto(f"{live_server.url}{link}")
    # the rule needs the face check: no SMS code here, only the platform, and this session's
    # SMS level is not enough
    expect(page.get_by_text("本事项须通过山东省统一身份认证平台人脸识别核验身份。")).to_be_visible()
    assert page.get_by_role("button", name="发送验证码").count() == 0
    expect(page.locator("#face-check-needed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="进行人脸识别核验").click()
    # the platform is asked again with acr_values=face and prompt=login
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/interaction/"))
    assert page.locator("#asked-level").inner_text().endswith("face")
    page.select_option("#username", "sms_user")
    page.fill("#password", PASSWORD)
    page.click("#signin")
    expect(page.get_by_text("该业务要求人脸识别级别的身份认证")).to_be_visible()
    page.click("#check")
    _confirm_and_deliver(page, "山东省青岛市市北区敦化路118号")
    case = Case.objects.get()
    assert (case.applicant_kind, case.applicant_name) == ("person", USERS["sms_user"]["name"])


def test_a_persons_offer_goes_the_same_way_in_english(page, live_server, platform):
    link = _person_offer("face_user", face=False)
    page.goto(f"{live_server.url}{link}")
    switch_language(page, "en")
    # English pages name the item and the certificate type in English (their name_en)
    expect(
        page.get_by_text(
            re.compile(r"Do you want “Renewal of nurse practising registration” handled\?")
        )
    ).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(r"your Nurse practising certificate HSZC-2021-000001 expires on")
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with the Shandong unified identity platform").click()
    _sign_in_at_the_platform(page, "face_user")
    page.wait_for_url(re.compile(r"/application/$"))
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    expect(page.get_by_text("370***********1237", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("The application is correct")).click()
    page.wait_for_url(re.compile(r"/delivery/$"))
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Submit")).click()
    page.wait_for_url(re.compile(r"/done/(#.*)?$"))
    assert_accessible(page)
    offer = Offer.objects.get()
    assert offer.status == "confirmed" and offer.person is not None

"""What the company's contact reads on the three steps and after: the step count, errors next to
the field they are about, the delivery summary, the way back after declining, and records that
staff read in Chinese whichever language the contact used."""

from __future__ import annotations

import re

from django.test import Client

from approvals.proactive.models import Offer
from portal.notifications.models import Notification

from .conftest import event
from .flow import approved
from .helpers import last_code, path_of, post_events, verify_identity


def _link(world, market_client, capture) -> str:
    with capture(execute=True):
        post_events(market_client, [event(uscc=world.company.uscc)])
    return path_of(Notification.objects.get(channel="inbox", recipient=world.rep_user).link)


def _english() -> Client:
    visitor = Client()
    visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return visitor


def test_each_step_is_counted_out_of_three(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    assert "第 1 步，共 3 步" in visitor.get(link).content.decode()
    application = verify_identity(visitor, link, "13953200001")["Location"]
    page = visitor.get(application).content.decode()
    assert "第 2 步，共 3 步" in page
    assert 'aria-current="step">2. 确认申请' in page
    delivery = visitor.post(application, {"action": "confirm"})["Location"]
    page = visitor.get(delivery).content.decode()
    assert "第 3 步，共 3 步" in page
    assert 'aria-current="step">3. 送达方式' in page


def test_a_wrong_code_is_reported_on_the_code_field(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    sent = visitor.post(link, {"provider": "sms_code", "action": "start"}).content.decode()
    assert re.search(r'<input[^>]*name="code"[^>]*autofocus', sent)  # the cursor waits there
    wrong = "000000" if last_code("13953200001") != "000000" else "111111"
    page = visitor.post(
        link, {"provider": "sms_code", "action": "verify", "code": wrong}
    ).content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    error = re.search(r'<div id="id_code_error">(.*?)</div>', page, re.S)
    assert error and "验证码错误" in error.group(1)


def test_the_application_names_the_applicant_and_the_changed_particular(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    page = visitor.get(verify_identity(visitor, link, "13953200001")["Location"]).content
    page = page.decode()
    # "Company" here is the applicant, not the catalogue's "法人" (a kind of applicant)
    assert "<h3>申请单位</h3>" in page and "<h3>法人</h3>" not in page
    assert '<th scope="col">登记事项</th>' in page
    # the lead is two sentences: no stray space between them in Chinese
    assert "。 无需上传材料" not in page


def test_a_missing_courier_address_is_summed_up_and_changes_nothing(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    application = verify_identity(visitor, link, "13953200001")["Location"]
    delivery = visitor.post(application, {"action": "confirm"})["Location"]
    response = visitor.post(delivery, {"method": "courier", "address": "  ", "recipient": ""})
    assert response.status_code == 200
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert summary and "有问题需要处理" in summary.group(1)
    assert '<a href="#id_address">请填写快递上门的地址。</a>' in summary.group(1)
    assert "选择自取时无需填写" in page  # the address is only needed for the courier
    assert Offer.objects.get().case is None


def test_the_confirmation_sums_up_the_delivery(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    application = verify_identity(visitor, link, "13953200001")["Location"]
    delivery = visitor.post(application, {"action": "confirm"})["Location"]
    done = visitor.post(
        delivery, {"method": "courier", "address": "青岛市市南区香港中路1号", "recipient": "李娜"}
    )["Location"]
    page = visitor.get(done).content.decode()
    assert "申请已提交。您的办件 QD" in page and "办理完成" not in page
    assert "<dd>青岛市市南区香港中路1号</dd>" in page
    assert "<dd>李娜</dd>" in page
    # no tracking number is made up: the courier gives it once the certificate is issued
    assert re.search(r"<dt>快递运单号</dt><dd[^>]*>快递下单后由快递公司给出</dd>", page)


def test_pick_up_is_summed_up_without_a_courier(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    application = verify_identity(visitor, link, "13953200001")["Location"]
    delivery = visitor.post(application, {"action": "confirm"})["Location"]
    done = visitor.post(delivery, {"method": "pickup", "address": "", "recipient": ""})
    page = visitor.get(done["Location"]).content.decode()
    assert "<dd>到政务服务大厅领取</dd>" in page
    assert "快递运单号" not in page


def test_after_declining_the_usual_way_is_linked(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = Client()
    application = verify_identity(visitor, link, "13953200001")["Location"]
    done = visitor.post(application, {"action": "decline", "reason": "later"})["Location"]
    page = visitor.get(done).content.decode()
    assert "您已谢绝此推送" in page
    assert f'href="/items/{world.item.code}/"' in page


def test_a_case_confirmed_in_english_is_recorded_in_chinese(
    world, market_client, django_capture_on_commit_callbacks
):
    link = _link(world, market_client, django_capture_on_commit_callbacks)
    visitor = _english()
    assert "Step 1 of 3" in visitor.get(link).content.decode()
    application = verify_identity(visitor, link, "13953200001")["Location"]
    delivery = visitor.post(application, {"action": "confirm"})["Location"]
    done = visitor.post(
        delivery, {"method": "courier", "address": world.company.address, "recipient": ""}
    )
    assert "Submitted. Your case" in visitor.get(done["Location"]).content.decode()
    case = Offer.objects.get().case
    names = list(case.materials.values_list("name", flat=True))
    assert names and not any(re.search(r"[A-Za-z]{4,}", name) for name in names), names
    assert case.note.startswith("无感审批推送"), case.note
    assert "法定代表人：王建国 → 李海峰" in case.note, case.note  # a Chinese colon in Chinese


def test_the_service_writes_chinese_records_whatever_the_callers_language(
    world, market_client, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from approvals.proactive import services

    _link(world, market_client, django_capture_on_commit_callbacks)
    offer = Offer.objects.get()
    with translation.override("en"):
        services.confirm_offer(offer.pk, world.rep, {"method": "pickup"})
        assert translation.get_language() == "en"  # the caller's language is left as it was
    offer.refresh_from_db()
    assert offer.case.note.startswith("无感审批推送"), offer.case.note


def test_verification_links_the_newer_certificate_and_echoes_an_unknown_code(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    old = Client().get(f"/verify/{world.certificate.verification_code}/").content.decode()
    assert f'href="/verify/{offer.new_certificate.verification_code}/"' in old
    unknown = Client().get("/verify/AB12CD/").content.decode()
    assert "所查核验码：AB12CD" in unknown


def test_refused_download_points_to_verification_and_sign_in(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    code = offer.new_certificate.verification_code
    response = Client().get(f"/proactive/certificates/{code}.pdf")
    assert response.status_code == 403
    page = response.content.decode()
    assert f'href="/verify/{code}/"' in page
    assert "/accounts/login/?next=" in page and "登录后下载" in page

"""Offers for individuals (issue 16, ADR 0111): a person register keyed by resident ID, a
certificate held in the person's own name, an expiry rule on it, the offer sent to the person's own
mobile asking whether they want it handled, and the same three interactions; the wording of every
offer message (是否需要办理, the reason, the deadline) in Chinese and English."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from approvals.models import Case
from approvals.proactive import services, wording
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
from tests.proactive.conftest import event, world  # noqa: F401 - fixtures
from tests.proactive.factories import CertificateTypeFactory, make_rule
from tests.proactive.helpers import path_of, verify_identity

pytestmark = pytest.mark.django_db

MOBILE = "13800000021"


@pytest.fixture
def person_world(db):
    ctype = CertificateTypeFactory(
        code="JKZM",
        name="食品从业人员健康证明",
        holder="person",
        legal_basis="《中华人民共和国食品安全法》第四十五条",
        grades="",
        validity_years=1,
        item__name="食品从业人员健康证明办理",
        item__applicant_kind="person",
    )
    district = Region.objects.filter(code="370202").first() or Region.objects.get(code="370200")
    person = Person.objects.create(
        resident_id="370202199001011237",
        name="张伟",
        mobile=MOBILE,
        address="山东省青岛市市南区香港中路76号",
        district=district,
    )
    contact = ContactPerson.objects.create(
        person=person, role=ContactRole.HOLDER, name="张伟", mobile=MOBILE
    )
    expires = timezone.localdate() + datetime.timedelta(days=20)
    certificate = Certificate.objects.create(
        type=ctype,
        number="JKZM-2026-011237",
        person=person,
        issued_on=expires - datetime.timedelta(days=365),
        expires_on=expires,
        particulars=services.person_particulars(person),
    )
    rule = make_rule(ctype, trigger="expiry", days=60, regions=[district.code])
    rule.message = "新证件办结后快递到家。"
    rule.save(update_fields=["message"])
    return person, contact, certificate, rule


def _offer_sms(mobile: str) -> Notification:
    return Notification.objects.filter(channel="sms", address=mobile).latest("id")


def test_the_expiry_scan_offers_the_renewal_to_the_persons_own_mobile(person_world):
    person, _contact, certificate, _rule = person_world
    assert services.run_expiry_scan() == 1
    offer = Offer.objects.get(certificate=certificate)
    assert (offer.person_id, offer.company_id) == (person.pk, None)
    services.send_offers([offer.pk])
    sms = _offer_sms(MOBILE)
    day = certificate.expires_on.isoformat()
    assert sms.body.startswith(
        f"【青岛政务服务】张伟：您所持食品从业人员健康证明 JKZM-2026-011237将于{day}到期。"
        "是否需要办理“食品从业人员健康证明办理”？"
    )
    assert f"请于{offer.deadline.isoformat()}前点击链接选择办理或不办理" in sms.body
    assert "需同步" not in sms.body and "必须" not in sms.body
    assert sms.body.endswith("新证件办结后快递到家。")  # the rule's note comes last
    assert sms.subject == "是否需要办理“食品从业人员健康证明办理”？"


def test_a_person_answers_in_the_same_three_interactions(client, person_world):
    person, _contact, certificate, _rule = person_world
    services.run_expiry_scan()
    offer = Offer.objects.get(certificate=certificate)
    services.send_offers([offer.pk])
    link = path_of(_offer_sms(MOBILE).link)

    page = client.get(link)
    assert "是否需要办理“食品从业人员健康证明办理”？" in page.text
    assert verify_identity(client, link, MOBILE)["Location"].endswith("application/")
    application = client.get(link + "application/")
    assert "370***********1237" in application.text and "张伟" in application.text
    assert "统一社会信用代码" not in application.text
    client.post(link + "application/", {"action": "confirm"})
    done = client.post(
        link + "delivery/",
        {"method": "courier", "address": person.address, "recipient": "张伟"},
    )
    assert done.status_code == 302
    offer.refresh_from_db()
    assert offer.status == "confirmed"
    case = Case.objects.get(pk=offer.case_id)
    assert (case.applicant_kind, case.applicant_name) == ("person", "张伟")
    assert case.applicant_id_number == person.resident_id


def test_a_person_is_not_reached_by_a_rule_for_another_district(person_world):
    _person, _contact, _certificate, rule = person_world
    rule.regions.set(["370285"])
    assert services.run_expiry_scan() == 0


def test_the_dry_run_counts_people_too(person_world):
    person, _contact, _certificate, rule = person_world
    result = services.dry_run(rule)
    assert (result.companies, result.certificates) == (1, 1)  # one holder: the person
    assert result.rows[0]["district"] == person.district_id


def test_company_messages_ask_rather_than_order(world, django_capture_on_commit_callbacks):  # noqa: F811
    events, _bad = parse_batch(
        [event(uscc=world.company.uscc, field="address", old="旧址", new="新址")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.ingest_licence_events(events)
    sms = _offer_sms(world.rep.mobile)
    assert "是否需要办理“建筑企业资质简单变更”？" in sms.body
    assert "您的营业执照地址已变更，所持建筑业企业资质证书 D237020001仍为变更前信息" in sms.body
    assert "需同步" not in sms.body
    offer = Offer.objects.get(certificate=world.certificate)
    assert f"请于{offer.deadline.isoformat()}前" in sms.body
    # the same message in English, with the reason and the deadline
    with translation.override("en"):
        english = wording.body(offer, "https://example.test/o/1/")
    # English messages name the item in English (its name_en), as English pages do
    assert f"Do you want “{offer.item.name_en}” handled?" in english
    assert "建筑企业资质简单变更" not in english
    assert "the Address on your business licence changed" in english
    assert f"Please answer by {offer.deadline.isoformat()}, whether you want it handled" in english


def test_the_inbox_message_names_the_button_instead_of_the_link(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    events, _bad = parse_batch([event(uscc=world.company.uscc)])
    with django_capture_on_commit_callbacks(execute=True):
        services.ingest_licence_events(events)
    inbox = Notification.objects.get(recipient=world.rep_user, channel="inbox")
    assert "是否需要办理" in inbox.body and "点击下方按钮" in inbox.body
    assert "http" not in inbox.body

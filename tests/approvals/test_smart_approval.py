"""Smart approval (智能审批, ADR 0117): an item's conditions are data; an application that meets
them all is approved at once by the system, one that does not goes to staff with its failed
checks on the case page and in the API; bad conditions are refused by the admin's form."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals import services
from approvals.models import Case, Channel, SmartCheck, SmartField, SmartOperator, Status
from approvals.services import smart
from approvals.signals import case_approved
from portal.accounts.models import Role
from portal.accounts.services import assign_role
from portal.notifications.models import Notification
from tests.proactive.factories import CertificateFactory, CertificateTypeFactory, CompanyFactory

from .factories import make_uscc

COMPANY_USCC = make_uscc(4242)


@pytest.fixture
def smart_item(world):
    item = world.item
    item.smart_approval = True
    item.applicant_kind = "both"
    item.save()
    ctype = CertificateTypeFactory(code="SPJY", name="食品经营许可证")
    company = CompanyFactory(uscc=COMPANY_USCC, name="青岛海晨食品有限公司")
    CertificateFactory(type=ctype, company=company)
    rows = [
        (SmartField.COMPANY_STATUS, SmartOperator.EQUALS, "active", "企业登记状态为存续"),
        (SmartField.COMPANY_REGION, SmartOperator.STARTS_WITH, "3702", "企业登记在青岛市"),
        (SmartField.CERTIFICATES_VALID, SmartOperator.INCLUDES, "SPJY", "持有有效的食品经营许可证"),
        (SmartField.APPLICANT_MOBILE, SmartOperator.PRESENT, "", "留有联系手机"),
    ]
    for position, (field, operator, value, message) in enumerate(rows):
        SmartCheck.objects.create(
            item=item,
            position=position,
            field=field,
            operator=operator,
            value=value,
            message=message,
            message_en=f"check {position}",
        )
    item.company = company
    return item


def apply_as_company(world, item, uscc=COMPANY_USCC, user=None):
    return services.submit_case(
        item=item,
        applicant_kind="company",
        applicant_id_number=uscc,
        applicant_name="青岛海晨食品有限公司",
        applicant_mobile="13900000001",
        applicant_user=user or world.citizen,
        channel=Channel.ONLINE,
        accepting_point=world.shinan_hall,
        by=user or world.citizen,
    )


def test_a_meeting_application_is_approved_at_once_by_the_system(
    world, smart_item, django_capture_on_commit_callbacks
):
    seen = []

    def listener(sender, case, **kwargs):
        seen.append((case.reference, case.status))

    case_approved.connect(listener, sender=Case)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = apply_as_company(world, smart_item)
    finally:
        case_approved.disconnect(listener, sender=Case)
    case.refresh_from_db()
    assert case.status == Status.APPROVED
    assert case.accepted_on == timezone.localdate() and case.decided_at is not None
    assert case.smart_assessment["passed"] is True
    log = case.transitions.order_by("at", "id").last()
    assert (log.step, log.source, log.target, log.by, log.by_role) == (
        "smart_approve",
        "submitted",
        "approved",
        None,
        "system",
    )
    # the reasons: every check with its result, in the log's note and its data
    for message in ("企业登记状态为存续", "企业登记在青岛市", "持有有效的食品经营许可证"):
        assert message in log.note
    assert [c["passed"] for c in log.data["smart_checks"]] == [True] * 5
    # as a normal approval: announced after commit (proactive certificates listen to it),
    # the applicant told, the decision document offered
    assert seen == [(case.reference, "approved")]
    told = Notification.objects.filter(subject__contains=case.reference, channel="inbox")
    with translation.override(settings.LANGUAGE_CODE):
        approved = str(Status.APPROVED.label)
    assert told.filter(subject__contains=approved).exists()
    client = Client()
    client.force_login(world.citizen)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and page.context["has_decision"]


def test_a_failing_application_goes_to_staff_with_its_failed_checks(world, smart_item):
    company = smart_item.company
    company.status = "suspended"
    company.save()
    case = apply_as_company(world, smart_item)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert not case.transitions.filter(step="smart_approve").exists()
    failed = smart.failed_checks(case)
    assert [(c["message"], c["actual"]) for c in failed] == [("企业登记状态为存续", "suspended")]

    # staff handle it as usual and see which check failed
    client = Client()
    client.force_login(world.shinan_staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'id="smart-checks"' in html and "企业登记状态为存续" in html
    assert "smart-check-failed" in html and "suspended" in html
    assert "accept" in {a["name"] for a in client.get(case.get_absolute_url()).context["actions"]}
    # the API's case detail says the same
    body = client.get(f"/api/v1/cases/{case.reference}/").json()
    assert body["smart_approval"]["passed"] is False
    assert [c["message"] for c in body["smart_approval"]["failed"]] == ["企业登记状态为存续"]
    assert len(body["smart_approval"]["checks"]) == 5


def test_an_unknown_company_and_an_expired_certificate_fail_their_checks(world, smart_item):
    stranger = apply_as_company(world, smart_item, uscc=make_uscc(9999))
    assert stranger.status == Status.SUBMITTED
    assert {c["message"] for c in smart.failed_checks(stranger)} == {
        "企业登记状态为存续",
        "企业登记在青岛市",
        "持有有效的食品经营许可证",
    }
    certificate = smart_item.company.certificates.get()
    certificate.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    certificate.save()
    expired = apply_as_company(world, smart_item)
    assert expired.status == Status.SUBMITTED
    assert [c["message"] for c in smart.failed_checks(expired)] == ["持有有效的食品经营许可证"]


def test_a_non_smart_item_is_untouched(world, smart_item):
    smart_item.smart_approval = False
    smart_item.save()
    case = apply_as_company(world, smart_item)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.smart_assessment == {}
    assert [t.step for t in case.transitions.all()] == ["submit"]
    client = Client()
    client.force_login(world.shinan_staff)
    assert 'id="smart-checks"' not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(f"/api/v1/cases/{case.reference}/").json()["smart_approval"] is None


def test_a_smart_item_without_conditions_is_not_approved(world, smart_item):
    SmartCheck.objects.filter(item=smart_item).delete()
    case = apply_as_company(world, smart_item)
    assert case.status == Status.SUBMITTED
    assert not case.smart_assessment["passed"]


def test_the_system_cannot_take_the_step_on_an_ordinary_item_or_a_failing_case(world, smart_item):
    from portal.workflow import Refused

    smart_item.company.status = "deregistered"
    smart_item.company.save()
    case = apply_as_company(world, smart_item)
    with pytest.raises(Refused):
        services.transition(case.pk, "smart_approve", user=None)
    with pytest.raises(Refused):  # nor staff
        services.transition(case.pk, "smart_approve", user=world.dept_staff)


@pytest.mark.parametrize(
    ("field", "operator", "value", "error_field"),
    [
        (SmartField.COMPANY_STATUS, SmartOperator.AT_LEAST, "3", "operator"),
        (SmartField.COMPANY_AGE, SmartOperator.AT_LEAST, "three", "value"),
        (SmartField.COMPANY_STATUS, SmartOperator.EQUALS, "", "value"),
        (SmartField.APPLICANT_MOBILE, SmartOperator.PRESENT, "x", "value"),
        (SmartField.COMPANY_STATUS, "eval", "1", "operator"),
        ("__import__('os')", SmartOperator.EQUALS, "1", "field"),
    ],
)
def test_bad_condition_data_is_a_form_error_in_the_admin(
    world, smart_item, field, operator, value, error_field
):
    # staff of the item's own department keep its conditions (ADR 0117)
    user = get_user_model().objects.create_user("smart_staff", password="pw-123456789")
    assign_role(user, Role.DEPARTMENT_STAFF, smart_item.department)
    client = Client()
    client.force_login(user)
    url = f"/admin/approvals/smartitem/{smart_item.pk}/change/"
    assert client.get(url).status_code == 200
    existing = list(SmartCheck.objects.filter(item=smart_item).order_by("position", "id"))
    data = {
        "smart_checks-TOTAL_FORMS": str(len(existing) + 1),
        "smart_checks-INITIAL_FORMS": str(len(existing)),
        "smart_checks-MIN_NUM_FORMS": "0",
        "smart_checks-MAX_NUM_FORMS": "1000",
    }
    for n, check in enumerate(existing):
        for name in ("position", "field", "operator", "value", "message", "message_en"):
            data[f"smart_checks-{n}-{name}"] = str(getattr(check, name))
        data[f"smart_checks-{n}-id"] = str(check.pk)
        data[f"smart_checks-{n}-item"] = str(smart_item.pk)
    new = len(existing)
    data.update(
        {
            f"smart_checks-{new}-position": "9",
            f"smart_checks-{new}-field": field,
            f"smart_checks-{new}-operator": operator,
            f"smart_checks-{new}-value": value,
            f"smart_checks-{new}-message": "新的条件",
            f"smart_checks-{new}-message_en": "A new condition",
            f"smart_checks-{new}-item": str(smart_item.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error: not a 500
    errors = response.context["inline_admin_formsets"][0].formset.forms[new].errors
    assert error_field in errors
    assert SmartCheck.objects.filter(item=smart_item).count() == len(existing)

    # the same form with a good condition is saved
    data.update(
        {
            f"smart_checks-{new}-field": SmartField.COMPANY_AGE,
            f"smart_checks-{new}-operator": SmartOperator.AT_LEAST,
            f"smart_checks-{new}-value": "2",
        }
    )
    assert client.post(url, data).status_code == 302
    assert SmartCheck.objects.filter(item=smart_item, message="新的条件").exists()


def test_staff_of_another_department_cannot_keep_the_checks(world, smart_item):
    user = get_user_model().objects.create_user("other_staff", password="pw-123456789")
    assign_role(user, Role.DEPARTMENT_STAFF, world.city_dept)
    client = Client()
    client.force_login(user)
    url = f"/admin/approvals/smartitem/{smart_item.pk}/change/"
    page = client.get(url)
    if page.status_code == 200:  # the item is published: read-only, its checks not shown
        assert not page.context["inline_admin_formsets"] or not any(
            f.has_add_permission for f in page.context["inline_admin_formsets"]
        )
        assert "持有有效的食品经营许可证" not in page.content.decode()
    else:
        assert page.status_code in (302, 403, 404)
    client.post(
        url,
        {
            "smart_checks-TOTAL_FORMS": "1",
            "smart_checks-INITIAL_FORMS": "0",
            "smart_checks-MIN_NUM_FORMS": "0",
            "smart_checks-MAX_NUM_FORMS": "1000",
            "smart_checks-0-position": "9",
            "smart_checks-0-field": SmartField.APPLICANT_KIND,
            "smart_checks-0-operator": SmartOperator.EQUALS,
            "smart_checks-0-value": "person",
            "smart_checks-0-message": "伪造的条件",
        },
    )
    assert not SmartCheck.objects.filter(message="伪造的条件").exists()


def test_the_operators_are_the_fixed_list():
    assert set(smart.OPERATORS) == set(SmartOperator.values)
    assert set(smart.FIELD_KINDS) == set(SmartField.values)


def test_the_reference_catalogue_marks_items_smart_by_the_rule():
    """ADR 0117: online, no visit, and every material from shared data, a commitment or the
    application form itself."""
    from portal.catalogue import reference

    materials: dict[str, list[dict[str, str]]] = {}
    for row in reference.read("materials.csv"):
        materials.setdefault(row["item"], []).append(row)

    def by_rule(item: dict[str, str]) -> bool:
        return (
            item["online"] == "1"
            and item["visits_required"] == "0"
            and all(
                m["source"] in ("shared", "commitment") or m["name"] in ("申请表", "申请书")
                for m in materials.get(item["code"], [])
            )
        )

    items = reference.read("items.csv")
    smart_items = [i for i in items if i["smart_approval"] == "1"]
    assert smart_items and [i["code"] for i in smart_items] == [
        i["code"] for i in items if by_rule(i)
    ]


def test_the_application_form_says_the_system_approved_it(world, client):
    from django.urls import reverse

    from .factories import make_resident_id

    item = world.item
    item.smart_approval = True
    item.save()
    SmartCheck.objects.create(
        item=item,
        field=SmartField.APPLICANT_REGION,
        operator=SmartOperator.STARTS_WITH,
        value="3702",
        message="申请人户籍在青岛市",
    )
    client.force_login(world.citizen)
    response = client.post(
        reverse("approvals:apply", args=[item.code]),
        {
            "applicant_kind": "person",
            "applicant_name": "王小明",
            "applicant_id_number": make_resident_id(1),
        },
        follow=True,
    )
    case = Case.objects.get()
    assert case.status == Status.APPROVED
    shown = [str(m) for m in response.context["messages"]]
    with translation.override("zh-hans"):
        said = _("It met every smart-approval condition: the system has approved it.")
    assert said in shown

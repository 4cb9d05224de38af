"""Staff edit the rules in the admin and run a dry run before switching one on."""

from django.contrib.auth import get_user_model
from django.test import Client

from .factories import CertificateFactory, CompanyFactory


def _admin(db):
    user = get_user_model().objects.create_superuser("root", "root@example.cn", "pw-123456789")
    client = Client()
    client.force_login(user)
    return client


def test_dry_run_action_then_activate(world):
    client = _admin(world)
    world.rule.active = False
    world.rule.save()
    for _ in range(2):
        CertificateFactory(type=world.ctype, company=CompanyFactory())
    url = "/admin/proactive/proactiverule/"
    response = client.post(url, {"action": "dry_run", "_selected_action": [world.rule.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "将有 3 家企业、3 张证照收到推送" in html
    assert "青岛市" in html
    client.post(url, {"action": "activate", "_selected_action": [world.rule.pk]})
    world.rule.refresh_from_db()
    assert world.rule.active


def test_admin_pages_open(world):
    client = _admin(world)
    for model in (
        "company",
        "certificate",
        "certificatetype",
        "proactiverule",
        "licenceevent",
        "offer",
        "shipment",
    ):
        assert client.get(f"/admin/proactive/{model}/").status_code == 200, model
    assert client.get(f"/admin/proactive/proactiverule/{world.rule.pk}/change/").status_code == 200
    assert client.get(f"/admin/proactive/company/{world.company.pk}/change/").status_code == 200


def _staff(world, department=None, username="staff_user"):
    from portal.accounts.models import Role
    from portal.accounts.services import assign_role
    from tests.factories import DepartmentFactory, UserFactory

    user = UserFactory(username=username)
    assign_role(user, Role.DEPARTMENT_STAFF, department or DepartmentFactory())
    client = Client()
    client.force_login(user)
    return client


def test_staff_of_another_department_see_and_change_no_certificate(world):
    """Issue 11: yantai_staff forged a certificate's grade and expiry in the admin."""
    client = _staff(world)
    certificate = world.certificate
    url = f"/admin/proactive/certificate/{certificate.pk}/change/"
    listing = client.get(f"/admin/proactive/certificate/?q={certificate.number}")
    assert listing.status_code == 200 and url not in listing.content.decode()
    assert client.get(url).status_code in (302, 403, 404)
    forged = {
        "type": certificate.type_id,
        "number": certificate.number,
        "grade": "特级(伪造)",
        "company": certificate.company_id,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": "2099-12-31",
        "particulars": "{}",
        "status": "valid",
    }
    assert client.post(url, forged).status_code in (302, 403, 404)
    certificate.refresh_from_db()
    assert certificate.grade == "三级" and certificate.expires_on.year < 2099


def test_issuing_department_staff_see_certificates_read_only(world):
    client = _staff(world, world.item.department)
    certificate = world.certificate
    url = f"/admin/proactive/certificate/{certificate.pk}/change/"
    listing = client.get(f"/admin/proactive/certificate/?q={certificate.number}")
    assert url in listing.content.decode()
    form = client.get(url)
    assert form.status_code == 200 and 'name="grade"' not in form.content.decode()
    assert client.post(url, {"grade": "特级(伪造)"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.grade == "三级"


def test_a_superusers_change_of_a_certificate_is_in_its_history(world):
    client = _admin(world)
    certificate = world.certificate
    url = f"/admin/proactive/certificate/{certificate.pk}/change/"
    response = client.post(
        url,
        {
            "type": certificate.type_id,
            "number": certificate.number,
            "grade": "二级",
            "company": certificate.company_id,
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat(),
            "particulars": "{}",
            "status": "valid",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    latest = certificate.history.first()
    assert latest.grade == "二级" and latest.history_user.username == "root"
    assert latest.prev_record.grade == "三级"
    assert client.get(f"{url.removesuffix('change/')}history/").status_code == 200


def test_department_staff_cannot_activate_rules_and_activation_is_recorded(world):
    url = "/admin/proactive/proactiverule/"
    world.rule.active = False
    world.rule.save()
    staff = _staff(world, world.item.department)
    assert f"/admin/proactive/proactiverule/{world.rule.pk}/change/" in (
        staff.get(url).content.decode()
    )
    staff.post(url, {"action": "activate", "_selected_action": [world.rule.pk]})
    world.rule.refresh_from_db()
    assert not world.rule.active
    _admin(world).post(url, {"action": "activate", "_selected_action": [world.rule.pk]})
    world.rule.refresh_from_db()
    assert world.rule.active
    assert world.rule.history.first().history_user.username == "root"


def test_offer_tokens_and_full_mobiles_are_not_shown(world, market_client):
    from approvals.proactive.models import Offer

    from .conftest import event
    from .helpers import post_events

    post_events(market_client, [event(uscc=world.company.uscc)])
    offer = Offer.objects.get()
    client = _admin(world)
    page = client.get(f"/admin/proactive/offer/{offer.pk}/change/").content.decode()
    assert offer.token not in page
    company = client.get(f"/admin/proactive/company/{world.company.pk}/change/").content.decode()
    assert "13953200002" not in company and "139****0002" in company


def test_names_with_invisible_characters_are_refused(world, market_client):
    import pytest
    from django.core.exceptions import ValidationError

    from .conftest import event
    from .helpers import post_events

    world.company.name = "青岛\u202e司公限有"
    with pytest.raises(ValidationError):
        world.company.full_clean()
    response = post_events(market_client, [event(uscc=world.company.uscc, new="李\u202e海峰")])
    assert response.status_code == 400

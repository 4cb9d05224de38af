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

"""Rotas in the admin (issue 18, ADR 0106): a centre's staff keep their own centre's rotas and
their lines; another centre's rota they may read but not change; only administrators add one."""

import pytest

from legal_aid.models import DutyRota, RotaEntry

from . import factories as f
from .test_access import _admin_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rotas():
    laixi = DutyRota.objects.create(name="莱西案件值班表", kind="cases", centre=f.centre("370285"))
    shinan = DutyRota.objects.create(name="市南案件值班表", kind="cases", centre=f.centre("370202"))
    return laixi, shinan


def test_a_centres_staff_keep_their_own_rota_only(client, rotas):
    laixi, shinan = rotas
    client.force_login(_admin_user(f.staff_user("370285")))
    url = "/admin/legal_aid/dutyrota/{}/change/"
    assert client.get(url.format(laixi.pk)).status_code == 200
    entry = {
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "0",
        "entries-0-position": "0",
        "entries-0-lawyer": f.lawyer("370285").pk,
        "entries-0-weight": "1",
    }
    form = {
        "name": laixi.name,
        "kind": laixi.kind,
        "centre": laixi.centre_id,
        "day_starts": "08:00",
        "night_starts": "18:00",
        "is_active": "on",
        **entry,
    }
    saved = client.post(url.format(laixi.pk), form)
    assert saved.status_code == 302, saved.content.decode().split("errorlist")[1:6]
    assert RotaEntry.objects.filter(rota=laixi).count() == 1  # their own rota's line stored
    # another centre's rota: shown read-only, a change refused and nothing stored
    other = client.get(url.format(shinan.pk))
    assert other.status_code == 200 and 'name="name"' not in other.content.decode()
    assert client.post(url.format(shinan.pk), {**form, "name": "改名"}).status_code == 403
    assert DutyRota.objects.get(pk=shinan.pk).name == "市南案件值班表"
    assert client.get("/admin/legal_aid/dutyrota/add/").status_code == 403
    assert not RotaEntry.objects.filter(rota=shinan).exists()

"""Every catalogue model has working admin pages with Chinese labels."""

from __future__ import annotations

import pytest

from portal.catalogue.models import (
    Department,
    HandlingList,
    ListEntry,
    Material,
    Region,
    ServiceItem,
)

pytestmark = pytest.mark.django_db

MODELS = [Region, Department, ServiceItem, Material, HandlingList, ListEntry]


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", password="pw-123456-x")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_change_pages_load(superuser_client, demo_db, model):
    base = f"/admin/catalogue/{model._meta.model_name}/"
    response = superuser_client.get(base)
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural) in response.content.decode()
    assert superuser_client.get(base, {"q": "社会"}).status_code == 200
    obj = model.objects.first()
    assert superuser_client.get(f"{base}{obj.pk}/change/").status_code == 200
    assert superuser_client.get(f"{base}add/").status_code == 200


def test_labels_are_chinese(superuser_client, demo_db):
    html = superuser_client.get("/admin/catalogue/").content.decode()
    for label in ("服务事项", "部门", "行政区划", "事项清单", "清单条目", "材料"):
        assert label in html
    item = ServiceItem.objects.filter(materials__isnull=False).first()
    html = superuser_client.get(f"/admin/catalogue/serviceitem/{item.pk}/change/").content.decode()
    assert "承诺时限（工作日）" in html and "容缺受理" in html
    assert item.materials.first().name in html  # the material inline


def test_filters_work(superuser_client, demo_db):
    response = superuser_client.get(
        "/admin/catalogue/serviceitem/", {"proactive__exact": "1", "department__level": "city"}
    )
    assert response.status_code == 200
    # 14 city-level items for companies, 3 for individuals (issue 16)
    assert response.context["cl"].result_count == 17

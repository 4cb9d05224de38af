"""Staff manage outlets in the admin and see who published which list when (read-only)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    publish_items,
    weekday_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def version():
    outlet = OutletFactory(code="ADM")
    weekday_hours(outlet)
    TerminalFactory(outlet=outlet)
    publisher = ManagerFactory(username="publisher", real_name="张发布")
    return publish_items(outlet, [SelfServiceItemFactory()], user=publisher)


def test_outlet_change_page_has_terminals_hours_and_managers(admin_client, version):
    page = admin_client.get(reverse("admin:outlets_outlet_change", args=[version.outlet_id]))
    text = page.content.decode()
    assert page.status_code == 200
    for prefix in ("terminals-", "opening_hours-", "manager_links-"):
        assert prefix in text


def test_versions_show_publisher_and_time_read_only(admin_client, version):
    listing = admin_client.get(reverse("admin:outlets_itemlistversion_changelist"))
    assert "publisher" in listing.content.decode() or "张发布" in listing.content.decode()
    detail = admin_client.get(reverse("admin:outlets_itemlistversion_change", args=[version.pk]))
    assert detail.status_code == 200
    assert 'name="note"' not in detail.content.decode()
    response = admin_client.post(
        reverse("admin:outlets_itemlistversion_change", args=[version.pk]), {"note": "x"}
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.note == ""

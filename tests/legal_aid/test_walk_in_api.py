"""The API's walk-in path follows the same rule as the page: centre staff record at their own
centre, bureau officers do not."""

import pytest

from legal_aid.models import LegalAidApplication, State

from . import factories as f
from .test_api import BASE, _payload

pytestmark = pytest.mark.django_db


def test_staff_recording_through_the_api_get_their_centre_and_the_channel(client, shinan_staff):
    client.force_login(shinan_staff)
    response = client.post(f"{BASE}/applications/", _payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["channel"] == "centre"
    assert data["accepting_centre"] == "LA370202"
    assert data["competent_centre"]["code"] == "LA370285"
    assert data["state"] == State.FORWARDED
    app = LegalAidApplication.objects.get()
    assert app.applicant is None
    assert f.log(app).get(step="submit").by == shinan_staff


def test_staff_may_name_their_own_centre(client, shinan_staff):
    client.force_login(shinan_staff)
    response = client.post(
        f"{BASE}/applications/",
        _payload(accepting_centre="LA370202"),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["accepting_centre"] == "LA370202"


def test_staff_naming_another_centre_are_refused(client, shinan_staff):
    client.force_login(shinan_staff)
    response = client.post(
        f"{BASE}/applications/",
        _payload(accepting_centre="LA370285"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "accepting_centre" in response.json()["errors"]
    assert not LegalAidApplication.objects.exists()


def test_a_bureau_officer_may_not_record_an_application(client, laixi_bureau):
    client.force_login(laixi_bureau)
    response = client.post(f"{BASE}/applications/", _payload(), content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not LegalAidApplication.objects.exists()

import pytest
from django.urls import reverse

from tests.factories import UserFactory, make_resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    user = UserFactory(resident_id="")
    client.force_login(user)
    return user


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302


def test_set_real_name_and_resident_id(client, user):
    resident_id = make_resident_id(7)
    response = client.post(
        reverse("accounts:profile"),
        {"real_name": "周明", "resident_id": resident_id.lower(), "email": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.real_name == "周明"
    assert user.resident_id == resident_id.upper()


def test_bad_resident_id_is_refused_with_a_clear_message(client, user):
    good = make_resident_id(7)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(
        reverse("accounts:profile"),
        {"real_name": "周明", "resident_id": bad, "email": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The check digit of this resident identity number is wrong." in response.content.decode()
    user.refresh_from_db()
    assert user.resident_id == ""


def test_profile_shows_the_mobile_masked(client, user):
    response = client.get(reverse("accounts:profile"))
    text = response.content.decode()
    assert user.mobile not in text
    assert user.mobile[:3] + "****" + user.mobile[-4:] in text

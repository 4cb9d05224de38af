import pytest
from django.urls import reverse

from portal.accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def post_code(client, mobile, action, code="", **extra):
    data = {"method": "code", "action": action, "code-mobile": mobile, "code-code": code}
    data.update(extra)
    return client.post(LOGIN, data, HTTP_ACCEPT_LANGUAGE="en")


def test_login_page_has_both_ways_in_labelled(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_code-mobile"' in text
    assert 'for="id_code-code"' in text
    assert 'for="id_password-username"' in text
    assert 'for="id_password-password"' in text
    assert 'autocomplete="one-time-code"' in text


def test_first_sign_in_with_a_code_creates_a_citizen(client, read_code):
    response = post_code(client, "13700000001", "send")
    assert response.status_code == 200
    assert "We sent a code to 137****0001" in response.content.decode()
    response = post_code(client, "13700000001", "verify", read_code("13700000001"))
    assert response.status_code == 302
    user = User.objects.get(mobile="13700000001")
    assert user.role == Role.CITIZEN
    assert not user.has_usable_password()
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_existing_user_signs_in_with_a_code_without_a_new_account(client, read_code):
    user = UserFactory(mobile="13700000002")
    post_code(client, "13700000002", "send")
    post_code(client, "13700000002", "verify", read_code("13700000002"), next="/inbox/")
    assert User.objects.filter(mobile="13700000002").count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_in_redirects_to_a_safe_next_only(client, read_code):
    post_code(client, "13700000003", "send")
    response = post_code(
        client, "13700000003", "verify", read_code("13700000003"), next="https://evil.example/"
    )
    assert response["Location"] == reverse("catalogue:home")


def test_wrong_code_shows_a_field_error(client, read_code):
    post_code(client, "13700000004", "send")
    code = read_code("13700000004")
    wrong = "000000" if code != "000000" else "111111"
    response = post_code(client, "13700000004", "verify", wrong)
    assert response.status_code == 400
    assert "The code is wrong. You have 4 attempts left." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_asking_again_too_soon_is_refused_on_the_page(client):
    post_code(client, "13700000005", "send")
    response = post_code(client, "13700000005", "send")
    assert response.status_code == 400
    assert "You can ask for a new one in" in response.content.decode()


def test_invalid_mobile_is_a_field_error(client):
    response = post_code(client, "12345", "send")
    assert "Enter an 11-digit mobile number" in response.content.decode()


@pytest.mark.parametrize("identifier", ["wang", "13600000009"])
def test_password_sign_in_with_username_or_mobile(client, identifier):
    UserFactory(username="wang", mobile="13600000009")
    response = client.post(
        LOGIN,
        {
            "method": "password",
            "password-username": identifier,
            "password-password": "correct-horse-battery",
        },
    )
    assert response.status_code == 302


def test_wrong_password_is_refused(client):
    UserFactory(username="wang")
    response = client.post(
        LOGIN,
        {"method": "password", "password-username": "wang", "password-password": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert "Please enter a correct" in response.content.decode()


def test_inactive_user_cannot_sign_in_with_a_code(client, read_code):
    UserFactory(mobile="13700000006", is_active=False)
    post_code(client, "13700000006", "send")
    response = post_code(client, "13700000006", "verify", read_code("13700000006"))
    assert response.status_code == 400
    assert "disabled" in response.content.decode()


def test_logout_needs_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_code_requests_from_one_address_are_capped(client, settings):
    settings.OTP = {"PER_IP_PER_HOUR": 2}
    assert post_code(client, "13700000011", "send").status_code == 200
    assert post_code(client, "13700000012", "send").status_code == 200
    response = post_code(client, "13700000013", "send")
    assert response.status_code == 400
    assert "Too many codes were requested from this network" in response.content.decode()


def test_after_a_code_is_sent_enter_signs_in(client):
    """Browsers submit with the first button when Enter is pressed: it must be "Sign in" once
    the code is on its way, and "Send code" before."""
    first = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = first.split('id="code-signin"')[1]
    assert section.index('value="send"') < section.index('value="verify"')
    sent = post_code(client, "13700000021", "send").content.decode()
    section = sent.split('id="code-signin"')[1]
    assert section.index('value="verify"') < section.index('value="send"')

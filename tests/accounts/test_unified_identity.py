"""Sign-in through the province's unified identity platform: a real OpenID Connect provider
(tests/servers/oidc, the npm package oidc-provider) in its own process; the portal's side through
Django's test client, the platform's pages through ``requests``."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.utils import timezone

from portal.accounts import unified
from portal.accounts.models import UnifiedIdentity, User
from tests.servers.identity_platform import (  # noqa: F401 - fixtures
    USERS,
    identity_platform,
    identity_platform_process,
    walk_provider,
)

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/accounts/unified/callback/"


def sign_in(client, username: str, *, level: str = "", next_url: str = "/accounts/profile/"):
    """Start at the portal, sign in at the platform, come back: the portal's last answer."""
    start = client.get(unified.sign_in_url(next_url, level))
    assert start.status_code == 302, start
    back = walk_provider(start["Location"], username, stop_at=CALLBACK)
    parsed = urlparse(back)
    return client.get(f"{parsed.path}?{parsed.query}")


def test_off_when_not_configured(client, settings):
    settings.UNIFIED_IDENTITY = {**settings.UNIFIED_IDENTITY, "ISSUER": "", "CLIENT_ID": ""}
    page = client.get("/accounts/login/")
    assert "使用山东省统一身份认证平台登录" not in page.text
    assert client.get("/accounts/unified/start/").status_code == 404
    assert client.get("/accounts/unified/callback/?code=x&state=y").status_code == 404


def test_login_page_offers_the_platform(client, identity_platform):  # noqa: F811
    page = client.get("/accounts/login/?next=/inbox/")
    assert "使用山东省统一身份认证平台登录" in page.text
    assert "/accounts/unified/start/?next=%2Finbox%2F" in page.text


def test_first_sign_in_creates_the_account_from_the_claims(client, identity_platform):  # noqa: F811
    answer = sign_in(client, "face_user")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/profile/"
    user = User.objects.get(unified_identities__subject="face_user")
    claims = USERS["face_user"]
    assert (user.real_name, user.resident_id, user.mobile) == (
        claims["name"],
        claims["resident_id"],
        claims["mobile"],
    )
    assert user.resident_id_verified_at is not None
    assert not user.has_usable_password()
    # the platform's assurance level is on the session
    assert client.session[unified.SESSION_KEY]["level"] == "face"
    assert client.get("/accounts/profile/").status_code == 200
    # the second sign-in finds the same account
    client.post("/accounts/logout/")
    sign_in(client, "face_user")
    assert User.objects.filter(unified_identities__subject="face_user").count() == 1
    assert UnifiedIdentity.objects.get(subject="face_user").last_acr == "face"


def test_linked_to_the_account_with_the_same_verified_resident_id(client, identity_platform):  # noqa: F811
    claims = USERS["sms_user"]
    typed = User.objects.create_user("typed", resident_id=claims["resident_id"])
    verified = User.objects.create_user(
        "verified", resident_id=claims["resident_id"], resident_id_verified_at=timezone.now()
    )
    sign_in(client, "sms_user")
    assert client.session["_auth_user_id"] == str(verified.pk)
    assert UnifiedIdentity.objects.get(subject="sms_user").user == verified
    # a number merely typed in a profile links nothing
    assert not typed.unified_identities.exists()
    assert client.session[unified.SESSION_KEY]["level"] == "sms"


def test_step_up_asks_the_platform_for_the_face_check(client, identity_platform):  # noqa: F811
    sign_in(client, "sms_user")
    assert client.session[unified.SESSION_KEY]["level"] == "sms"
    start = client.get(unified.sign_in_url("/accounts/profile/", "face"))
    query = start["Location"]
    assert "acr_values=face" in query and "prompt=login" in query
    back = walk_provider(start["Location"], "sms_user", stop_at=CALLBACK)
    parsed = urlparse(back)
    client.get(f"{parsed.path}?{parsed.query}")
    assert client.session[unified.SESSION_KEY]["level"] == "face"


def test_a_failed_sign_in_says_so_and_signs_nobody_in(client, identity_platform):  # noqa: F811
    client.get(unified.sign_in_url("/accounts/profile/"))
    answer = client.get("/accounts/unified/callback/?error=access_denied&state=x", follow=True)
    assert "统一身份认证平台登录未成功" in answer.text
    assert "_auth_user_id" not in client.session

"""The identity provider registry: SMS code to the registered number, face verification off by
default, and providers plug in behind the same interface."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from approvals.proactive import identity, prefill
from portal.notifications.models import Notification

from .conftest import event
from .helpers import last_code, path_of, post_events


def test_registry_holds_the_default_and_the_face_stub():
    assert {"sms_code", "face"} <= set(identity.registered())
    assert isinstance(identity.get("sms_code"), identity.SmsCodeProvider)
    with pytest.raises(LookupError):
        identity.get("nope")


def test_face_is_off_by_default_and_on_when_configured(world):
    assert [p.slug for p in identity.enabled_providers(world.rep)] == ["sms_code"]
    with override_settings(PROACTIVE={"FACE_VERIFICATION_URL": "https://face.example/api"}):
        assert [p.slug for p in identity.enabled_providers(world.rep)] == ["sms_code", "face"]


def test_a_provider_plugs_in_behind_the_same_interface(world):
    @identity.register("test_token")
    class TokenProvider(identity.IdentityProvider):
        label = "Token"

        def verify(self, offer, contact, data):
            if data.get("token") != "ok":
                raise ValidationError("no")

    try:
        assert "test_token" in [p.slug for p in identity.enabled_providers(world.rep)]
        with pytest.raises(ValueError, match="already registered"):
            identity.register("test_token")(type("Other", (identity.IdentityProvider,), {}))
    finally:
        identity.PROVIDERS.unregister("test_token")


def test_code_goes_to_the_registered_number_only(
    world, market_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_events(market_client, [event(uscc=world.company.uscc)])
    link = path_of(Notification.objects.get(channel="inbox").link)
    visitor = Client()
    visitor.post(link, {"provider": "sms_code", "action": "start", "mobile": "13800000009"})
    assert not Notification.objects.filter(address="13800000009").exists()
    code = last_code("13953200001")
    wrong = visitor.post(
        link,
        {
            "provider": "sms_code",
            "action": "verify",
            "code": "000000" if code != "000000" else "111111",
        },
    )
    assert wrong.status_code == 200
    assert "验证码错误" in wrong.content.decode()
    # not verified: the later steps send the visitor back to step 1
    assert visitor.get(link + "application/")["Location"] == link
    assert visitor.get(link + "delivery/")["Location"] == link


def test_prefill_sources_are_registered():
    assert prefill.registered() == [
        "company_register",
        "person_register",
        "certificate",
        "shared_licence_data",
    ]

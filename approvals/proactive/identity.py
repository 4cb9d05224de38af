"""Identity providers for the first of the applicant's three interactions.

A registry in the manner of Open Forms' authentication plugins: each provider is a class
registered under a slug with ``@register("slug")``; the page lists the enabled ones. The default,
``sms_code``, sends a one-time code to the contact's REGISTERED mobile number (never one the visitor
types). ``face`` is the plug-in point for a face-verification service: same interface, off unless
``PROACTIVE["FACE_VERIFICATION_URL"]`` is set (ADR 0073)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.plugins import Plugins
from portal.validators import mask_identifier

if TYPE_CHECKING:
    from .models import ContactPerson, Offer

PROVIDERS: Plugins[IdentityProvider] = Plugins("identity provider", "slug")
register = PROVIDERS.register


def get(slug: str) -> IdentityProvider:
    return PROVIDERS[slug]()


def registered() -> list[str]:
    return PROVIDERS.names()


def enabled_providers(contact: ContactPerson) -> list[IdentityProvider]:
    return [p for p in (cls() for cls in PROVIDERS.classes()) if p.is_enabled(contact)]


class IdentityProvider:
    """Proves that the visitor is the offer's contact. Subclasses set ``label`` and implement
    ``start`` (e.g. send a code) and ``verify`` (check what the visitor gave)."""

    slug: str = ""
    label: str = ""
    description: str = ""
    form_class: type[forms.Form] = forms.Form

    def is_enabled(self, contact: ContactPerson) -> bool:
        return True

    def start(self, offer: Offer, contact: ContactPerson) -> str:
        """Begin the verification; returns a message for the visitor."""
        return ""

    def verify(self, offer: Offer, contact: ContactPerson, data: dict[str, Any]) -> None:
        """Raise ValidationError unless the visitor proved to be ``contact``."""
        raise NotImplementedError


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        min_length=4,
        max_length=8,
        help_text=_("The code in the SMS we sent to the registered number."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def purpose(offer: Offer) -> str:
    """The accounts app's purpose for codes that confirm an action (the session binds the
    offer)."""
    return "confirm"


@register("sms_code")
class SmsCodeProvider(IdentityProvider):
    label = _("One-time code by SMS")
    description = _("We send a code to the mobile number registered for you with the company.")
    form_class = CodeForm

    def is_enabled(self, contact: ContactPerson) -> bool:
        return bool(contact.mobile)

    def start(self, offer: Offer, contact: ContactPerson) -> str:
        from portal.accounts.services import issue_code

        issue_code(contact.mobile, purpose(offer))
        return str(_("We sent a code to %(number)s.") % {"number": mask_identifier(contact.mobile)})

    def verify(self, offer: Offer, contact: ContactPerson, data: dict[str, Any]) -> None:
        from portal.accounts.services import verify_code

        if not verify_code(contact.mobile, purpose(offer), data.get("code", "")):
            raise ValidationError(_("This code is wrong or has expired."), code="otp")


@register("face")
class FaceProvider(IdentityProvider):
    """Face verification by an external service (stub: configure PROACTIVE["FACE_VERIFICATION_URL"]
    and implement ``start``/``verify`` against it)."""

    label = _("Face verification")
    description = _("Verify with your face in the 青e办 app.")

    def is_enabled(self, contact: ContactPerson) -> bool:
        from .services import config

        return bool(config("FACE_VERIFICATION_URL"))

    def start(self, offer: Offer, contact: ContactPerson) -> str:
        raise ValidationError(_("Face verification is not available."), code="face_unavailable")

    def verify(self, offer: Offer, contact: ContactPerson, data: dict[str, Any]) -> None:
        raise ValidationError(_("Face verification is not available."), code="face_unavailable")

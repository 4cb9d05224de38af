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
    from django.http import HttpRequest

    from .models import ContactPerson, Offer

PROVIDERS: Plugins[IdentityProvider] = Plugins("identity provider", "slug")
register = PROVIDERS.register


def get(slug: str) -> IdentityProvider:
    return PROVIDERS[slug]()


def registered() -> list[str]:
    return PROVIDERS.names()


def enabled_providers(contact: ContactPerson, offer: Offer | None = None) -> list[IdentityProvider]:
    """The providers the contact may use; for an offer whose rule requires the face check
    (``ProactiveRule.identity_level``), only those that prove a face."""
    face_only = offer is not None and offer.rule.identity_level == "face"
    return [
        p
        for p in (cls() for cls in PROVIDERS.classes())
        if p.is_enabled(contact) and (p.proves_face or not face_only)
    ]


def required_level(offer: Offer) -> str:
    """The unified identity platform's assurance level the offer needs (ADR 0110): ``face`` when
    its rule says so, else ``sms`` (a password alone proves no more than a stolen password)."""
    return "face" if offer.rule.identity_level == "face" else "sms"


class IdentityProvider:
    """Proves that the visitor is the offer's contact. Subclasses set ``label`` and implement
    ``start`` (e.g. send a code) and ``verify`` (check what the visitor gave)."""

    slug: str = ""
    label: str = ""
    description: str = ""
    form_class: type[forms.Form] = forms.Form
    # it proves the visitor's face (a rule requiring the face check accepts only these)
    proves_face: bool = False
    # the visitor signs in elsewhere and comes back (a link, no form on the page)
    redirects: bool = False

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
    proves_face = True

    def is_enabled(self, contact: ContactPerson) -> bool:
        from .services import config

        return bool(config("FACE_VERIFICATION_URL"))

    def start(self, offer: Offer, contact: ContactPerson) -> str:
        raise ValidationError(_("Face verification is not available."), code="face_unavailable")

    def verify(self, offer: Offer, contact: ContactPerson, data: dict[str, Any]) -> None:
        raise ValidationError(_("Face verification is not available."), code="face_unavailable")


@register("unified_identity")
class UnifiedIdentityProvider(IdentityProvider):
    """The province's unified identity platform (OpenID Connect, ADR 0110). The visitor signs in
    there (with the level the offer needs: ``acr_values``) and comes back signed in; the
    platform's assurance level on the session and the account's identity decide."""

    label = _("Shandong unified identity platform")
    description = _(
        "Sign in at the province's unified identity platform. With its face check you need no code."
    )
    proves_face = True
    redirects = True

    def is_enabled(self, contact: ContactPerson) -> bool:
        from portal.accounts import unified

        return unified.is_enabled()

    def sign_in_url(self, offer: Offer, back: str) -> str:
        from portal.accounts import unified

        return unified.sign_in_url(back, required_level(offer))

    def session_level(self, request: HttpRequest) -> str:
        from portal.accounts import unified

        return unified.session_level(request)

    def verify_session(self, request: HttpRequest, offer: Offer, contact: ContactPerson) -> None:
        """Raise ValidationError unless this session's platform sign-in is at the level the offer
        needs and is the contact's own (code ``level`` when only the level falls short)."""
        from portal.accounts import unified

        level = unified.session_level(request)
        if not level:
            raise ValidationError(_("Sign in at the unified identity platform first."), code="none")
        if not unified.meets(level, required_level(offer)):
            raise ValidationError(
                _("This item needs the face check of the unified identity platform."),
                code="level",
            )
        if not is_the_contact(request.user, contact):
            raise ValidationError(
                _(
                    "You are signed in as someone other than the person this message was sent "
                    "to. Sign out, or use the link on that person's phone."
                ),
                code="other_person",
            )

    def verify(self, offer: Offer, contact: ContactPerson, data: dict[str, Any]) -> None:
        raise ValidationError(_("Sign in at the unified identity platform first."), code="none")


def is_the_contact(user: Any, contact: ContactPerson) -> bool:
    """The signed-in ``user`` is ``contact``: their account, the person's VERIFIED resident ID,
    or the contact's registered mobile number on the account (proved by the platform or by a code
    at sign-in)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if contact.user_id and contact.user_id == user.pk:
        return True
    person = contact.person if contact.person_id else None
    if person is not None and user.resident_id_verified_at and user.resident_id:
        return bool(person.resident_id == user.resident_id)
    return bool(contact.mobile and user.mobile and contact.mobile == user.mobile)

"""The signed links in the offers (the offer, the contact, a timestamp; ADR 0072)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.urls import reverse

from ..models import (
    ContactPerson,
    Offer,
)
from .common import link_max_age

logger = logging.getLogger(__name__)


def sign_link(offer: Offer, contact: ContactPerson) -> str:
    return TimestampSigner(salt="proactive.offer").sign(f"{offer.pk}-{offer.token}-{contact.pk}")


def unsign_link(value: str) -> tuple[Offer, ContactPerson]:
    """The offer and contact of a signed link. Raises SignatureExpired, BadSignature or
    Offer.DoesNotExist / ContactPerson.DoesNotExist."""
    raw = TimestampSigner(salt="proactive.offer").unsign(value, max_age=link_max_age())
    offer_id, token, contact_id = raw.split("-")
    offer = Offer.objects.select_related(
        "company", "person", "certificate__type", "item__department", "rule", "event", "case"
    ).get(pk=int(offer_id), token=token)
    holder = (
        {"company_id": offer.company_id} if offer.company_id else {"person_id": offer.person_id}
    )
    contact = ContactPerson.objects.get(pk=int(contact_id), **holder)
    return offer, contact


__all__ = ["BadSignature", "SignatureExpired"]


def offer_link(offer: Offer, contact: ContactPerson) -> str:
    path = reverse("proactive:offer", args=[sign_link(offer, contact)])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path

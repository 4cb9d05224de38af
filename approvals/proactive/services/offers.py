"""The applicant's path through an offer (open, decline, confirm) on the offer workflow
(:mod:`approvals.proactive.workflows`), and the steps' effects."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.languages import in_each_language
from portal.workflow import Context, run

from ..models import (
    ContactPerson,
    DeliveryMethod,
    Offer,
    OfferStatus,
    Person,
    Shipment,
)
from .common import OFFER_WORKFLOW, PROACTIVE_CHANNEL, self_only

logger = logging.getLogger(__name__)


def _locked_offer(offer_id: int) -> Offer:
    return (
        Offer.objects.select_for_update(**self_only())
        .select_related(
            "company", "person", "certificate__type", "item__department", "rule", "event"
        )
        .get(pk=offer_id)
    )


def _who(contact: ContactPerson) -> str:
    """The contact, as the log's note names them (in each language: the role is a label)."""
    return in_each_language(lambda: f"{contact.get_role_display()} {contact.name}")


def open_offer(offer: Offer, contact: ContactPerson) -> Offer:
    """A contact followed the signed link (idempotent)."""
    if offer.status not in (OfferStatus.CREATED, OfferStatus.SENT):
        return offer
    with transaction.atomic():
        locked = _locked_offer(offer.pk)
        if locked.status in (OfferStatus.CREATED, OfferStatus.SENT):
            locked = run(OFFER_WORKFLOW, locked, "open", user=contact.user, note=_who(contact))
        return locked


def _ensure_open(offer: Offer) -> None:
    if offer.status == OfferStatus.LAPSED or offer.deadline < timezone.localdate():
        raise ValidationError(_("This offer lapsed on its deadline; apply in the usual way."))
    if offer.status == OfferStatus.DECLINED:
        raise ValidationError(_("This offer was declined."))
    if offer.status == OfferStatus.CONFIRMED:
        raise ValidationError(_("This offer was already confirmed."))


def decline_offer(offer_id: int, contact: ContactPerson, reason: str = "") -> Offer:
    with transaction.atomic():
        offer = _locked_offer(offer_id)
        _ensure_open(offer)
        return run(
            OFFER_WORKFLOW, offer, "decline", user=contact.user, note=_who(contact), reason=reason
        )


def _person(offer: Offer) -> Person:
    """The person an offer without a company is for (ADR 0111)."""
    if offer.person is None:
        raise ValueError(f"offer {offer.pk} has neither a company nor a person")
    return offer.person


def _open_case(
    offer: Offer, contact: ContactPerson, delivery: dict[str, Any], application: dict[str, Any]
):
    from approvals.services import open_case_on_channel

    return open_case_on_channel(
        channel=PROACTIVE_CHANNEL,
        item=offer.item,
        applicant_kind="company" if offer.company else "person",
        applicant_id_number=offer.company.uscc if offer.company else _person(offer).resident_id,
        applicant_name=offer.holder.name,
        applicant_user=contact.user,
        department=offer.item.department,
        materials=application["materials"],
        delivery=delivery,
        note=in_each_language(
            lambda: (
                _("Proactive offer %(token)s confirmed by %(who)s; changes: %(changes)s")
                % {
                    "token": offer.token[:8],
                    "who": f"{contact.get_role_display()} {contact.name}",
                    "changes": "; ".join(
                        _("%(label)s: %(old)s → %(new)s") % c for c in application["changes"]
                    )
                    or _("renewal at expiry"),
                }
            )
        ),
    )


def confirm_offer(offer_id: int, contact: ContactPerson, delivery: dict[str, Any]) -> Offer:
    """The third interaction: the pre-filled application is confirmed with the delivery choice
    (``method``; for the courier an ``address``; ``recipient``, by default the contact).
    Opens a case already accepted on the proactive channel, and a courier shipment if asked
    (ordered from the courier once the certificate is issued: :func:`.courier.dispatch`)."""

    from ..prefill import build_application

    with transaction.atomic():
        offer = _locked_offer(offer_id)
        _ensure_open(offer)
        if offer.status != OfferStatus.OPENED:
            offer = run(OFFER_WORKFLOW, offer, "open", user=contact.user, note=_who(contact))
        method = delivery.get("method")
        delivery = {
            "method": method,
            "address": (delivery.get("address") or "").strip()
            if method == DeliveryMethod.COURIER
            else "",
            "recipient": delivery.get("recipient") or contact.name,
        }
        if method == DeliveryMethod.COURIER and not delivery["address"]:
            raise ValidationError({"address": _("Give the address the courier should come to.")})
        # The case, its materials and its log are records staff read: written in the site's
        # language, whichever language the applicant uses (page or API).
        with translation.override(settings.LANGUAGE_CODE):
            case = _open_case(offer, contact, delivery, build_application(offer))
        offer = run(
            OFFER_WORKFLOW, offer, "confirm", user=contact.user, note=_who(contact), case=case
        )
        if method == DeliveryMethod.COURIER:
            Shipment.objects.create(
                offer=offer,
                case_reference=case.reference,
                recipient_name=delivery["recipient"],
                recipient_mobile=contact.mobile,
                address=delivery["address"],
            )
    return offer


# ----- the effects of the offer workflow's steps ---------------------------------------------


def mark_sent(offer: Offer, ctx: Context) -> None:
    offer.sent_at = ctx.now


def mark_opened(offer: Offer, ctx: Context) -> None:
    offer.opened_at = ctx.now


def record_confirmation(offer: Offer, ctx: Context) -> None:
    """The case opened for the confirmed offer (``case``, an input of the step)."""
    offer.case = ctx.data["case"]
    offer.answered_at = ctx.now


def record_decline(offer: Offer, ctx: Context) -> None:
    offer.decline_reason = (ctx.data.get("reason") or "")[:200]
    offer.answered_at = ctx.now


def record_lapse(offer: Offer, ctx: Context) -> None:
    offer.answered_at = ctx.now

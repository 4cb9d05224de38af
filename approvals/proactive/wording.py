"""What an offer says (issue 16, "Wording"): it ASKS whether the holder wants the item handled
(是否需要办理), never says they must (需同步办理), and gives the reason and the deadline. One text
for the SMS, WeChat, mail and inbox message and for the offer's pages, in Chinese and English
(the catalogues); a rule's own message is added after it as a note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from portal.catalogue.forms import local_name

if TYPE_CHECKING:
    from .models import Offer


def certificate_label(offer: Offer) -> str:
    # English pages and messages name the certificate type and the item in English (issue 14)
    return f"{local_name(offer.certificate.type)} {offer.certificate.number}"


def reason(offer: Offer) -> str:
    """Why the holder gets the offer, one clause without a full stop."""
    from .models import LICENCE_FIELD_LABELS, OfferReason

    certificate = certificate_label(offer)
    if offer.reason == OfferReason.EXPIRY:
        return _("your %(certificate)s expires on %(day)s") % {
            "certificate": certificate,
            "day": offer.certificate.expires_on.isoformat(),
        }
    if offer.reason == OfferReason.LICENCE_CHANGE:
        fields = offer.event.changed_fields if offer.event_id and offer.event else []
        if fields:
            return _(
                "the %(fields)s on your business licence changed, and your %(certificate)s "
                "still shows the old one"
            ) % {
                "fields": "、".join(str(LICENCE_FIELD_LABELS[f]) for f in fields),
                "certificate": certificate,
            }
        return _(
            "your business licence changed, and your %(certificate)s still shows the old one"
        ) % {"certificate": certificate}
    return _("your past cases show that this item may now be due (%(certificate)s)") % {
        "certificate": certificate
    }


def sentence(offer: Offer) -> str:
    """The reason as a sentence of its own (the offer's pages)."""
    return _("%(holder)s: %(reason)s.") % {"holder": offer.holder.name, "reason": reason(offer)}


def lead(offer: Offer) -> str:
    """The reason and the question as the offer's pages show them (no space between the two
    sentences in Chinese)."""
    return _("%(sentence)s %(question)s") % {
        "sentence": sentence(offer),
        "question": question(offer),
    }


def question(offer: Offer) -> str:
    return _("Do you want “%(item)s” handled?") % {"item": local_name(offer.item)}


def subject(offer: Offer, *, reminder: bool = False) -> str:
    return (_("Reminder: ") if reminder else "") + question(offer)


def body(offer: Offer, link: str, note: str = "", *, inbox: bool = False) -> str:
    """The message: who, the reason, the question, what it takes, the deadline and the link (in
    the inbox the button beside the message stands for it); then the rule's note, if any."""
    values = {
        "holder": offer.holder.name,
        "reason": reason(offer),
        "question": question(offer),
        "deadline": offer.deadline.isoformat(),
        "link": link,
    }
    if inbox:
        text = _(
            "[Qingdao Government Services] %(holder)s: %(reason)s. %(question)s If you do, the "
            "application is already filled in and the materials are shared: nothing to upload, "
            "no visit, three steps. Please answer by %(deadline)s with the button below, whether "
            "you want it handled or not."
        )
    else:
        text = _(
            "[Qingdao Government Services] %(holder)s: %(reason)s. %(question)s If you do, the "
            "application is already filled in and the materials are shared: nothing to upload, "
            "no visit, three steps. Please answer by %(deadline)s, whether you want it handled "
            "or not: %(link)s"
        )
    text = text % values
    return f"{text}\n{note}" if note else text

"""Offers to the contacts: sending (and the expiry scan that makes offers), reminders, lapsing;
set-based, logged in the shared workflow log."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.languages import in_each_language
from portal.workflow import write_log_bulk

from .. import detection, wording
from ..models import (
    OPEN_OFFER_STATUSES,
    Offer,
    OfferReason,
    OfferStatus,
    ProactiveRule,
)
from .common import OFFER_WORKFLOW, PENDING_TASK, TASK_CHUNK, in_chunks, self_only
from .links import offer_link

logger = logging.getLogger(__name__)


def run_expiry_scan(today: datetime.date | None = None) -> int:
    """The daily scan (django-q2 schedule): offers for certificates near expiry, sent after
    commit."""
    with transaction.atomic():
        created = detection.scan_expiries(today=today)
        if created:
            transaction.on_commit(_queue_pending_expiry_offers)
    return created


def _queue_pending_expiry_offers() -> None:
    from django_q.tasks import async_task

    async_task(PENDING_TASK, OfferReason.EXPIRY, task_name="proactive-send-expiry")


def send_pending_offers(reason: str, chunk: int = TASK_CHUNK) -> int:
    """Send every offer of ``reason`` still waiting to go out, a chunk at a time (the worker's
    side of the daily scan: the scan itself only inserts)."""
    sent = 0
    last = 0
    while True:
        ids = list(
            Offer.objects.filter(reason=reason, status=OfferStatus.CREATED, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return sent
        sent += send_offers(ids)
        last = ids[-1]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# the rule's {link} with the spaces around it: in the inbox the button takes its place
_LINK_PLACEHOLDER = re.compile(r"\s*\{link\}\s*")


def _offer_text(offer: Offer, link: str, *, inbox: bool) -> str:
    """The message for ``offer``: the portal's wording (it asks whether the holder wants the
    item handled, with the reason and the deadline; ``wording.body``), then the rule's message as
    a note. By SMS, WeChat and mail it carries the link; in the inbox it names the button beside
    the message instead, since a signed link is no text for a person to read."""
    template = offer.rule.message
    if inbox:
        template = _LINK_PLACEHOLDER.sub(str(_("the button below")), template)
    note = template.format_map(
        _Blank(
            company=offer.holder.name,
            holder=offer.holder.name,
            certificate=wording.certificate_label(offer),
            item=offer.item.name,
            deadline=offer.deadline.isoformat(),
            link=link,
        )
    ).strip()
    return wording.body(offer, link, note, inbox=inbox)


def _inbox_texts(offer: Offer, link: str, *, reminder: bool) -> tuple[str, str]:
    return in_each_language(
        lambda: (wording.subject(offer, reminder=reminder), _offer_text(offer, link, inbox=True))
    )


def _messages_for(offers: Sequence[Offer], *, reminder: bool) -> list:
    from portal.notifications.models import Action
    from portal.notifications.services import OutgoingMessage

    messages: list = []
    kind = "reminder" if reminder else "offer"
    for offer in offers:
        for contact in offer.holder_contacts():
            link = offer_link(offer, contact)
            subject = wording.subject(offer, reminder=reminder)
            base = f"proactive:{kind}:{offer.pk}:{contact.pk}"
            targets = []
            if contact.mobile:
                targets.append(("sms", contact.mobile))
            if contact.wechat_id:
                targets.append(("wechat", contact.wechat_id))
            if contact.email:
                targets.append(("mail", contact.email))
            if contact.user_id:
                targets.append(("inbox", ""))
            for channel, address in targets:
                if channel == "inbox":  # read in the reader's language (ADR 0125)
                    subject, body = _inbox_texts(offer, link, reminder=reminder)
                else:
                    body = _offer_text(offer, link, inbox=False)
                messages.append(
                    OutgoingMessage(
                        channel=channel,
                        subject=subject,
                        body=body,
                        recipient=contact.user if channel == "inbox" else None,
                        address=address,
                        link=link,
                        key=f"{base}:{channel}",
                        action=Action.REVIEW_OFFER,
                    )
                )
    return messages


def send_offers(offer_ids: Sequence[int]) -> int:
    """Send new offers to every contact of the company over every channel it has (one message
    per contact and channel, idempotent by key), then mark them sent. Returns messages stored."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send_offers(offer_ids)


def _send_offers(offer_ids: Sequence[int]) -> int:
    from portal.notifications.services import send_bulk

    with transaction.atomic():
        offers = list(
            Offer.objects.select_for_update(**self_only())
            .filter(pk__in=list(offer_ids), status=OfferStatus.CREATED)
            .select_related("company", "person", "certificate__type", "item", "rule", "event")
            .prefetch_related("company__contacts__user", "person__contacts__user")
        )
        if not offers:
            return 0
        stored = send_bulk(_messages_for(offers, reminder=False))
        ids = [o.pk for o in offers]
        Offer.objects.filter(pk__in=ids, status=OfferStatus.CREATED).update(
            status=OfferStatus.SENT, sent_at=timezone.now()
        )
        write_log_bulk(
            OFFER_WORKFLOW,
            Offer,
            ids,
            "send",
            source="created",
            target="sent",
            note=in_each_language(lambda: _("Sent to the holder's contacts.")),
        )
    return stored


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the contacts of sent offers nobody opened after the rule's reminder delay (once)."""
    from portal.notifications.services import send_bulk

    now = now or timezone.now()
    # Due: sent at least the rule's delay ago. The rules have a handful of delays, so the test is
    # one condition per delay in SQL, not a pass over every offer sent and not yet answered.
    delays = set(ProactiveRule.objects.values_list("reminder_after_days", flat=True))
    waited_long_enough = Q(pk__in=[])
    for days in delays:
        waited_long_enough |= Q(
            rule__reminder_after_days=days, sent_at__lte=now - datetime.timedelta(days=days)
        )
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        due = list(
            Offer.objects.select_for_update(**self_only())
            .filter(waited_long_enough, status=OfferStatus.SENT, reminded_at__isnull=True)
            .filter(deadline__gte=now.date())
            .select_related("company", "person", "certificate__type", "item", "rule", "event")
            .prefetch_related("company__contacts__user", "person__contacts__user")
        )
        if not due:
            return 0
        stored = send_bulk(_messages_for(due, reminder=True))
        Offer.objects.filter(pk__in=[o.pk for o in due]).update(reminded_at=now)
    return stored


def lapse_offers(today: datetime.date | None = None) -> int:
    """Offers nobody answered by their deadline lapse (one UPDATE)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        lapsing = Offer.objects.filter(status__in=OPEN_OFFER_STATUSES, deadline__lt=today)
        ids = list(lapsing.values_list("id", flat=True))
        if not ids:
            return 0
        count = 0
        for chunk in in_chunks(ids):
            count += Offer.objects.filter(pk__in=chunk, status__in=OPEN_OFFER_STATUSES).update(
                status=OfferStatus.LAPSED, answered_at=timezone.now()
            )
        write_log_bulk(
            OFFER_WORKFLOW,
            Offer,
            ids,
            "lapse",
            source=list(OPEN_OFFER_STATUSES),
            target="lapsed",
            note=in_each_language(lambda: _("Nobody answered by the deadline.")),
        )
    return count

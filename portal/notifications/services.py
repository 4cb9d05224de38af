"""Sending messages. ``send`` and ``send_bulk`` write the messages in the caller's transaction
and, once it commits, hand their ids to django-q2 (``tasks.deliver``) in batches; ``deliver``
is what that task runs. Every message has the key of its event and channel and is sent at most
once, whoever asks again (a unique column); a message with nothing to say is refused."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.languages import translations_of

from .access import inbox_of
from .backends import backend_for
from .models import REDACTED, Action, Channel, Notification, Status

if TYPE_CHECKING:
    from portal.accounts.models import User

logger = logging.getLogger(__name__)

TASK = "portal.notifications.tasks.deliver"


def batch_size() -> int:
    return int(settings.NOTIFICATIONS.get("BATCH_SIZE", 100))


def max_attempts() -> int:
    return int(settings.NOTIFICATIONS.get("MAX_ATTEMPTS", 5))


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    subject: str
    body: str = ""
    recipient: User | None = None
    address: str = ""
    link: str = ""
    key: str = ""
    sensitive: bool = False
    action: str = Action.OPEN


def to_person(
    *,
    user: User | None,
    mobile: str,
    subject: str,
    body: str = "",
    link: str = "",
    key: str,
    sms_body: str | None = None,
    action: str = Action.OPEN,
) -> list[OutgoingMessage]:
    """A message for one person: to their inbox when they have an account, and by SMS when their
    mobile number is known (keys ``<key>:inbox`` and ``<key>:sms``; the SMS says ``sms_body``
    when given, e.g. only the link). For ``send_bulk``."""
    targets: list[tuple[Channel, User | None, str, str]] = (
        [(Channel.INBOX, user, "", body)] if user is not None else []
    )
    if mobile:
        targets.append((Channel.SMS, None, mobile, body if sms_body is None else sms_body))
    return [
        OutgoingMessage(
            channel=channel,
            recipient=recipient,
            address=address,
            subject=subject,
            body=text,
            link=link,
            key=f"{key}:{channel.value}",
            action=action,
        )
        for channel, recipient, address, text in targets
    ]


def to_staff(
    users: Iterable[User],
    *,
    subject: str,
    body: str = "",
    link: str = "",
    key: str,
    action: str = Action.OPEN,
) -> list[OutgoingMessage]:
    """One inbox message per staff account (keys ``<key>:<user id>``). For ``send_bulk``."""
    return [
        OutgoingMessage(
            channel=Channel.INBOX,
            recipient=user,
            subject=subject,
            body=body,
            link=link,
            key=f"{key}:{user.pk}",
            action=action,
        )
        for user in users
    ]


def _address_for(channel: str, recipient: User | None, address: str) -> str:
    if address or recipient is None:
        return address
    if channel == Channel.SMS:
        return recipient.mobile or ""
    if channel == Channel.WECHAT:
        return recipient.wechat_openid or ""
    if channel == Channel.MAIL:
        return recipient.email or ""
    return ""


def _build(message: OutgoingMessage) -> Notification:
    if message.channel not in Channel.values:
        raise ValidationError(
            _("Unknown channel %(channel)s."), code="channel", params={"channel": message.channel}
        )
    if not (message.key or "").strip():
        raise ValidationError(
            _(
                "A message needs the key of the event it tells about (e.g. the log entry), so "
                "that a retry or a second signal cannot send it twice."
            ),
            code="key",
        )
    if not (message.body or "").strip():
        raise ValidationError(
            _("The message “%(subject)s” has no text: a message with an empty body is not sent."),
            code="body",
            params={"subject": message.subject},
        )
    if message.action not in Action.values:
        raise ValidationError(
            _("Unknown action %(action)s."), code="action", params={"action": message.action}
        )
    if message.channel == Channel.INBOX and message.recipient is None:
        raise ValidationError(_("An inbox message needs a recipient."), code="recipient")
    address = _address_for(message.channel, message.recipient, message.address)
    if message.channel != Channel.INBOX and not address:
        raise ValidationError(
            _("There is no address to send this %(channel)s message to."),
            code="address",
            params={"channel": Channel(message.channel).label},
        )
    now = timezone.now()
    inbox = message.channel == Channel.INBOX
    # Only the inbox shows a message in the reader's language; a secret is kept in one text only.
    translations = (
        translations_of(subject=message.subject, body=message.body)
        if inbox and not message.sensitive
        else {}
    )
    for texts in translations.values():
        if "subject" in texts:
            texts["subject"] = texts["subject"][:200]
    return Notification(
        recipient=message.recipient,
        channel=message.channel,
        address=address,
        subject=message.subject[:200],
        body=message.body,
        translations=translations,
        link=message.link,
        action=message.action,
        key=message.key,
        sensitive=message.sensitive,
        # The inbox needs no delivery: storing the row is the delivery.
        status=Status.SENT if inbox else Status.QUEUED,
        sent_at=now if inbox else None,
    )


def _schedule(ids: Sequence[int]) -> None:
    """Enqueue delivery of ``ids`` once the current transaction commits."""
    ids = list(ids)
    if not ids:
        return

    def enqueue() -> None:
        from django_q.tasks import async_task

        size = batch_size()
        for start in range(0, len(ids), size):
            async_task(TASK, ids[start : start + size], task_name=f"notify-{ids[start]}")

    # robust: a broker hiccup after commit must not turn the sender's page into an error;
    # the messages stay queued and ``requeue_stale`` picks them up.
    transaction.on_commit(enqueue, robust=True)


def send(
    *,
    channel: str,
    subject: str,
    body: str = "",
    recipient: User | None = None,
    address: str = "",
    link: str = "",
    key: str,
    sensitive: bool = False,
    action: str = Action.OPEN,
) -> Notification:
    """Store one message and deliver it after commit. ``key`` names the event and channel the
    message is for (e.g. ``case-log-12:sms``): a message already stored under that key is
    returned instead and nothing new is sent, whoever asks again (the column is unique).
    ``body`` must say something (``ValidationError`` otherwise, nothing stored); in the inbox a
    button labelled after ``action`` opens ``link``. ``sensitive`` marks a body that holds a
    secret (a sign-in code): it is blanked once a gateway has taken it, and by
    ``requeue_stale`` after a quarter of an hour in any case."""
    message = OutgoingMessage(
        channel=channel,
        subject=subject,
        body=body,
        recipient=recipient,
        address=address,
        link=link,
        key=key,
        sensitive=sensitive,
        action=action,
    )
    notification = _build(message)
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        # Someone else stored the same key between our look-up and our insert.
        return Notification.objects.get(key=key)
    if notification.status == Status.QUEUED:
        _schedule([notification.pk])
    return notification


def send_bulk(messages: Iterable[OutgoingMessage]) -> int:
    """Store many messages at once (bulk insert) and deliver them after commit in batches.
    Messages whose key is already stored (or repeated in ``messages``) are skipped.
    Returns the number of messages stored."""
    built: list[Notification] = []
    seen: set[str] = set()
    for message in messages:
        notification = _build(message)
        if notification.key in seen:
            continue
        seen.add(notification.key)
        built.append(notification)
    if not built:
        return 0
    known: set[str] = set()
    keys = list(seen)
    for start in range(0, len(keys), 1000):
        known.update(
            Notification.objects.filter(key__in=keys[start : start + 1000]).values_list(
                "key", flat=True
            )
        )
    built = [n for n in built if n.key not in known]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(built, batch_size=500)
    except IntegrityError:
        # A concurrent sender stored one of our keys meanwhile (rare): insert one by one.
        created = []
        for notification in built:
            notification.pk = None
            notification._state.adding = True
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue
            created.append(notification)
    queued = [n.pk for n in created if n.status == Status.QUEUED]
    _schedule(queued)
    return len(created)


def deliver(ids: Sequence[int]) -> dict[str, Any]:
    """Deliver the queued or failed messages among ``ids`` (run by the django-q2 task).

    Each message is locked while it is sent, so two workers never send it twice; a message
    already sent is skipped. Returns counts, with ``retry`` the ids that failed and may be tried
    again (fewer than ``MAX_ATTEMPTS`` attempts)."""
    sent = failed = 0
    retry: list[int] = []
    limit = max_attempts()
    for pk in ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .filter(pk=pk, status__in=[Status.QUEUED, Status.FAILED])
                .first()
            )
            if notification is None or notification.attempts >= limit:
                continue
            notification.attempts += 1
            backend = backend_for(notification.channel)
            try:
                backend.send(notification)
            except Exception as exc:  # noqa: BLE001  (any backend failure is recorded, retried)
                logger.warning("Notification %s failed: %s", pk, exc)
                notification.status = Status.FAILED
                notification.last_error = str(exc)[:2000]
                failed += 1
                if notification.attempts < limit:
                    retry.append(pk)
            else:
                notification.status = Status.SENT
                notification.sent_at = timezone.now()
                notification.last_error = ""
                if notification.sensitive and not getattr(backend, "keeps_body", False):
                    notification.body = REDACTED
                sent += 1
            notification.save(update_fields=["status", "attempts", "last_error", "sent_at", "body"])
    return {"sent": sent, "failed": failed, "retry": retry}


def requeue_stale(minutes: int = 15) -> int:
    """Hand queued messages older than ``minutes`` to delivery again (a task that was never
    enqueued, or lost). Scheduled every few minutes by django-q2."""
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    pks = list(
        Notification.objects.filter(status=Status.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:10_000]
    )
    with transaction.atomic():
        _schedule(pks)
        redact_stale_secrets(cutoff)
    return len(pks)


def redact_stale_secrets(before: datetime.datetime) -> int:
    """Blank the bodies of sensitive messages created before ``before`` (their codes have
    expired; nobody needs to read them again)."""
    return (
        Notification.objects.filter(sensitive=True, created_at__lt=before)
        .exclude(body=REDACTED)
        .update(body=REDACTED)
    )


def retry(ids: Iterable[int]) -> int:
    """Put failed messages back in the queue (attempts start again) and deliver them after
    commit. Used by the admin's "retry" action. Returns how many were queued."""
    with transaction.atomic():
        pks = list(
            Notification.objects.filter(pk__in=list(ids), status=Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        Notification.objects.filter(pk__in=pks).update(status=Status.QUEUED, attempts=0)
        _schedule(pks)
    return len(pks)


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of ``user``'s inbox messages read. Another person's message does not exist for
    them: ``Notification.DoesNotExist``."""
    notification = Notification.objects.filter(inbox_of(user)).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.status = Status.READ
        notification.save(update_fields=["read_at", "status"])
    return notification


def mark_all_read(user: User) -> int:
    return (
        Notification.objects.filter(inbox_of(user))
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now(), status=Status.READ)
    )


# ---- delivery receipts from the gateway ------------------------------------------------------

GATEWAY_CHANNELS = (Channel.SMS, Channel.WECHAT)
RECEIPT_DELIVERED = "delivered"
RECEIPT_FAILED = "failed"


@dataclass(frozen=True)
class Receipt:
    """What the gateway reports about one message: ``id`` is the id the portal sent it (the
    ``id`` of the delivery request), ``provider_id`` the gateway's own id of the message."""

    id: int
    status: str  # RECEIPT_DELIVERED or RECEIPT_FAILED
    provider_id: str = ""
    error: str = ""
    at: datetime.datetime | None = None


def _apply_receipt(notification: Notification, receipt: Receipt) -> bool:
    """Change ``notification`` as ``receipt`` says; False when it changes nothing (a receipt
    repeated, or one arriving after a final outcome)."""
    if receipt.status == RECEIPT_DELIVERED:
        if notification.status == Status.DELIVERED:
            return False
        notification.status = Status.DELIVERED
        notification.delivered_at = receipt.at or timezone.now()
        notification.last_error = ""
    else:
        # Only a message the gateway had taken can fail there; a delivered one stays delivered.
        if notification.status != Status.SENT:
            return False
        notification.status = Status.FAILED
        notification.last_error = (_("Gateway: %(error)s") % {"error": receipt.error or "—"})[:2000]
    if receipt.provider_id:
        notification.provider_id = receipt.provider_id
    return True


def record_receipts(receipts: Sequence[Receipt]) -> list[str]:
    """Apply the gateway's delivery receipts, in one transaction with the messages locked.
    Idempotent: a receipt sent twice changes nothing the second time. Returns, per receipt,
    ``updated``, ``unchanged``, or ``unknown`` (no SMS or WeChat message has that id)."""
    ids = {r.id for r in receipts}
    results: list[str] = []
    with transaction.atomic():
        found = {
            n.pk: n
            for n in Notification.objects.select_for_update().filter(
                pk__in=ids, channel__in=GATEWAY_CHANNELS
            )
        }
        changed: dict[int, Notification] = {}
        for receipt in receipts:
            notification = found.get(receipt.id)
            if notification is None:
                results.append("unknown")
            elif _apply_receipt(notification, receipt):
                changed[notification.pk] = notification
                results.append("updated")
            else:
                results.append("unchanged")
        Notification.objects.bulk_update(
            list(changed.values()),
            ["status", "delivered_at", "last_error", "provider_id"],
            batch_size=500,
        )
    return results

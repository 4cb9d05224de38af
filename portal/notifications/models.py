"""Notification records: one row per message to one person over one channel, with its delivery
status. The row is the outbox: it is written in the sender's transaction and delivered after
commit by a django-q2 task (``portal.notifications.tasks.deliver``)."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.languages import in_reading_language


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-site inbox")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    MAIL = "mail", _("Mail")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    READ = "read", _("Read")


REDACTED = "[redacted]"


class Action(models.TextChoices):
    """What the button beside an inbox message says (the message's link is where it goes).
    Stored as a code, so each reader sees the label in their own language."""

    OPEN = "open", _("View")
    REVIEW_OFFER = "review_offer", _("Review and confirm")
    VIEW_CASE = "view_case", _("View the case")
    VIEW_CERTIFICATE = "view_certificate", _("View the certificate")
    CHOOSE_DELIVERY = "choose_delivery", _("Choose delivery or pick-up")
    RATE = "rate", _("Rate the service")
    APPLY = "apply", _("Start the application")
    VIEW_APPLICATION = "view_application", _("View the application")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(
        _("address"),
        max_length=254,
        blank=True,
        help_text=_("Mobile number, WeChat id or e-mail address the message goes to."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            "The subject and body in the portal's other languages, by language code: the inbox "
            "shows each reader the message in the language they read the portal in."
        ),
    )
    link = models.CharField(_("link"), max_length=500, blank=True)
    action = models.CharField(
        _("action"),
        max_length=32,
        choices=Action.choices,
        default=Action.OPEN,
        help_text=_("What the button that opens the link says in the inbox."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    key = models.CharField(
        _("event key"),
        max_length=200,
        unique=True,
        help_text=_(
            "The event and channel (and recipient) this message is for: a second message with "
            "the same key is never stored, so it is never sent twice."
        ),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "The body holds a secret (a sign-in code): it is blanked once delivered through a "
            "gateway, and in any case after a quarter of an hour."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(
        _("delivered at"),
        null=True,
        blank=True,
        help_text=_("When the gateway reported the message delivered to the phone."),
    )
    provider_id = models.CharField(
        _("gateway message id"),
        max_length=100,
        blank=True,
        help_text=_("The gateway's own id of the message, from its delivery receipt."),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "channel", "status"], name="notif_inbox_idx"),
            # the header's unread count: one index-only look-up per page
            models.Index(
                fields=["recipient"],
                condition=models.Q(channel="inbox", read_at__isnull=True),
                name="notif_unread_idx",
            ),
        ]
        constraints = [
            # a message says something: send() refuses an empty body, and so does the table
            models.CheckConstraint(
                condition=~models.Q(body=""), name="notification_body_not_empty"
            ),
            models.CheckConstraint(condition=~models.Q(key=""), name="notification_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.INBOX and self.read_at is None

    def _in_reading_language(self, field: str) -> str:
        translated = {lang: texts.get(field, "") for lang, texts in self.translations.items()}
        return in_reading_language(getattr(self, field), translated)

    @property
    def subject_text(self) -> str:
        """The subject in the reader's language (the default language's when the message was
        stored without a translation)."""
        return self._in_reading_language("subject")

    @property
    def body_text(self) -> str:
        """The body in the reader's language, as :attr:`subject_text`."""
        return self._in_reading_language("body")

    @property
    def text(self) -> str:
        """The body as the inbox shows it: in the reader's language, web addresses left out (the
        button beside the message opens the link; a signed offer link is neither readable nor
        for reading)."""
        return readable(self.body_text)

    @property
    def action_label(self) -> str:
        return str(Action(self.action).label if self.action in Action.values else Action.OPEN.label)


_URL = re.compile(r"\s*https?://\S+")


def readable(text: str) -> str:
    """``text`` without web addresses, and without the blank lines they leave."""
    lines = (_URL.sub("", line).rstrip() for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line.strip())

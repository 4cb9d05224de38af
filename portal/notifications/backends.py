"""Channel backends. A backend's ``send(notification)`` delivers one message or raises; the
delivery task records the outcome and django-q2 retries the task while messages are failing.

Which backend serves which channel comes from ``settings.NOTIFICATIONS`` (``SMS_BACKEND``,
``WECHAT_BACKEND``, ``MAIL_BACKEND``); the in-site inbox needs no backend: the row is the message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Notification

DEFAULT_BACKENDS = {
    "inbox": "portal.notifications.backends.InboxBackend",
    "sms": "portal.notifications.backends.OutboxBackend",
    "wechat": "portal.notifications.backends.OutboxBackend",
    "mail": "portal.notifications.backends.MailBackend",
}
SIGNATURE_HEADER = "X-Portal-Signature"


class DeliveryError(Exception):
    """The channel refused or could not take the message; the task will try again."""


class Backend:
    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class InboxBackend(Backend):
    """In-site inbox: storing the row is the delivery."""

    def send(self, notification: Notification) -> None:
        return None


class OutboxBackend(Backend):
    """Local development and demos: the message stays in the database, marked sent, and can be
    read in the admin and on the outbox page (``notifications:outbox``)."""

    keeps_body = True  # the stored body is what "was delivered": never blank it on send

    def send(self, notification: Notification) -> None:
        return None


class MailBackend(Backend):
    """Mail through Django's configured e-mail backend."""

    def send(self, notification: Notification) -> None:
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{absolute_link(notification.link)}"
        send_mail(
            notification.subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.address],
            fail_silently=False,
        )


def sign(body: bytes, secret: str) -> str:
    """HMAC-SHA256 of the request body, hex-encoded, as sent in ``X-Portal-Signature``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class HttpGatewayBackend(Backend):
    """SMS/WeChat through an HTTP gateway: a JSON POST to ``NOTIFICATIONS["GATEWAY_URL"]``,
    signed with HMAC-SHA256 of the body (``GATEWAY_SECRET``) in ``X-Portal-Signature``.
    Any answer other than 2xx, a timeout or a network error raises :class:`DeliveryError`."""

    def __init__(self) -> None:
        conf = settings.NOTIFICATIONS
        self.url = conf.get("GATEWAY_URL", "")
        self.secret = conf.get("GATEWAY_SECRET", "")
        self.timeout = float(conf.get("GATEWAY_TIMEOUT", 10))

    def payload(self, notification: Notification) -> dict:
        return {
            "id": notification.pk,
            "key": notification.key,
            "channel": notification.channel,
            "to": notification.address,
            "subject": notification.subject,
            "body": notification.body,
            "link": absolute_link(notification.link) if notification.link else "",
        }

    def send(self, notification: Notification) -> None:
        if not self.url.startswith(("https://", "http://")):
            raise DeliveryError("NOTIFICATIONS['GATEWAY_URL'] is not set to an http(s) address")
        body = json.dumps(self.payload(notification), ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310  (http(s) only, checked above)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(body, self.secret),
                "Idempotency-Key": notification.key or f"notification-{notification.pk}",
            },
        )
        try:
            # the scheme is checked above: http(s) only
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"gateway answered HTTP {status}")


def absolute_link(link: str) -> str:
    if link.startswith(("http://", "https://")):
        return link
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/" + link.lstrip("/")


@cache
def _backend_class(path: str) -> type[Backend]:
    return import_string(path)


def backend_for(channel: str) -> Backend:
    conf = settings.NOTIFICATIONS
    path = conf.get(f"{channel.upper()}_BACKEND") or DEFAULT_BACKENDS[channel]
    return _backend_class(path)()

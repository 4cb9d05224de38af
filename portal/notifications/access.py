"""Who may see notifications (ADR 0080).

- The in-site inbox: a message is its recipient's; nobody else sees it on the inbox page or the
  inbox API, administrators included (their inbox is their own too).
- The admin (the delivery record of every channel): administrators only. Message bodies and links
  may carry bearer tokens (an offer's signed link lets whoever holds it act for the company), so
  the admin shows them redacted (:func:`redact`) and mobile numbers masked.
- Delivery receipts come from the notification gateway's API key (scope
  ``notifications:receipts``), never from a person.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, is_signed_in, register
from portal.accounts.permissions import is_administrator
from portal.validators import mask_identifier

from .models import REDACTED, Channel, Notification

#: A value signed by ``django.core.signing`` (``value:signature`` or ``value:timestamp:signature``,
#: the signature URL-safe base64 of an HMAC: 27 characters and more). Links carrying one are
#: bearer tokens: whoever has the link may act on it.
SIGNED_TOKEN = re.compile(r"[\w.=-]+(?::[0-9A-Za-z]{1,12})?:[\w-]{27,}")


def redact(text: str) -> str:
    """``text`` with every signed token (the secret part of an offer link) replaced."""
    return SIGNED_TOKEN.sub(REDACTED, text or "")


def inbox_of(user: Any) -> Q:
    """The in-site messages of ``user`` (a Q over Notification)."""
    if not is_signed_in(user):
        return NOTHING
    return Q(recipient_id=user.pk, channel=Channel.INBOX)


@register
class NotificationPolicy(Policy):
    model = Notification
    personal_fields = {"address": mask_identifier}

    def visible(self, user: Any) -> Q:
        """Administrators every message (in the admin); anybody else their own inbox."""
        return EVERYTHING if is_administrator(user) else inbox_of(user)

    def can_view(self, user: Any, obj: Notification) -> bool:
        if obj.pk is None:
            return False
        if is_administrator(user):
            return True
        return is_signed_in(user) and obj.recipient_id == user.pk and obj.channel == Channel.INBOX

    def can_add(self, user: Any) -> bool:
        return False

    def reveals(self, user: Any, obj: Notification) -> bool:
        return False

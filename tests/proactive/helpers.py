"""Steps a test takes as the applicant, the market-regulation system, staff and the courier."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlparse

from approvals.proactive.api import sign_courier_body
from portal.notifications.models import Notification

EVENTS_URL = "/api/v1/approvals/licence-events/"
WEBHOOK_URL = "/api/v1/approvals/courier/webhook/"


def post_events(client, events, **extra):
    return client.post(EVENTS_URL, {"events": events}, content_type="application/json", **extra)


def path_of(link: str) -> str:
    return urlparse(link).path


def last_code(mobile: str) -> str:
    sms = Notification.objects.filter(channel="sms", address=mobile).order_by("-id").first()
    assert sms is not None, f"no SMS to {mobile}"
    match = re.search(r"\b(\d{6})\b", sms.body)
    assert match, sms.body
    return match.group(1)


def verify_identity(client, link_path: str, mobile: str):
    """Interaction 1: ask for a code (sent to the registered number), type it in."""
    response = client.post(link_path, {"provider": "sms_code", "action": "start"})
    assert response.status_code == 200, response.content[:500]
    return client.post(
        link_path, {"provider": "sms_code", "action": "verify", "code": last_code(mobile)}
    )


def courier(client, payload: dict, *, timestamp: int | None = None, signature: str | None = None):
    body = json.dumps(payload).encode()
    ts = str(timestamp if timestamp is not None else int(time.time()))
    return client.post(
        WEBHOOK_URL,
        body,
        content_type="application/json",
        HTTP_X_COURIER_TIMESTAMP=ts,
        HTTP_X_COURIER_SIGNATURE=signature or sign_courier_body(body, ts),
    )

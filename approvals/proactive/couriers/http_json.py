"""The first courier plug-in: JSON over HTTPS with signed requests and signed webhooks, as
docs/courier-protocol.md describes. Settings (``settings.COURIER``): ``URL`` (the courier's base
URL), ``SECRET`` (the HMAC key both sides share), ``TIMEOUT`` (seconds)."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime

from . import protocol
from .base import Courier, CourierEvent, CourierRefused, CourierUnavailable, Order, WebhookRefused
from .registry import register

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ..models import Shipment

# Answers that mean "not now": try again later with the same idempotency key.
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@register("http_json")
class HttpJsonCourier(Courier):
    label = "JSON over HTTPS (docs/courier-protocol.md)"

    @property
    def base_url(self) -> str:
        return str(self.options.get("URL", "")).rstrip("/")

    @property
    def secret(self) -> str:
        return str(self.options["SECRET"])

    def _post(self, path: str, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        url = self.base_url + path
        if not url.startswith(("http://", "https://")):
            raise CourierRefused(f"the courier URL {url!r} is not http(s)")
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        headers = protocol.signed_headers(self.secret, body)
        headers[protocol.IDEMPOTENCY_HEADER] = idempotency_key
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        timeout = float(self.options.get("TIMEOUT", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode("utf-8", "replace")
            exc.close()
            if exc.code in RETRY_STATUSES:
                raise CourierUnavailable(f"HTTP {exc.code} {detail}".strip()) from exc
            raise CourierRefused(f"HTTP {exc.code} {detail}".strip()) from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise CourierUnavailable(str(getattr(exc, "reason", exc))) from exc
        except ValueError as exc:  # not JSON
            raise CourierUnavailable(f"unreadable answer: {exc}") from exc

    def place_order(self, shipment: Shipment, idempotency_key: str) -> Order:
        answer = self._post("/v1/orders", self.order_payload(shipment), idempotency_key)
        order_id = str(answer.get("order_id") or "")
        tracking = str(answer.get("tracking_number") or "")
        if not order_id or not tracking or len(tracking) > 32:
            raise CourierUnavailable(f"the answer names no order or tracking number: {answer}")
        return Order(order_id, tracking, str(answer.get("status") or "ordered"), answer)

    def cancel(self, order_id: str, idempotency_key: str) -> None:
        self._post(f"/v1/orders/{order_id}/cancel", {"order_id": order_id}, idempotency_key)

    def parse_webhook(self, request: HttpRequest) -> list[CourierEvent]:
        timestamp = request.headers.get(protocol.TIMESTAMP_HEADER, "")
        signature = request.headers.get(protocol.SIGNATURE_HEADER, "")
        if timestamp and not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            raise WebhookRefused("X-Courier-Timestamp must be Unix seconds.", 400)
        max_skew = int(self.options.get("MAX_SKEW_SECONDS", protocol.MAX_SKEW_SECONDS))
        if not protocol.check(self.secret, request.body, timestamp, signature, max_skew=max_skew):
            raise WebhookRefused("Bad or expired courier signature.", 403)
        try:
            data = json.loads(request.body)
        except ValueError:
            raise WebhookRefused("The body is not JSON.", 400) from None
        items = data.get("events") if isinstance(data, dict) and "events" in data else [data]
        if not isinstance(items, list):
            raise WebhookRefused("events must be a list.", 400)
        return [self._event(item) for item in items]

    @staticmethod
    def _event(item: Any) -> CourierEvent:
        if not isinstance(item, dict):
            raise WebhookRefused("An event must be an object.", 400)
        fields = {}
        for name, limit in (("event_id", 64), ("tracking_number", 32), ("status", 16)):
            value = item.get(name)
            if not isinstance(value, str) or not value or len(value) > limit:
                raise WebhookRefused(f"{name}: a text of at most {limit} characters.", 400)
            fields[name] = value
        if fields["status"] not in protocol.STATUSES:
            raise WebhookRefused(f"status: one of {', '.join(protocol.STATUSES)}.", 400)
        occurred: datetime.datetime | None = None
        if item.get("occurred_at"):
            try:
                occurred = parse_datetime(str(item["occurred_at"]))
            except ValueError:
                occurred = None
            if occurred is None:
                raise WebhookRefused("occurred_at: an ISO 8601 date and time.", 400)
        reason = item.get("reason") or ""
        return CourierEvent(
            event_id=fields["event_id"],
            tracking_number=fields["tracking_number"],
            status=fields["status"],
            occurred_at=occurred,
            reason=str(reason)[:200],
            raw=item,
        )

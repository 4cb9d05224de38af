"""What the portal and a courier speaking docs/courier-protocol.md share: the signature of a
request or webhook, and the statuses. Standard library only, so the development courier server
(:mod:`.devserver`) runs without Django."""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Courier-Timestamp"
SIGNATURE_HEADER = "X-Courier-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_SKEW_SECONDS = 300

# A parcel's statuses after the order, in the order they happen (``failed`` may end any of them;
# ``cancelled`` answers a cancel).
STATUSES = ("collected", "in_transit", "delivered", "failed", "cancelled")


def sign(secret: str | bytes, body: bytes, timestamp: int | str) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>.<body>")."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signed_headers(secret: str | bytes, body: bytes, *, now: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if now is None else now)
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, body, timestamp),
        "Content-Type": "application/json",
    }


def check(
    secret: str | bytes,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    max_skew: int = MAX_SKEW_SECONDS,
) -> bool:
    """True when ``signature`` is ours for ``body`` at ``timestamp`` and the timestamp is fresh
    (Unix seconds, at most ``max_skew`` away). Never raises on odd input."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if abs(int(time.time()) - int(timestamp)) > max_skew:
        return False
    expected = sign(secret, body, timestamp).encode()
    return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))

"""The project's own courier server, for the tests and ``make run``: it speaks
docs/courier-protocol.md, keeps its orders in a JSON file, honours idempotency keys, can be told
to answer 503 a number of times, and sends the signed webhooks (collected, in transit, delivered,
failed) to the portal. Standard library only (it needs no Django settings).

    python -m approvals.proactive.couriers.devserver --port 8025 \\
        --webhook-url http://127.0.0.1:8000/api/v1/approvals/courier/webhook/ \\
        --api-key <the courier's system-client key> [--auto 20] [--fail 2]

``--port 0`` picks a free port; the first line printed is ``courier listening on <url>``.
``--auto N`` moves every order one stage on every N seconds (ordered → collected → in transit →
delivered), as a courier would. Control endpoints for tests (no signature, development only):
``POST /_control/fail {"count": 2, "status": 503}``, ``POST /_control/advance {"order_id": ...,
"status": "collected"}`` (sends the webhook, answers the portal's status),
``GET /_control/orders`` (orders and request counts), ``POST /_control/reset``,
``POST /_control/config {"webhook_url": ..., "api_key": ...}``."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from approvals.proactive.couriers import protocol

NEXT = {"ordered": "collected", "collected": "in_transit", "in_transit": "delivered"}
FINAL = {"delivered", "failed", "cancelled"}


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


class Store:
    """Orders, idempotency keys and request counts, in a JSON file (rewritten atomically)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.data: dict[str, Any] = {"orders": {}, "keys": {}, "counts": {}, "fail": []}
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                self.data.update(json.load(handle))

    def save(self) -> None:
        if not self.path:
            return
        tmp = f"{self.path}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)

    def count(self, what: str) -> None:
        with self.lock:
            self.data["counts"][what] = self.data["counts"].get(what, 0) + 1
            self.save()

    def take_failure(self) -> int | None:
        """The status to answer instead of serving, while failures are queued."""
        with self.lock:
            if not self.data["fail"]:
                return None
            status = int(self.data["fail"].pop(0))
            self.save()
            return status


class Courier:
    def __init__(self, store: Store, secret: str, webhook_url: str, api_key: str) -> None:
        self.store = store
        self.secret = secret
        self.webhook_url = webhook_url
        self.api_key = api_key

    def create(self, key: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.store.lock:
            data = self.store.data
            if key in data["keys"]:
                return 200, data["orders"][data["keys"][key]]
            number = len(data["orders"]) + 1
            order_id = f"DEV{number:06d}"
            order = {
                "order_id": order_id,
                "tracking_number": f"QDKD{datetime.date.today():%y%m%d}{number:06d}",
                "status": "ordered",
                "idempotency_key": key,
                "collect": payload.get("collect", []),
                "request": payload,
                "history": [{"status": "ordered", "at": now_iso()}],
            }
            data["orders"][order_id] = order
            data["keys"][key] = order_id
            self.store.save()
            return 201, order

    def find(self, ref: str) -> dict[str, Any] | None:
        orders = self.store.data["orders"]
        if ref in orders:
            return orders[ref]
        return next((o for o in orders.values() if o["tracking_number"] == ref), None)

    def cancel(self, order_id: str) -> tuple[int, dict[str, Any]]:
        with self.store.lock:
            order = self.find(order_id)
            if order is None:
                return 404, {"detail": "no such order"}
            if order["status"] == "delivered":
                return 409, {"detail": "already delivered", **order}
            if order["status"] != "cancelled":
                order["status"] = "cancelled"
                order["history"].append({"status": "cancelled", "at": now_iso()})
                self.store.save()
            return 200, order

    def advance(self, ref: str, status: str | None = None, reason: str = "") -> dict[str, Any]:
        """Move an order on (to ``status``, or its next stage) and tell the portal. The order
        changes only when the portal took the event (2xx), so a 409 is tried again later."""
        with self.store.lock:
            order = self.find(ref)
            if order is None:
                return {"error": "no such order", "webhook_status": None}
            status = status or NEXT.get(order["status"], "")
            if status == "collected" and not order.get("collect"):
                status = "in_transit"  # nothing to collect
            if not status or order["status"] in FINAL:
                return {"order": order, "webhook_status": None}
            event = {
                "event_id": f"{order['order_id']}-{status}-{uuid.uuid4().hex[:8]}",
                "order_id": order["order_id"],
                "tracking_number": order["tracking_number"],
                "status": status,
                "occurred_at": now_iso(),
            }
            if reason:
                event["reason"] = reason
        code, body = self.send_webhook(event)
        with self.store.lock:
            if code is None or 200 <= code < 300:
                order["status"] = status
                order["history"].append({"status": status, "at": event["occurred_at"]})
                self.store.save()
        return {"order": order, "event": event, "webhook_status": code, "webhook_body": body}

    def send_webhook(self, event: dict[str, Any]) -> tuple[int | None, str]:
        if not self.webhook_url:
            return None, ""
        body = json.dumps(event).encode()
        headers = protocol.signed_headers(self.secret, body)
        if self.api_key:
            headers["Authorization"] = f"Api-Key {self.api_key}"
        request = urllib.request.Request(  # noqa: S310 - a URL the developer gave
            self.webhook_url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")
            exc.close()
            return exc.code, text
        except (urllib.error.URLError, OSError) as exc:
            return 599, str(exc)

    def tick(self) -> None:
        """--auto: every open order one stage on."""
        for order in list(self.store.data["orders"].values()):
            if order["status"] not in FINAL:
                self.advance(order["order_id"])


class Handler(BaseHTTPRequestHandler):
    server_version = "DevCourier/1"
    courier: Courier  # set by make_handler

    @property
    def store(self) -> Store:
        return self.courier.store

    def log_message(self, format: str, *args: Any) -> None:  # quiet unless asked
        if os.environ.get("COURIER_DEV_VERBOSE"):
            super().log_message(format, *args)

    def answer(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def signed(self, body: bytes) -> bool:
        return protocol.check(
            self.courier.secret,
            body,
            self.headers.get(protocol.TIMESTAMP_HEADER, ""),
            self.headers.get(protocol.SIGNATURE_HEADER, ""),
        )

    def do_GET(self) -> None:
        if self.path == "/_control/orders":
            with self.store.lock:
                self.answer(200, dict(self.store.data))
        elif self.path == "/_control/health":
            self.answer(200, {"ok": True})
        elif self.path.startswith("/v1/orders/"):
            if not self.signed(b""):
                self.answer(403, {"detail": "bad signature"})
                return
            order = self.courier.find(self.path.rsplit("/", 1)[-1])
            self.answer(200 if order else 404, order or {"detail": "no such order"})
        else:
            self.answer(404, {"detail": "not found"})

    def do_POST(self) -> None:
        body = self.body()
        if self.path.startswith("/_control/"):
            self.control(self.path.removeprefix("/_control/"), body)
            return
        self.store.count(f"POST {self.path}")
        if not self.signed(body):
            self.answer(403, {"detail": "bad or expired signature"})
            return
        failure = self.store.take_failure()
        if failure is not None:
            self.answer(failure, {"detail": "courier unavailable (told to fail)"})
            return
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            self.answer(400, {"detail": "body is not JSON"})
            return
        if self.path == "/v1/orders":
            key = self.headers.get(protocol.IDEMPOTENCY_HEADER, "")
            if not key:
                self.answer(400, {"detail": "Idempotency-Key is required"})
                return
            for name in ("reference", "recipient", "address"):
                if not payload.get(name):
                    self.answer(422, {"detail": f"{name} is required"})
                    return
            self.answer(*self.courier.create(key, payload))
        elif self.path.startswith("/v1/orders/") and self.path.endswith("/cancel"):
            self.answer(*self.courier.cancel(self.path.split("/")[3]))
        else:
            self.answer(404, {"detail": "not found"})

    def control(self, action: str, body: bytes) -> None:
        payload = json.loads(body or b"{}")
        if action == "fail":
            with self.store.lock:
                count = int(payload.get("count", 1))
                self.store.data["fail"] = [int(payload.get("status", 503))] * count
                self.store.save()
            self.answer(200, {"fail": self.store.data["fail"]})
        elif action == "advance":
            ref = payload.get("order_id") or payload.get("tracking_number") or ""
            result = self.courier.advance(ref, payload.get("status"), payload.get("reason", ""))
            self.answer(200, result)
        elif action == "config":  # where the webhooks go, with which key
            for name in ("webhook_url", "api_key"):
                if name in payload:
                    setattr(self.courier, name, str(payload[name]))
            self.answer(200, {"webhook_url": self.courier.webhook_url})
        elif action == "reset":
            with self.store.lock:
                self.store.data = {"orders": {}, "keys": {}, "counts": {}, "fail": []}
                self.store.save()
            self.answer(200, {"ok": True})
        else:
            self.answer(404, {"detail": "no such control"})


def make_handler(courier: Courier) -> type[Handler]:
    return type("BoundHandler", (Handler,), {"courier": courier})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COURIER_PORT", "8025")))
    parser.add_argument("--state", default=os.environ.get("COURIER_STATE", ""))
    parser.add_argument(
        "--secret",
        default=os.environ.get("COURIER_API_SECRET")
        or os.environ.get("COURIER_WEBHOOK_SECRET", "dev-courier-secret"),
    )
    parser.add_argument(
        "--webhook-url",
        default=os.environ.get(
            "COURIER_WEBHOOK_URL", "http://127.0.0.1:8000/api/v1/approvals/courier/webhook/"
        ),
    )
    parser.add_argument("--api-key", default=os.environ.get("COURIER_API_KEY", ""))
    parser.add_argument("--api-key-file", default="")
    parser.add_argument("--auto", type=float, default=0, help="seconds between stages; 0: off")
    parser.add_argument("--fail", type=int, default=0, help="answer 503 to the next N calls")
    args = parser.parse_args(argv)
    api_key = args.api_key
    if not api_key and args.api_key_file and os.path.exists(args.api_key_file):
        with open(args.api_key_file, encoding="utf-8") as handle:
            api_key = handle.read().strip()
    store = Store(args.state or None)
    if args.fail:
        store.data["fail"] = [503] * args.fail
    courier = Courier(store, args.secret, args.webhook_url, api_key)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(courier))
    host, port = server.server_address[:2]
    print(f"courier listening on http://{host}:{port}", flush=True)
    if args.auto > 0:

        def loop() -> None:
            while True:
                time.sleep(args.auto)
                try:
                    courier.tick()
                except Exception as exc:  # noqa: BLE001 - a dev loop keeps going
                    print(f"courier tick failed: {exc}", file=sys.stderr, flush=True)

        threading.Thread(target=loop, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

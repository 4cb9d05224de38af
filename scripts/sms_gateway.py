"""A stand-in SMS/WeChat gateway for `make cluster` and `make drill`: accepts the portal's signed
JSON POSTs (portal.notifications.backends.HttpGatewayBackend) and appends each call, with its
Idempotency-Key, to a JSON Lines file, so a drill can count what reached the phones.

    python scripts/sms_gateway.py --port 29025 --log /tmp/portal-cluster/sms.jsonl
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            record = {
                "at": time.time(),
                "key": self.headers.get("Idempotency-Key", ""),
                "channel": body.get("channel"),
                "to": body.get("to"),
            }
            with lock, args.log.open("a") as log:
                log.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Gateway:
    """A local HTTP gateway on 127.0.0.1 that records what it receives."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                gateway.requests.append(
                    {"headers": dict(self.headers), "raw": raw, "json": json.loads(raw)}
                )
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    server = Gateway()
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "SMS_BACKEND": "portal.notifications.backends.HttpGatewayBackend",
        "WECHAT_BACKEND": "portal.notifications.backends.HttpGatewayBackend",
        "GATEWAY_URL": server.url,
        "GATEWAY_SECRET": "test-secret",
        "GATEWAY_TIMEOUT": 2,
    }
    yield server
    server.close()

"""Body limits hold on the real server (gunicorn), whichever way the body is sent (issue 11).

- A Content-Length over the limit is answered 413 before the body is read: the client may stop
  sending after the headers.
- A chunked body (no Content-Length) never reaches a view: Django reads a WSGI body only up to
  CONTENT_LENGTH, which gunicorn leaves unset for chunked requests, so the view sees an empty
  body and 50 MB sent that way cost nothing.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.fuzz

OTP = "/api/v1/auth/otp/"


def _exchange(live_portal, head: bytes, parts=()) -> tuple[int, dict, float]:
    """Send ``head`` then ``parts`` (stopping when the server closes); the status, the JSON
    answer and the seconds it took."""
    address = urlparse(live_portal.url)
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(head)
        for part in parts:
            try:
                sock.sendall(part)
            except OSError:
                break  # answered and closed before the body was sent: what we want
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    seconds = time.monotonic() - started
    status = int(answer.split(b" ", 2)[1])
    head_part, _, body = answer.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head_part.lower():
        body = _unchunk(body)
    return status, json.loads(body or b"{}"), seconds


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size, _, rest = data.partition(b"\r\n")
        length = int(size, 16)
        if not length:
            break
        out += rest[:length]
        data = rest[length + 2 :]
    return out


def _request(content_headers: bytes) -> bytes:
    return (
        b"POST " + OTP.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n" + content_headers + b"\r\n"
    )


def test_a_content_length_over_the_limit_is_refused_before_the_body_is_read(live_portal):
    megabyte = b"x" * (1024 * 1024)
    status, answer, seconds = _exchange(
        live_portal,
        _request(b"Content-Length: %d\r\n" % (200 * 1024 * 1024)),
        (megabyte for _ in range(200)),
    )
    assert status == 413, answer
    assert answer["type"].endswith("too_large"), answer
    assert seconds < 10  # not the time to upload 200 MB


def test_a_chunked_body_is_not_read_by_the_views(live_portal):
    body = json.dumps({"mobile": "13800000000"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    status, answer, _seconds = _exchange(
        live_portal, _request(b"Transfer-Encoding: chunked\r\n"), [chunked]
    )
    # the view saw no body: the mobile number is "required"
    assert status == 400, answer
    assert "mobile" in answer.get("errors", {}), answer


def test_fifty_megabytes_chunked_cost_nothing(live_portal):
    megabyte = b"x" * (1024 * 1024)
    parts = [b"%x\r\n%s\r\n" % (len(megabyte), megabyte)] * 50 + [b"0\r\n\r\n"]
    status, _answer, seconds = _exchange(
        live_portal, _request(b"Transfer-Encoding: chunked\r\n"), parts
    )
    assert status == 400
    assert seconds < 10

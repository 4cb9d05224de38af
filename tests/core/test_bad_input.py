"""Bad input never makes the portal answer 500 (issue 11): every route of the URL map with its
parameters filled with NUL bytes, broken UTF-8, huge numbers, very long and odd text; every
operation of the OpenAPI schema with the same in its path, its query parameters and its JSON
body; absurd header values. As an anonymous visitor, a citizen and a superuser.

A 500 fails the test with the route, the input and the last frame of the traceback."""

from __future__ import annotations

import itertools
import json
import re
import sys
import traceback
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SLOT = "\x01"  # where a route parameter goes

#: Route parameter values, already percent-encoded as they travel in a request line.
PATH_VALUES = {
    "nul": "a%00b",
    "encoded-percent-nul": "a%2500b",
    "broken-utf8": "%FF%FE",
    "surrogate-utf8": "%ED%A0%80",
    "huge-number": "9" * 40,
    "long": "x" * 2000,
    "odd-text": quote("测试\u202e😀' OR 1=1--/../.."),
    "dot-dot": "..",
}
FILLER = "1"  # a plausible value, for the query and body probes

BAD_QUERIES = {
    "nul": "q=a%00b&a%00b=1",
    "broken-utf8": "q=%FF%FE&search=%ED%A0%80",
    "huge-numbers": urlencode(
        {"page": "9" * 40, "page_size": "9" * 40, "limit": "9" * 40, "year": "9" * 40}
    ),
    "odd-numbers": "page=-1&offset=-5&limit=-1&page_size=0&page=last&month=13&year=0",
    "odd-text": urlencode(
        {
            "q": "测试\u202e😀' OR 1=1--" + "x" * 5000,
            "ordering": "-nope,;drop",
            "format": "xml",
            "kind": "../../",
            "fmt": "%",
            "from": "2024-02-30",
            "to": "0000-00-00",
        }
    ),
}

FORM_BODIES = {
    "nul": {"x": "a\x00b", "code": "a\x00b"},
    "odd": {"code": "9" * 40, "step": "-1", "page": "x" * 3000, "reference": "../.."},
}
JSON_BODIES = {
    "nul": '{"x": "\\u0000"}',
    "surrogate": '{"x": "\\ud800"}',
    "list": "[[[]]]",
    "scalar": '"x"',
    "null": "null",
    "huge-number": '{"x": 1' + "0" * 400 + "}",
    "broken": '{"x": ',
}


# --- the URL map -----------------------------------------------------------------------------


def _template(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        # an alternation group: its first choice; any other group: the parameter
        text = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], text)
        text = re.sub(r"\((\?P<\w+>)?[^)]*\)", SLOT, text)
        text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\Z", "")
        return text
    return re.sub(r"<[^>]+>", SLOT, text)


def routes(resolver=None, prefix: str = "") -> Iterator[str]:
    """Every route of the URL map as a path template, parameters as SLOT."""
    for entry in (resolver or get_resolver()).url_patterns:
        template = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, template)
        elif isinstance(entry, URLPattern):
            yield "/" + template


ROUTES = sorted(set(routes()))


def fill(template: str, value: str) -> str:
    return template.replace(SLOT, value)


# --- the OpenAPI schema ----------------------------------------------------------------------


def operations() -> list[tuple[str, str, dict]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found.append((path, method, operation))
    return found


def _properties(operation: dict, schema: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    if ref:
        body = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return list(body.get("properties", {}))


# --- the probe -------------------------------------------------------------------------------


class ServerErrors:
    """Collects every 500: the request that caused it (route and input) and where it failed (the
    last frame of the portal's code and the exception), one line per route and failure."""

    def __init__(self) -> None:
        self.failures: dict[str, list[str]] = {}
        self._last = ""

    @property
    def found(self) -> list[str]:
        return [f"{where}  <-  {', '.join(inputs[:6])}" for where, inputs in self.failures.items()]

    def caught(self, sender, request=None, **kwargs) -> None:
        exc = sys.exc_info()[1]
        frames = traceback.extract_tb(exc.__traceback__) if exc else []
        own = [f for f in frames if "/.venv/" not in f.filename] or frames
        frame = f"{own[-1].filename.rsplit('/work/main/', 1)[-1]}:{own[-1].lineno}" if own else "?"
        self._last = f"{frame} {type(exc).__name__}: {str(exc)[:120]}"

    def check(self, response, what: str) -> None:
        if response.status_code >= 500:
            route, _, kind = what.rpartition(" [")
            key = f"{route[:160]} -> {self._last or response.status_code}"
            self.failures.setdefault(key, []).append("[" + kind[:60])
        self._last = ""


@pytest.fixture
def errors():
    collected = ServerErrors()
    got_request_exception.connect(collected.caught)
    yield collected
    got_request_exception.disconnect(collected.caught)


@pytest.fixture(params=["anonymous", "citizen", "superuser"])
def client(request) -> Client:
    client = Client(raise_request_exception=False)
    if request.param == "citizen":
        client.force_login(UserFactory(username="bad-input-citizen"))
    elif request.param == "superuser":
        client.force_login(
            UserFactory(username="bad-input-admin", is_staff=True, is_superuser=True)
        )
    return client


def test_the_url_map_is_walked():
    assert len(ROUTES) > 300
    assert "/api/v1/items/\x01/" in ROUTES
    assert "/api/v1/cases/\x01/accept/" in ROUTES


def test_no_route_answers_500_to_bad_parameters(client, errors):
    for template in ROUTES:
        if SLOT not in template:
            continue
        for name, value in PATH_VALUES.items():
            url = fill(template, value)
            errors.check(client.get(url), f"GET {template!r} [{name}]")
    assert not errors.found, "\n".join(errors.found)


def test_no_route_answers_500_to_bad_queries(client, errors):
    for template in ROUTES:
        url = fill(template, FILLER)
        for name, query in BAD_QUERIES.items():
            errors.check(client.get(f"{url}?{query}"), f"GET {template!r}? [{name}]")
    assert not errors.found, "\n".join(errors.found)


def test_no_route_answers_500_to_bad_bodies(client, errors):
    for template in ROUTES:
        url = fill(template, FILLER)
        for name, form in FORM_BODIES.items():
            errors.check(client.post(url, form), f"POST {template!r} form [{name}]")
        for name, body in JSON_BODIES.items():
            response = client.post(url, body, content_type="application/json")
            errors.check(response, f"POST {template!r} json [{name}]")
    assert not errors.found, "\n".join(errors.found)


def test_no_api_operation_answers_500_to_bad_parameters_or_bodies(client, errors):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = operations()
    assert len(found) > 20
    for path, method, operation in found:
        send = getattr(client, method)
        template = re.sub(r"\{[^}]+\}", SLOT, path)
        for name, value in PATH_VALUES.items():
            errors.check(send(fill(template, value)), f"{method} {path} path [{name}]")
        url = fill(template, FILLER)
        queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name, value in {"nul": "a\x00b", "huge": "9" * 40, "long": "x" * 5000}.items():
            if queries:
                query = urlencode(dict.fromkeys(queries, value))
                errors.check(send(f"{url}?{query}"), f"{method} {path} query [{name}]")
        if method == "get":
            continue
        bodies = dict(JSON_BODIES)
        properties = _properties(operation, schema)
        for name, value in {
            "nul": "a\x00b",
            "huge": 10**40,
            "nested": {"a": [[]]},
            "list": ["x"],
            "long": "测" * 20000,
        }.items():
            bodies[f"fields-{name}"] = json.dumps(dict.fromkeys(properties or ["x"], value))
        for name, body in bodies.items():
            response = send(url, body, content_type="application/json")
            errors.check(response, f"{method} {path} json [{name}]")
    assert not errors.found, "\n".join(errors.found)


# --- headers ---------------------------------------------------------------------------------


@pytest.fixture
def courier_key(db) -> str:
    from portal.accounts.services import create_system_client

    _client, key = create_system_client("bad-input courier", ["courier:events"])
    return key


HEADERS = {
    "content-length-huge": {"CONTENT_LENGTH": "9" * 400},
    "content-length-negative": {"CONTENT_LENGTH": "-1"},
    "content-length-text": {"CONTENT_LENGTH": "lots"},
    "forwarded-for-junk": {"HTTP_X_FORWARDED_FOR": "not-an-ip, ::::, 999.1.1.1, \u202e"},
    "forwarded-for-long": {"HTTP_X_FORWARDED_FOR": ", ".join(["10.0.0.1"] * 2000)},
    "accept-language": {"HTTP_ACCEPT_LANGUAGE": "zh-Hans;q=abc, *;q=-1, " + "x" * 500},
    "authorization-basic-junk": {"HTTP_AUTHORIZATION": "Basic !!!not-base64"},
    "authorization-basic-no-colon": {"HTTP_AUTHORIZATION": "Basic bm8tY29sb24="},
    "authorization-basic-latin1": {"HTTP_AUTHORIZATION": "Basic /w=="},
    "authorization-api-key-long": {"HTTP_AUTHORIZATION": "Api-Key " + "k" * 5000},
    "authorization-bearer": {"HTTP_AUTHORIZATION": "Bearer " + "x" * 5000},
    "cookie-junk": {"HTTP_COOKIE": "sessionid=" + "\u202e" * 50 + "; csrftoken=;;;=="},
    "host-junk": {"HTTP_HOST": "exa mple..com:99999"},
    "hx-request": {"HTTP_HX_REQUEST": "true" * 1000},
    "forwarded-proto": {"HTTP_X_FORWARDED_PROTO": "gopher"},
}

HEADER_PROBES = [
    ("get", "/"),
    ("get", "/items/"),
    ("get", "/api/v1/items/"),
    ("post", "/api/v1/auth/otp/"),
    ("post", "/accounts/login/"),
    ("get", "/admin/"),
    ("post", "/api/v1/approvals/courier/webhook/"),
]


def test_no_absurd_header_makes_a_500(client, errors):
    for header, (method, url) in itertools.product(HEADERS, HEADER_PROBES):
        body = "{}" if method == "post" else ""
        # as a WSGI server hands them over: the header's bytes decoded as Latin-1
        headers = {k: v.encode().decode("latin-1") for k, v in HEADERS[header].items()}
        response = client.generic(
            method.upper(), url, body, content_type="application/json", **headers
        )
        errors.check(response, f"{method} {url} [{header}]")
    assert not errors.found, "\n".join(errors.found)


@pytest.mark.parametrize(
    "timestamp",
    ["9" * 400, "-1", "1e9", "１２３", "0x10", " 1", "1" * 12, "\u202e1"],
    ids=["400-digits", "negative", "float", "fullwidth", "hex", "space", "12-digits", "rtl"],
)
def test_courier_timestamps_are_refused_not_500(courier_key, errors, timestamp):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/approvals/courier/webhook/",
        json.dumps({"tracking_number": "X", "status": "delivered", "event_id": "1"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {courier_key}",
        HTTP_X_COURIER_TIMESTAMP=timestamp.encode().decode("latin-1"),
        HTTP_X_COURIER_SIGNATURE="sha256=" + "0" * 64,
    )
    errors.check(response, f"courier timestamp {timestamp[:20]!r}")
    assert not errors.found, "\n".join(errors.found)
    assert response.status_code in (400, 403)


def test_a_huge_content_length_is_refused_before_the_body_is_read():
    response = Client(raise_request_exception=False).post(
        "/api/v1/auth/otp/", "{}", content_type="application/json", CONTENT_LENGTH="9" * 400
    )
    assert response.status_code == 413

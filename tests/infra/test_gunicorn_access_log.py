"""The access log names the path, never the query string: searches carry names, identity numbers
and mobiles there (issue 11). Neither the Referer (a page address with its query) nor the
basic-auth user name is logged."""

from __future__ import annotations

import base64
import datetime
import runpy
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from .conftest import ROOT


def _line(config: dict, environ: dict) -> str:
    settings = Config()
    settings.set("access_log_format", config["access_log_format"])
    logger = Logger(settings)
    response = SimpleNamespace(status="200 OK", sent=123, headers=[])
    atoms = logger.atoms(response, [], environ, datetime.timedelta(seconds=0, microseconds=2500))
    return settings.access_log_format % atoms


def test_the_access_log_has_the_path_but_not_the_query_string_referer_or_user():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    secret = "370202199001011234"
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/legal-aid/search/?id_number={secret}&mobile=13800000000",
        "PATH_INFO": "/legal-aid/search/",
        "QUERY_STRING": f"id_number={secret}&mobile=13800000000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://portal.example/cases/?q={secret}",
        "HTTP_USER_AGENT": "curl/8",
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"13800000000:pw").decode(),
    }

    line = _line(config, environ)

    assert '"GET /legal-aid/search/ HTTP/1.1" 200 123' in line
    assert secret not in line
    assert "13800000000" not in line
    assert "id_number" not in line

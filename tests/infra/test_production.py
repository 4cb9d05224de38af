"""The production profile: deploy checks, static files, gunicorn, refusal of unsafe set-ups."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, run_manage, subprocess_env


def test_check_deploy_passes_at_warning_level(production_env):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "Set SECRET_KEY"),
        ("ALLOWED_HOSTS", "Set ALLOWED_HOSTS"),
        ("DATABASE_URL", "Set DATABASE_URL"),
        ("REDIS_URL", "Set REDIS_URL"),
        ("COURIER_WEBHOOK_SECRET", "Set COURIER_WEBHOOK_SECRET"),
        ("SIGNING_AUTHORITIES", "Set SIGNING_AUTHORITIES"),
        ("SIGNING_TRUST_ROOTS", "Set SIGNING_TRUST_ROOTS"),
    ],
)
def test_refuses_to_start_without_required_setting(production_env, missing, message):
    env = {**production_env, missing: None}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_refuses_the_development_secret_key(production_env):
    env = {**production_env, "SECRET_KEY": "dev-only-insecure-key-change-me" + "x" * 40}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COURIER_WEBHOOK_SECRET", "dev-courier-secret"),
        ("COURIER_WEBHOOK_SECRET", "short"),
    ],
)
def test_refuses_a_development_or_weak_secret(production_env, name, value):
    result = run_manage("check", env={**production_env, name: value})
    assert result.returncode != 0
    assert f"Set {name}" in result.stderr


def test_refuses_a_gateway_without_its_secret(production_env):
    env = {**production_env, "NOTIFY_GATEWAY_URL": "https://sms.example/send"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set NOTIFY_GATEWAY_SECRET" in result.stderr
    env["NOTIFY_GATEWAY_SECRET"] = "g" * 20 + "ateway-secret-0123456789"
    assert run_manage("check", env=env).returncode == 0


def test_basic_auth_is_off_in_production(production_env):
    code = (
        "from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'])"
    )
    # --no-imports: the shell's list of auto-imported models (HistoricalBasicService ...) is not
    # the setting
    result = run_manage("shell", "--no-imports", "-c", code, env=production_env)
    assert result.returncode == 0, result.stderr
    classes = result.stdout.strip().splitlines()[-1]
    assert "Basic" not in classes and "SystemClientAuthentication" in classes


def _static_references() -> set[str]:
    """Every path passed to {% static '...' %} in the repository's templates."""
    found: set[str] = set()
    pattern = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")
    for path in ROOT.rglob("*.html"):
        if ".venv" in path.parts or "staticfiles" in path.parts or "node_modules" in path.parts:
            continue
        if "templates" not in path.parts:
            continue
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.fixture(scope="module")
def collected_static(production_env) -> Path:
    """collectstatic once for the module (compressing the API docs bundles takes a while)."""
    result = run_manage("collectstatic", "--noinput", "-v", "0", env=production_env)
    assert result.returncode == 0, result.stderr
    return Path(production_env["STATIC_ROOT"])


def test_collectstatic_builds_a_compressed_manifest_with_every_referenced_file(collected_static):
    static_root = collected_static
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    missing = sorted(ref for ref in _static_references() if ref not in manifest)
    assert not missing, (
        "templates reference static files that do not exist (a 500 in production, where "
        f"the manifest storage refuses unknown names): {missing}"
    )
    hashed = manifest["css/portal.css"]
    assert hashed != "css/portal.css"
    assert (static_root / (hashed + ".gz")).exists(), "whitenoise did not compress the CSS"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def gunicorn_server(production_env, collected_static):
    port = _free_port()
    env = {
        **production_env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "",  # none
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi"],
        cwd=ROOT,
        env=subprocess_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("gunicorn exited:\n" + process.stdout.read())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not listen within 30 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def test_gunicorn_serves_the_health_check_to_a_probe_with_any_host(gunicorn_server):
    status, headers, body = _get(f"{gunicorn_server}/healthz", {"Host": "10.1.2.3:8000"})
    assert status == 200, body
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert headers["Cache-Control"] == "no-store"


def test_gunicorn_redirects_plain_http_and_serves_hashed_static_over_https(
    gunicorn_server, collected_static
):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    css = f"{gunicorn_server}/static/{manifest['css/portal.css']}"
    host = {"Host": "portal.qingdao.example"}
    status, headers, _ = _get(css, host)
    assert status == 301
    assert headers["Location"].startswith("https://portal.qingdao.example/static/css/portal.")

    https = {**host, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    status, headers, _ = _get(css, https)
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]


def test_gunicorn_refuses_unknown_hosts_for_pages(gunicorn_server):
    headers = {"Host": "evil.example", "X-Forwarded-Proto": "https"}
    status, _, _ = _get(f"{gunicorn_server}/", headers)
    assert status == 400


def test_deploy_check_refuses_a_development_signing_key(production_env, tmp_path):
    from portal.signing import keys

    p12 = keys.ensure_dev_key("portal", "青岛市行政审批服务局", tmp_path)
    env = {
        **production_env,
        "SIGNING_AUTHORITIES": json.dumps(
            {"portal": {"p12": str(p12), "passphrase_file": str(tmp_path / "passphrase")}}
        ),
    }
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "signing.E005" in result.stderr + result.stdout

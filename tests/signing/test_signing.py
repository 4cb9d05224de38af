"""The seal's core: signing, the register, verification of every outcome, the published chain,
the pages and the API (problem details on bad input), make_dev_ca and the deploy check."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from portal.signing import keys, services, verification
from portal.signing.checks import check_signing_keys
from portal.signing.models import IssuedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string='<html lang="zh-CN"><body style="font-family: Noto Sans CJK SC"><h1>受理通知书</h1>'
        '<p class="seal"><span id="seal">测试局<br>2026年12月6日</span></p></body></html>'
    ).write_pdf()


def _issue(plain_pdf: bytes, subject: str = "A-1", version: str = "") -> tuple:
    return services.issued_pdf(
        kind="notice",
        subject=subject,
        authority="dept:TEST",
        authority_name="青岛市测试局",
        render=lambda code: plain_pdf,
        title="受理通知书",
        version=version,
    )


def _upload(client: Client, url: str, data: bytes, field: str = "pdf"):
    return client.post(url, {field: SimpleUploadedFile("x.pdf", data, "application/pdf")})


def test_signed_document_is_current_and_registered(plain_pdf):
    document, signed = _issue(plain_pdf)
    assert signed.startswith(b"%PDF") and signed != plain_pdf
    assert document.sha256 == services.sha256(signed)
    assert document.authority_name == "青岛市测试局" and document.development_key
    verdict = verification.verify_pdf(signed)
    assert verdict.outcome == "current" and verdict.authentic
    assert verdict.authority == "青岛市测试局"
    # a second request gets the same document, not a new signature
    again, again_bytes = _issue(plain_pdf)
    assert again.pk == document.pk and again_bytes == signed


def test_signing_works_where_an_event_loop_runs(plain_pdf):
    """pyHanko's sign_pdf calls asyncio.run: in a thread with a running loop (Playwright's sync
    API before this test in the suite, an ASGI server) the portal signs in a thread of its own."""
    import asyncio

    async def inside_a_loop():
        return services.sign_pdf(plain_pdf, "dept:TEST", authority_name="青岛市测试局")

    signed = asyncio.run(inside_a_loop())
    verdict = verification.verify_pdf(signed)
    assert verdict.authentic and verdict.authority == "青岛市测试局"


def test_a_new_version_supersedes_the_previous(plain_pdf):
    first, first_bytes = _issue(plain_pdf, version="1")
    second, _ = _issue(plain_pdf, version="2")
    first.refresh_from_db()
    assert (first.status, first.replacement_code) == ("superseded", second.code)
    verdict = verification.verify_pdf(first_bytes)
    assert verdict.outcome == "superseded" and verdict.replacement == second


def test_every_page_signed_with_a_development_key_is_marked():
    from pypdf import PdfReader
    from weasyprint import HTML

    two_pages = HTML(string='<p>一</p><p style="break-before: page">二</p>').write_pdf()
    signed = services.sign_pdf(two_pages, "dept:TEST", authority_name="青岛市测试局")

    def images(data: bytes) -> list[int]:
        return [
            len((page["/Resources"].get("/XObject") or {}).keys())
            for page in PdfReader(BytesIO(data)).pages
        ]

    # the banner 开发测试用印章 / DEVELOPMENT KEY – NOT VALID on both pages
    pairs = list(zip(images(two_pages), images(signed), strict=True))
    assert len(pairs) == 2 and all(after > before for before, after in pairs)
    signature = verification.verify_pdf(signed)
    assert signature.development_key


def test_a_pdf_signed_by_an_unknown_key(plain_pdf, tmp_path):
    path = keys.ensure_dev_key("dept:X", "冒名顶替局", tmp_path)  # another CA
    signer = signers.SimpleSigner.load_pkcs12(
        str(path), passphrase=(tmp_path / "passphrase").read_bytes()
    )
    writer = IncrementalPdfFileWriter(BytesIO(plain_pdf))
    forged = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name="Seal"), signer=signer
    ).getvalue()
    verdict = verification.verify_pdf(forged)
    assert verdict.outcome == "unknown_authority" and not verdict.authentic
    response = _upload(Client(), "/api/v1/verify/", forged, field="file")
    assert response.json()["outcome"] == "unknown_authority"
    assert "known authority" in response.json()["message_en"]


def test_an_unsigned_pdf_is_not_signed_by_a_known_authority(plain_pdf):
    verdict = verification.verify_pdf(plain_pdf)
    assert verdict.outcome == "not_signed"
    assert "known authority" in verification.messages_of(verdict)["en"]


def test_bytes_appended_after_signing_are_altered(plain_pdf):
    _document, signed = _issue(plain_pdf)
    verdict = verification.verify_pdf(signed + b"\n% appended\n")
    assert verdict.outcome == "altered"


def test_api_refuses_what_is_not_a_pdf_with_problem_details():
    client = Client()
    response = _upload(client, "/api/v1/verify/", b"hello", field="file")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "not a PDF" in response.json()["detail"]
    response = client.post("/api/v1/verify/", {})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_pages_verify_an_upload_without_js(plain_pdf):
    document, signed = _issue(plain_pdf)
    client = Client()
    page = client.get(f"/signing/verify/{document.code}/")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    page = _upload(client, f"/signing/verify/{document.code}/", signed)
    html = page.content.decode()
    assert 'data-outcome="current"' in html
    assert "Authentic and current" in html  # the English answer beside the Chinese
    assert _upload(client, "/signing/", b"not a pdf").status_code == 200
    assert client.get("/signing/verify/NOSUCHCODE/").status_code == 404
    # the proactive verify page sends other documents' codes to the seal's page
    assert client.get(f"/verify/{document.code}/")["Location"].endswith(
        f"/signing/verify/{document.code}/"
    )


def test_the_ca_chain_is_published():
    client = Client()
    pem = client.get("/signing/ca.pem")
    assert pem.status_code == 200 and b"BEGIN CERTIFICATE" in pem.content
    page = client.get("/signing/")
    assert page.status_code == 200 and "/signing/ca.pem" in page.content.decode()


def test_make_dev_ca_is_idempotent(settings, tmp_path):
    from io import StringIO

    settings.SIGNING = {**settings.SIGNING, "DIR": tmp_path}
    out = StringIO()
    call_command("make_dev_ca", stdout=out)
    assert "made" in out.getvalue()
    ca = (tmp_path / "ca.pem").read_bytes()
    call_command("make_dev_ca", stdout=(out := StringIO()))
    assert "kept" in out.getvalue() and "0 new key(s)" in out.getvalue()
    assert (tmp_path / "ca.pem").read_bytes() == ca


def test_deploy_check_wants_real_keys(settings):
    settings.SIGNING = {**settings.SIGNING, "DEVELOPMENT_KEYS": True, "AUTHORITIES": {}}
    ids = {error.id for error in check_signing_keys()}
    assert {"signing.E001", "signing.E002", "signing.E003"} <= ids


def test_register_keeps_one_current_document_per_subject(plain_pdf):
    from django.db import IntegrityError, transaction

    document, _ = _issue(plain_pdf)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            code="DUPLICATE", kind="notice", subject=document.subject, sha256="0" * 64
        )

"""Issue 15's acceptance for the electronic seal on certificates: signed at issue in the
department's name, validated with pyHanko against the published chain; one byte changed says
altered; a superseded certificate's PDF says superseded with its replacement; a signing failure
issues nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from asn1crypto import pem, x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from approvals import services as cases
from approvals.models import Case
from approvals.proactive.models import Certificate
from approvals.proactive.services import certificates as services
from portal.notifications.models import Notification
from portal.signing import keys, verification
from portal.signing.models import IssuedDocument
from portal.signing.services import SigningFailed

from .flow import approved, confirmed_case


def _pdf(certificate: Certificate) -> bytes:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _published_roots() -> list[x509.Certificate]:
    response = Client().get("/signing/ca.pem")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]


def test_a_certificate_is_signed_and_validates_against_the_published_chain(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    certificate = offer.new_certificate
    data = _pdf(certificate)

    signature = PdfFileReader(BytesIO(data)).embedded_signatures[0]
    context = ValidationContext(trust_roots=_published_roots(), allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    department = world.item.department.name
    assert status.signing_cert.subject.native["common_name"] == department
    # the chain is embedded: the signer's CA travels with the signature
    assert len(signature.signed_data["certificates"]) >= 2

    document = IssuedDocument.objects.get(code=certificate.verification_code)
    assert (document.kind, document.subject, document.status) == (
        "certificate",
        certificate.number,
        "current",
    )
    assert document.authority == f"dept:{world.item.department.code}"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert department in text and "青岛市行政审批服务局" not in text

    verdict = verification.verify_pdf(data)
    assert verdict.outcome == "current" and verdict.document == document


def test_one_byte_changed_is_altered_on_the_page_and_in_the_api(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    data = bytearray(_pdf(offer.new_certificate))
    data[len(data) // 3] ^= 0x01
    code = offer.new_certificate.verification_code

    page = Client().post(
        f"/verify/{code}/", {"pdf": SimpleUploadedFile("c.pdf", bytes(data), "application/pdf")}
    )
    assert page.status_code == 200
    assert 'data-outcome="altered"' in page.content.decode()
    assert "Altered after signing" in page.content.decode()  # English beside the Chinese

    api = Client().post(
        "/api/v1/verify/", {"file": SimpleUploadedFile("c.pdf", bytes(data), "application/pdf")}
    )
    assert api.status_code == 200
    assert api.json()["outcome"] == "altered" and api.json()["authentic"] is False


def test_a_superseded_certificate_says_superseded_with_its_replacement(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    new = offer.new_certificate
    old = services.ensure_certificate_pdf(world.certificate.pk)  # sealed with its status
    verdict = verification.verify_pdf(_pdf(old))
    assert verdict.outcome == "superseded"
    assert verdict.replacement.code == new.verification_code
    assert verdict.document.superseded_on is not None
    assert new.verification_code in verdict.message

    response = Client().post(
        "/api/v1/verify/", {"file": SimpleUploadedFile("o.pdf", _pdf(old), "application/pdf")}
    )
    body = response.json()
    assert body["outcome"] == "superseded"
    assert body["replacement"]["code"] == new.verification_code
    assert "superseded" in body["message_en"] and body["message_zh"]


def test_revoking_updates_the_register_at_once(
    world, market_client, django_capture_on_commit_callbacks
):
    offer, _case = approved(world, market_client, django_capture_on_commit_callbacks)
    services.revoke_certificate(offer.new_certificate.pk)
    verdict = verification.verify_pdf(_pdf(offer.new_certificate))
    assert verdict.outcome == "revoked" and verdict.document.revoked_on is not None


def test_a_signing_failure_issues_nothing_and_tells_staff(
    world, market_client, django_capture_on_commit_callbacks, settings
):
    offer, case = confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    settings.SIGNING = {**settings.SIGNING, "DEVELOPMENT_KEYS": False, "AUTHORITIES": {}}
    keys.reset_cache()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cases.transition(case.pk, "start_review", user=world.staff)
            cases.transition(case.pk, "approve", user=world.staff)
    finally:
        keys.reset_cache()
    offer.refresh_from_db()
    assert offer.new_certificate is None
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().status == "valid"  # the old one stands
    assert not IssuedDocument.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "approved"  # no result issued
    message = Notification.objects.get(recipient=world.staff, subject__contains="签章失败")
    assert "配置签章密钥" in message.body  # No signing key is configured
    with pytest.raises(SigningFailed):
        services.issue_certificate_for_case(case.pk)


def test_an_old_certificate_that_cannot_be_sealed_sends_the_holder_back_with_a_message(
    world, client, settings
):
    from portal.accounts.models import User

    admin = User.objects.create_superuser("root", password="x" * 12)
    client.force_login(admin)
    settings.SIGNING = {**settings.SIGNING, "DEVELOPMENT_KEYS": False, "AUTHORITIES": {}}
    keys.reset_cache()
    try:
        response = client.get(
            f"/proactive/certificates/{world.certificate.verification_code}.pdf", follow=True
        )
    finally:
        keys.reset_cache()
    assert response.redirect_chain[-1][0] == f"/verify/{world.certificate.verification_code}/"
    assert "配置签章密钥" in response.content.decode()  # No signing key is configured
    assert not IssuedDocument.objects.exists()


def test_once_the_key_is_fixed_the_pending_certificate_is_issued(
    world, market_client, django_capture_on_commit_callbacks, settings
):
    from io import StringIO

    from django.core.management import call_command

    offer, case = confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    settings.SIGNING = {**settings.SIGNING, "DEVELOPMENT_KEYS": False, "AUTHORITIES": {}}
    keys.reset_cache()
    with django_capture_on_commit_callbacks(execute=True):
        cases.transition(case.pk, "start_review", user=world.staff)
        cases.transition(case.pk, "approve", user=world.staff)
    err = StringIO()
    call_command("issue_pending_certificates", stdout=StringIO(), stderr=err)
    assert case.reference in err.getvalue()
    settings.SIGNING = {**settings.SIGNING, "DEVELOPMENT_KEYS": True}
    keys.reset_cache()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_pending_certificates", stdout=out)
    assert "1 issued" in out.getvalue()
    offer.refresh_from_db()
    assert offer.new_certificate is not None and offer.new_certificate.pdf
    assert Certificate.objects.get(pk=world.certificate.pk).status == "superseded"
    call_command("issue_pending_certificates", stdout=(again := StringIO()))
    assert "0 issued" in again.getvalue()

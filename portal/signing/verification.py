"""Is this PDF what the portal issued? pyHanko's validator against the published CA chain, then
the register: authentic and current; authentic but superseded or revoked; altered after
signing; not signed by a known authority."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import keys
from .models import DocumentStatus, IssuedDocument

logger = logging.getLogger(__name__)

CURRENT = "current"
SUPERSEDED = "superseded"
REVOKED = "revoked"
UNREGISTERED = "unregistered"
ALTERED = "altered"
UNKNOWN_AUTHORITY = "unknown_authority"
NOT_SIGNED = "not_signed"

OUTCOMES = {
    CURRENT: _("Authentic and current: issued by %(authority)s and not changed since."),
    SUPERSEDED: _(
        "Authentic, but superseded on %(date)s: a newer document (%(replacement)s) replaces it."
    ),
    REVOKED: _("Authentic, but revoked on %(date)s: it is no longer valid."),
    UNREGISTERED: _(
        "Signed by %(authority)s and not changed since, but not found in the register: "
        "ask the issuing authority."
    ),
    ALTERED: _(
        "Altered after signing: this file is not the document that was issued. Do not rely on it."
    ),
    UNKNOWN_AUTHORITY: _(
        "Not signed by a known authority: its signature does not lead to the portal's "
        "published certificates. Do not rely on it."
    ),
    NOT_SIGNED: _(
        "Not signed by a known authority: the file carries no electronic seal. Do not rely on it."
    ),
}
AUTHENTIC = {CURRENT, SUPERSEDED, REVOKED, UNREGISTERED}


class NotAPdf(ValueError):
    """The upload is not a PDF at all (bad input, not a verdict)."""


@dataclass
class Verdict:
    outcome: str
    authority: str = ""
    signed_at: datetime.datetime | None = None
    document: IssuedDocument | None = None
    replacement: IssuedDocument | None = None
    sha256: str = ""
    development_key: bool = False

    @property
    def authentic(self) -> bool:
        return self.outcome in AUTHENTIC

    @property
    def date(self) -> datetime.date | None:
        if self.document is None:
            return None
        if self.outcome == REVOKED:
            return self.document.revoked_on
        return self.document.superseded_on

    @property
    def message(self) -> str:
        return str(OUTCOMES[self.outcome]) % {
            "authority": self.authority,
            "date": self.date.isoformat() if self.date else "",
            "replacement": self.replacement.code
            if self.replacement
            else (self.document.replacement_code if self.document else ""),
        }


def _validation_context() -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=keys.trust_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )


def verify_pdf(data: bytes) -> Verdict:
    """The verdict on ``data``. Raises :class:`NotAPdf` when it is not a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not data.lstrip()[:5] == b"%PDF-":
        raise NotAPdf("not a PDF")
    digest = hashlib.sha256(data).hexdigest()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a PDF whose structure no longer reads: changed after it was made
        logger.info("uploaded PDF does not read", exc_info=True)
        return Verdict(ALTERED, sha256=digest)
    if not signatures:
        return Verdict(NOT_SIGNED, sha256=digest)
    signature = signatures[0]  # the seal is the certification signature, the first one
    try:
        status = validate_pdf_signature(signature, _validation_context())
    except Exception:  # a signature that no longer parses: its bytes were changed
        logger.info("signature does not validate", exc_info=True)
        return Verdict(ALTERED, sha256=digest)
    cert = status.signing_cert
    subject = cert.subject.native if cert is not None else {}
    authority = str(subject.get("common_name") or subject.get("organization_name") or "")
    development = bool(cert is not None and keys.is_development_certificate(cert))
    signed_at = getattr(status, "signer_reported_dt", None)
    if not status.trusted:
        if not (status.intact and status.valid):
            return Verdict(ALTERED, authority, signed_at, sha256=digest)
        return Verdict(UNKNOWN_AUTHORITY, authority, signed_at, sha256=digest)
    if not (status.intact and status.valid) or status.coverage != (
        SignatureCoverageLevel.ENTIRE_FILE
    ):
        return Verdict(ALTERED, authority, signed_at, sha256=digest, development_key=development)
    document = IssuedDocument.objects.filter(sha256=digest).first()
    if document is None:
        field = str(signature.field_name or "")
        if field.startswith("Seal-"):
            document = IssuedDocument.objects.filter(code=field.removeprefix("Seal-")).first()
            if document is not None and document.sha256 != digest:
                # a valid signature over a different file than the one registered
                document = None
    if document is None:
        return Verdict(
            UNREGISTERED, authority, signed_at, sha256=digest, development_key=development
        )
    replacement = (
        IssuedDocument.objects.filter(code=document.replacement_code).first()
        if document.replacement_code
        else None
    )
    outcome = {
        DocumentStatus.CURRENT: CURRENT,
        DocumentStatus.SUPERSEDED: SUPERSEDED,
        DocumentStatus.REVOKED: REVOKED,
    }[DocumentStatus(document.status)]
    return Verdict(
        outcome,
        authority,
        signed_at,
        document=document,
        replacement=replacement,
        sha256=digest,
        development_key=development,
    )


def messages_of(verdict: Verdict) -> dict[str, str]:
    """The verdict in plain Chinese and English, whatever the page's language."""
    from django.utils import translation

    answers = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            answers[key] = verdict.message
    return answers

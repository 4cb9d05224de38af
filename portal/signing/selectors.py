from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from . import keys
from .models import DocumentStatus, IssuedDocument


@dataclass(frozen=True)
class PublishedRoot:
    subject: str
    sha256: str
    not_after: datetime
    development: bool


def published_roots() -> list[PublishedRoot]:
    roots = []
    for cert in keys.trust_roots():
        roots.append(
            PublishedRoot(
                subject=cert.subject.human_friendly,
                sha256=hashlib.sha256(cert.dump()).hexdigest(),
                not_after=cert["tbs_certificate"]["validity"]["not_after"].native,
                development=keys.is_development_certificate(cert),
            )
        )
    return roots


def document_by_code(code: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(code=code.strip().upper()).first()


def replacement_of(document: IssuedDocument | None) -> IssuedDocument | None:
    if document is None or not document.replacement_code:
        return None
    return IssuedDocument.objects.filter(code=document.replacement_code).first()


def current_codes(subject: str, kinds: list[str]) -> dict[str, str]:
    """The verification codes of ``subject``'s current documents of ``kinds``, by kind (one
    query; a document not yet issued has none)."""
    return dict(
        IssuedDocument.objects.filter(
            subject=subject, kind__in=kinds, status=DocumentStatus.CURRENT
        ).values_list("kind", "code")
    )

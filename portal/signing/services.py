"""Sign a PDF in an authority's name (PAdES B-B, pyHanko) and keep the register of issued
documents in step (issue, supersede, revoke)."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import keys
from .models import DocumentStatus, IssuedDocument, new_document_code

logger = logging.getLogger(__name__)

A4_WIDTH, A4_HEIGHT = 595.28, 841.89
SEAL_SIZE = 118  # points (about 42 mm, the size of an official round seal)
SEAL_ANCHOR = "seal"
# the signature container: two EC certificates (the authority's and its CA's) and the signed
# attributes take about 2 KB; an RSA chain of three about 6 KB
SIGNATURE_BYTES = 12 * 1024  # an element with id="seal" in the template places the seal on it


class SigningFailed(Exception):
    """The document could not be signed: nothing was issued. ``str()`` is for staff."""


@dataclass(frozen=True)
class Placement:
    """Where the seal goes: centred on the named destination ``anchor`` (an element's id in
    the HTML; WeasyPrint makes it a named destination) when the PDF has it, otherwise at
    ``box`` (x1, y1, x2, y2 in points from the bottom left) on ``page`` (-1: the last)."""

    anchor: str = SEAL_ANCHOR
    page: int = -1
    box: tuple[float, float, float, float] = (
        A4_WIDTH - 60 - SEAL_SIZE,
        90,
        A4_WIDTH - 60,
        90 + SEAL_SIZE,
    )


DEFAULT_PLACEMENT = Placement()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _named_destination(writer: Any, name: str) -> tuple[int, float, float] | None:
    """(page index, x, y) of the named destination ``name`` (WeasyPrint's anchors)."""
    from pyhanko.pdf_utils import generic

    root = writer.root
    try:
        tree = root["/Names"]["/Dests"]
    except KeyError:
        return None
    stack = [tree]
    while stack:
        node = stack.pop()
        names = node.get("/Names")
        if names is not None:
            for i in range(0, len(names) - 1, 2):
                if str(names[i]) == name:
                    dest = names[i + 1]
                    if isinstance(dest, generic.DictionaryObject):
                        dest = dest["/D"]
                    page_ref = dest.raw_get(0)
                    x = float(dest[2]) if dest[2] is not None else 0.0
                    y = float(dest[3]) if dest[3] is not None else 0.0
                    index = _page_index(writer, page_ref)
                    return (index, x, y) if index is not None else None
        stack.extend(node.get("/Kids", []))
    return None


def _page_index(writer: Any, page_ref: Any) -> int | None:
    wanted = getattr(page_ref, "idnum", None)
    for index in range(int(writer.root["/Pages"]["/Count"])):
        if getattr(writer.find_page_for_modification(index)[0], "idnum", None) == wanted:
            return index
    return None


def _seal_box(writer: Any, placement: Placement) -> tuple[int, tuple[int, int, int, int]]:
    count = int(writer.root["/Pages"]["/Count"])
    found = _named_destination(writer, placement.anchor) if placement.anchor else None
    if found is not None:
        page, x, y = found
        # the anchor is the top left of the authority's name: the seal covers the name (and
        # the date under it) as an inked seal does, kept on the page
        half = SEAL_SIZE / 2
        cx = min(max(x + 52, half + 10), A4_WIDTH - half - 10)
        cy = min(max(y - 16, half + 10), A4_HEIGHT - half - 10)
        box = (cx - half, cy - half, cx + half, cy + half)
    else:
        page = placement.page % count
        box = placement.box
    return page, (round(box[0]), round(box[1]), round(box[2]), round(box[3]))


def _mark_development(writer: Any) -> None:
    """Every page signed with a development key says so, across its top."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticContentStamp, StaticStampStyle

    from .seal import development_banner, pdf_image

    banner = development_banner()
    width = 300
    height = round(width * banner.height / banner.width)
    style = StaticStampStyle(
        background=pdf_image(banner, writer),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
    )
    count = int(writer.root["/Pages"]["/Count"])
    for index in range(count):
        stamp = StaticContentStamp(
            writer=writer,
            style=style,
            box=layout.BoxConstraints(width=width, height=height),
        )
        stamp.apply(index, round((A4_WIDTH - width) / 2), round(A4_HEIGHT - height - 22))


def _sign_outside_any_event_loop(pdf_signer: Any, writer: Any) -> Any:
    """pyHanko's synchronous ``sign_pdf`` starts an event loop with ``asyncio.run``, which fails
    in a thread that already runs one (an ASGI server; Playwright's sync API in the browser
    tests): there the signing runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return pdf_signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(pdf_signer.sign_pdf, writer, bytes_reserved=SIGNATURE_BYTES).result()


def sign_pdf(
    pdf_bytes: bytes,
    authority: str,
    *,
    authority_name: str = "",
    code: str = "",
    placement: Placement = DEFAULT_PLACEMENT,
) -> bytes:
    """``pdf_bytes`` signed (PAdES B-B, a certification signature: no change allowed after it)
    by the key of ``authority``, with its round seal on the page and the signer's chain
    embedded. Raises :class:`SigningFailed` (nothing issued) when it cannot sign."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.stamp import StaticStampStyle

    from .seal import pdf_image, seal_png_image

    try:
        key = keys.authority_key(authority, authority_name)
    except keys.KeyNotConfigured as exc:
        raise SigningFailed(
            _("No signing key is configured for %(authority)s.")
            % {"authority": authority_name or authority}
        ) from exc
    except Exception as exc:
        logger.exception("signing key of %s could not be loaded", authority)
        raise SigningFailed(
            _("The signing key of %(authority)s could not be loaded: %(error)s")
            % {"authority": authority_name or authority, "error": exc}
        ) from exc
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        if key.development:
            _mark_development(writer)
        page, box = _seal_box(writer, placement)
        style = StaticStampStyle(
            background=pdf_image(seal_png_image(key.name, key.development), writer),
            border_width=0,
            background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
        field_name = f"Seal-{code}" if code else "Seal"
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            certify=True,
            docmdp_permissions=MDPPerm.NO_CHANGES,
            name=key.name,
            reason="电子印章 / Electronic seal" + (f" {code}" if code else ""),
            location="青岛 Qingdao",
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=key.signer,
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box),
        )
        # room for the CMS container reserved up front: pyHanko otherwise signs once more,
        # as a dry run, only to measure it (a third of the signing time)
        out = _sign_outside_any_event_loop(pdf_signer, writer)
        return out.getvalue()
    except Exception as exc:
        logger.exception("signing a PDF for %s failed", authority)
        raise SigningFailed(
            _("The document could not be signed for %(authority)s: %(error)s")
            % {"authority": key.name, "error": exc}
        ) from exc


# ----- the register ------------------------------------------------------------------------


def register_signed(
    pdf_bytes: bytes,
    *,
    kind: str,
    subject: str,
    authority: str,
    authority_name: str = "",
    code: str = "",
    title: str = "",
    version: str = "",
    placement: Placement = DEFAULT_PLACEMENT,
    store_file: bool = False,
) -> tuple[IssuedDocument, bytes]:
    """Sign ``pdf_bytes`` and record it (in the caller's transaction, so a failure of the
    caller undoes the record, and a signing failure raises before anything is written)."""
    code = code or new_document_code()
    signed = sign_pdf(
        pdf_bytes, authority, authority_name=authority_name, code=code, placement=placement
    )
    key = keys.authority_key(authority, authority_name)
    document = IssuedDocument(
        code=code,
        kind=kind,
        subject=subject,
        title=title[:200],
        version=version[:64],
        authority=authority,
        authority_name=key.name,
        development_key=key.development,
        sha256=sha256(signed),
    )
    if store_file:
        document.file.save(f"{kind}-{code}.pdf", ContentFile(signed), save=False)
    document.save()
    return document, signed


def issued_pdf(
    *,
    kind: str,
    subject: str,
    authority: str,
    render: Callable[[str], bytes],
    authority_name: str = "",
    title: str = "",
    version: str = "",
    placement: Placement = DEFAULT_PLACEMENT,
) -> tuple[IssuedDocument, bytes]:
    """The signed PDF of (``kind``, ``subject``): the one issued before when there is one (of
    the same ``version``), otherwise ``render(code)`` signed, stored and registered; a new
    ``version`` supersedes the previous document. Raises :class:`SigningFailed`."""
    current = _current(kind, subject)
    if current is not None and current.file and current.version == version:
        with current.file.open("rb") as handle:
            return current, handle.read()
    code = new_document_code()
    pdf = render(code)
    try:
        with transaction.atomic():
            if current is not None:
                supersede(current.code, code)
            document, signed = register_signed(
                pdf,
                kind=kind,
                subject=subject,
                authority=authority,
                authority_name=authority_name,
                code=code,
                title=title,
                version=version,
                placement=placement,
                store_file=True,
            )
    except IntegrityError:  # issued at the same moment by another request: take that one
        again = _current(kind, subject)
        if again is None or not again.file:
            raise
        with again.file.open("rb") as handle:
            return again, handle.read()
    return document, signed


def _current(kind: str, subject: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        kind=kind, subject=subject, status=DocumentStatus.CURRENT
    ).first()


def supersede(code: str, replacement_code: str, on: datetime.date | None = None) -> int:
    """Mark the document ``code`` superseded by ``replacement_code`` (0 when none is
    registered, e.g. a certificate issued before the seal)."""
    return IssuedDocument.objects.filter(code=code).update(
        status=DocumentStatus.SUPERSEDED,
        replacement_code=replacement_code,
        superseded_on=on or timezone.localdate(),
    )


def revoke(code: str, on: datetime.date | None = None) -> int:
    return IssuedDocument.objects.filter(code=code).update(
        status=DocumentStatus.REVOKED, revoked_on=on or timezone.localdate()
    )


def set_status(
    code: str, status: str, *, replacement_code: str = "", on: datetime.date | None = None
) -> int:
    """Keep a register entry in step with its domain record's status (``valid``/``current``,
    ``superseded``, ``revoked``; others leave the entry as it is)."""
    if status == DocumentStatus.SUPERSEDED:
        return supersede(code, replacement_code, on)
    if status == DocumentStatus.REVOKED:
        return revoke(code, on)
    if status in ("valid", DocumentStatus.CURRENT):
        return IssuedDocument.objects.filter(code=code).update(
            status=DocumentStatus.CURRENT, replacement_code="", superseded_on=None, revoked_on=None
        )
    return 0

"""Commands of proactive approvals: ingest licence events, detect, send, answer, issue, deliver.

Every command runs in one transaction; notifications, PDFs and follow-up transitions run after
commit and are idempotent."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.models import Channel

from . import detection
from .events import ParsedEvent
from .models import (
    OPEN_OFFER_STATUSES,
    Certificate,
    CertificateStatus,
    Company,
    ContactPerson,
    ContactRole,
    DeliveryMethod,
    LicenceEvent,
    Offer,
    OfferReason,
    OfferStatus,
    ProactiveRule,
    Shareholder,
    Shipment,
)

logger = logging.getLogger(__name__)

PROACTIVE_CHANNEL = Channel.PROACTIVE  # the channel its cases are opened on
SEND_TASK = "approvals.proactive.tasks.send_offers"
PENDING_TASK = "approvals.proactive.tasks.send_pending_offers"
TASK_CHUNK = 1000


def _self_only() -> dict[str, Any]:
    """Lock only the main table's rows (PostgreSQL refuses FOR UPDATE on outer joins)."""
    return {"of": ("self",)} if connection.features.has_select_for_update_of else {}


def config(name: str, default: Any = None) -> Any:
    """Settings of this app: ``settings.PROACTIVE[name]``, else the default."""
    return getattr(settings, "PROACTIVE", {}).get(name, default)


def link_max_age() -> int:
    return int(config("LINK_MAX_AGE_DAYS", 30)) * 86400


# --------------------------------------------------------------------------------------------
# Licence events


@dataclass
class IngestResult:
    batch: uuid.UUID
    created: int = 0
    duplicates: int = 0
    offers_created: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)


def _ingest_postgresql(
    events: Sequence[ParsedEvent], batch: uuid.UUID, today: datetime.date | None
) -> tuple[dict[str, int | None], list[tuple[int, str, str, str]]]:
    """The whole batch in one statement (``detection.ingest_batch_sql``): the events go as one
    JSON document, which PostgreSQL parses faster than the driver quotes eight text arrays."""
    # orjson writes the dataclasses as they are (about 1 ms for 5,000 events).
    document = orjson.dumps(list(events)).decode()
    params = {
        "events": document,
        "batch": batch,
        "now": timezone.now(),
        "today": today or timezone.localdate(),
    }
    stored: dict[str, int | None] = {}
    offers: list[tuple[int, str, str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute(detection.ingest_batch_sql(), params)
        for event_id, company_id, offer_id, number, item_code in cursor.fetchall():
            stored[event_id] = company_id
            if offer_id is not None:
                offers.append((offer_id, event_id, number, item_code))
    return stored, offers


def _ingest_portable(
    events: Sequence[ParsedEvent], batch: uuid.UUID, today: datetime.date | None
) -> tuple[dict[str, int | None], list[tuple[int, str, str, str]]]:
    """The same work with the ORM and one detection statement (SQLite and other databases)."""
    now = timezone.now()
    company_ids: dict[str, int] = {}
    for chunk in _in_chunks(list({e.uscc for e in events})):
        company_ids.update(Company.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
    LicenceEvent.objects.bulk_create(
        [
            LicenceEvent(
                event_id=e.event_id,
                uscc=e.uscc,
                company_id=company_ids.get(e.uscc),
                changed_on=e.changed_on,
                changes=e.changes,
                fields_mask=e.mask,
                new_name=e.new_name,
                new_legal_representative=e.new_legal_representative,
                new_address=e.new_address,
                batch=batch,
                received_at=now,
            )
            for e in events
        ],
        batch_size=500,
        ignore_conflicts=True,  # a concurrent request stored the same id: it is theirs
    )
    batch_db = LicenceEvent._meta.get_field("batch").get_db_prep_value(batch, connection)
    with connection.cursor() as cursor:
        # The latest event of the batch wins, field by field.
        for column, target in (
            ("new_name", "name"),
            ("new_legal_representative", "legal_representative"),
            ("new_address", "address"),
        ):
            cursor.execute(
                f"""
                UPDATE proactive_company SET {target} = (
                    SELECT e.{column} FROM proactive_licenceevent e
                    WHERE e.company_id = proactive_company.id AND e.batch = %s
                      AND e.{column} IS NOT NULL
                    ORDER BY e.changed_on DESC, e.id DESC LIMIT 1
                ), updated_at = %s
                WHERE id IN (
                    SELECT e.company_id FROM proactive_licenceevent e
                    WHERE e.batch = %s AND e.{column} IS NOT NULL AND e.company_id IS NOT NULL
                )
                """,
                [batch_db, now, batch_db],
            )
    stored = dict(LicenceEvent.objects.filter(batch=batch).values_list("event_id", "company_id"))
    return stored, detection.detect_licence_changes(batch, today=today)


def _replace_shareholders(
    events: Sequence[ParsedEvent], company_ids: dict[str, int | None]
) -> None:
    latest: dict[int, ParsedEvent] = {}
    for event in events:
        company_id = company_ids.get(event.event_id)
        if company_id is None or event.new_shareholders is None:
            continue
        if company_id not in latest or event.changed_on >= latest[company_id].changed_on:
            latest[company_id] = event
    if not latest:
        return
    Shareholder.objects.filter(company_id__in=list(latest)).delete()
    Shareholder.objects.bulk_create(
        [
            Shareholder(company_id=company_id, name=h["name"], share=h["share"])
            for company_id, event in latest.items()
            for h in event.new_shareholders or ()
        ],
        batch_size=1000,
    )


def _in_chunks(values: Sequence, size: int = 2000) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


DEADLOCK_ATTEMPTS = 3


def _is_deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def ingest_licence_events(
    events: Sequence[ParsedEvent], *, today: datetime.date | None = None
) -> IngestResult:
    """Store a validated batch (known event ids are skipped), apply it to the company register,
    detect the offers it causes and, after commit, send them.

    A fixed number of statements whatever the batch size: one on PostgreSQL (ADR 0071). Two
    batches naming the same companies at the same moment can deadlock on PostgreSQL; the loser's
    transaction is rolled back whole, and as a batch is idempotent it is simply run again."""
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            return _ingest_licence_events(events, today)
        except OperationalError as exc:
            if (
                not _is_deadlock(exc)
                or connection.in_atomic_block  # an outer transaction is already lost
                or attempt == DEADLOCK_ATTEMPTS
            ):
                raise
            logger.warning("licence events: deadlock with a concurrent batch, attempt %s", attempt)
    raise AssertionError("unreachable")


@transaction.atomic
def _ingest_licence_events(
    events: Sequence[ParsedEvent], today: datetime.date | None
) -> IngestResult:
    result = IngestResult(batch=uuid.uuid4())
    unique: dict[str, ParsedEvent] = {}
    for event in events:
        unique.setdefault(event.event_id, event)
    ingest = _ingest_postgresql if connection.vendor == "postgresql" else _ingest_portable
    stored, offers = ingest(list(unique.values()), result.batch, today)
    _replace_shareholders([e for e in unique.values() if e.event_id in stored], stored)
    result.offers_created = len(offers)
    offers_by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pk, event_id, number, item_code in offers:
        offers_by_event[event_id].append(
            {
                "id": pk,
                "certificate": number,
                "item": item_code,
                "reason": OfferReason.LICENCE_CHANGE.value,
            }
        )
    for event_id in unique:
        new = event_id in stored
        result.created += new
        result.duplicates += not new
        result.events.append(
            {
                "event_id": event_id,
                "status": "stored" if new else "duplicate",
                "offers": offers_by_event.get(event_id, []),
            }
        )
    queue_offers([offer[0] for offer in offers])
    return result


def queue_offers(offer_ids: Sequence[int]) -> None:
    """After commit, hand the new offers to django-q2 to be sent, in chunks."""
    offer_ids = list(offer_ids)
    if not offer_ids:
        return

    def enqueue() -> None:
        from django_q.tasks import async_task

        for chunk in _in_chunks(offer_ids, TASK_CHUNK):
            async_task(SEND_TASK, list(chunk), task_name=f"proactive-send-{chunk[0]}")

    transaction.on_commit(enqueue)


def run_expiry_scan(today: datetime.date | None = None) -> int:
    """The daily scan (django-q2 schedule): offers for certificates near expiry, sent after
    commit."""
    with transaction.atomic():
        created = detection.scan_expiries(today=today)
        if created:
            transaction.on_commit(_queue_pending_expiry_offers)
    return created


def _queue_pending_expiry_offers() -> None:
    from django_q.tasks import async_task

    async_task(PENDING_TASK, OfferReason.EXPIRY, task_name="proactive-send-expiry")


def send_pending_offers(reason: str, chunk: int = TASK_CHUNK) -> int:
    """Send every offer of ``reason`` still waiting to go out, a chunk at a time (the worker's
    side of the daily scan: the scan itself only inserts)."""
    sent = 0
    last = 0
    while True:
        ids = list(
            Offer.objects.filter(reason=reason, status=OfferStatus.CREATED, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return sent
        sent += send_offers(ids)
        last = ids[-1]


# --------------------------------------------------------------------------------------------
# Rules


@dataclass
class DryRun:
    rule: ProactiveRule
    rows: list[dict[str, Any]]
    companies: int
    certificates: int


def dry_run(rule: ProactiveRule, today: datetime.date | None = None) -> DryRun:
    """How many companies and certificates the rule would reach now, by district (one query;
    a licence-change rule counts the holders who would get an offer on a matching change)."""
    from portal.catalogue.models import Region

    raw = detection.dry_run_rows(rule.pk, today=today)
    names = dict(Region.objects.filter(code__in=[r[0] for r in raw]).values_list("code", "name"))
    rows = [
        {
            "district": code,
            "district_name": names.get(code, code),
            "companies": companies,
            "certificates": certificates,
        }
        for code, companies, certificates in raw
    ]
    return DryRun(
        rule=rule,
        rows=rows,
        companies=sum(r["companies"] for r in rows),
        certificates=sum(r["certificates"] for r in rows),
    )


# --------------------------------------------------------------------------------------------
# Sending, reminders, lapsing


def sign_link(offer: Offer, contact: ContactPerson) -> str:
    return TimestampSigner(salt="proactive.offer").sign(f"{offer.pk}-{offer.token}-{contact.pk}")


def unsign_link(value: str) -> tuple[Offer, ContactPerson]:
    """The offer and contact of a signed link. Raises SignatureExpired, BadSignature or
    Offer.DoesNotExist / ContactPerson.DoesNotExist."""
    raw = TimestampSigner(salt="proactive.offer").unsign(value, max_age=link_max_age())
    offer_id, token, contact_id = raw.split("-")
    offer = Offer.objects.select_related(
        "company", "certificate__type", "item__department", "rule", "event", "case"
    ).get(pk=int(offer_id), token=token)
    contact = ContactPerson.objects.get(pk=int(contact_id), company_id=offer.company_id)
    return offer, contact


__all__ = ["BadSignature", "SignatureExpired"]


def offer_link(offer: Offer, contact: ContactPerson) -> str:
    path = reverse("proactive:offer", args=[sign_link(offer, contact)])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _messages_for(offers: Sequence[Offer], *, reminder: bool) -> list:
    from portal.notifications.services import OutgoingMessage

    messages: list = []
    kind = "reminder" if reminder else "offer"
    for offer in offers:
        for contact in offer.company.contacts.all():
            link = offer_link(offer, contact)
            text = offer.rule.message.format_map(
                _Blank(
                    company=offer.company.name,
                    certificate=f"{offer.certificate.type.name} {offer.certificate.number}",
                    item=offer.item.name,
                    deadline=offer.deadline.isoformat(),
                    link=link,
                )
            )
            subject = (_("Reminder: ") if reminder else "") + _(
                "%(item)s: we can handle it for you"
            ) % {"item": offer.item.name}
            base = f"proactive:{kind}:{offer.pk}:{contact.pk}"
            targets = []
            if contact.mobile:
                targets.append(("sms", contact.mobile))
            if contact.wechat_id:
                targets.append(("wechat", contact.wechat_id))
            if contact.email:
                targets.append(("mail", contact.email))
            if contact.user_id:
                targets.append(("inbox", ""))
            for channel, address in targets:
                messages.append(
                    OutgoingMessage(
                        channel=channel,
                        subject=subject,
                        body=text if "{link}" in offer.rule.message else f"{text}\n{link}",
                        recipient=contact.user if channel == "inbox" else None,
                        address=address,
                        link=link,
                        key=f"{base}:{channel}",
                    )
                )
    return messages


def _log_bulk(
    offer_ids: Sequence[int], source: str | Sequence[str], target: str, name: str, note: str
) -> None:
    """Record set-based system transitions in the same log as the single ones."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    content_type = ContentType.objects.get_for_model(Offer)
    now = timezone.now()
    sources = [source] if isinstance(source, str) else list(source)
    StateLog.objects.bulk_create(
        [
            StateLog(
                timestamp=now,
                content_type=content_type,
                object_id=pk,
                source_state=sources[0] if len(sources) == 1 else None,
                state=target,
                transition=name,
                description=note,
            )
            for pk in offer_ids
        ],
        batch_size=1000,
    )


def send_offers(offer_ids: Sequence[int]) -> int:
    """Send new offers to every contact of the company over every channel it has (one message
    per contact and channel, idempotent by key), then mark them sent. Returns messages stored."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send_offers(offer_ids)


def _send_offers(offer_ids: Sequence[int]) -> int:
    from portal.notifications.services import send_bulk

    with transaction.atomic():
        offers = list(
            Offer.objects.select_for_update(**_self_only())
            .filter(pk__in=list(offer_ids), status=OfferStatus.CREATED)
            .select_related("company", "certificate__type", "item", "rule")
            .prefetch_related("company__contacts__user")
        )
        if not offers:
            return 0
        stored = send_bulk(_messages_for(offers, reminder=False))
        ids = [o.pk for o in offers]
        Offer.objects.filter(pk__in=ids, status=OfferStatus.CREATED).update(
            status=OfferStatus.SENT, sent_at=timezone.now()
        )
        _log_bulk(ids, "created", "sent", "mark_sent", "sent to the contacts")
    return stored


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the contacts of sent offers nobody opened after the rule's reminder delay (once)."""
    from portal.notifications.services import send_bulk

    now = now or timezone.now()
    # Due: sent at least the rule's delay ago. The rules have a handful of delays, so the test is
    # one condition per delay in SQL, not a pass over every offer sent and not yet answered.
    delays = set(ProactiveRule.objects.values_list("reminder_after_days", flat=True))
    waited_long_enough = Q(pk__in=[])
    for days in delays:
        waited_long_enough |= Q(
            rule__reminder_after_days=days, sent_at__lte=now - datetime.timedelta(days=days)
        )
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        due = list(
            Offer.objects.select_for_update(**_self_only())
            .filter(waited_long_enough, status=OfferStatus.SENT, reminded_at__isnull=True)
            .filter(deadline__gte=now.date())
            .select_related("company", "certificate__type", "item", "rule")
            .prefetch_related("company__contacts__user")
        )
        if not due:
            return 0
        stored = send_bulk(_messages_for(due, reminder=True))
        Offer.objects.filter(pk__in=[o.pk for o in due]).update(reminded_at=now)
    return stored


def lapse_offers(today: datetime.date | None = None) -> int:
    """Offers nobody answered by their deadline lapse (one UPDATE)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        lapsing = Offer.objects.filter(status__in=OPEN_OFFER_STATUSES, deadline__lt=today)
        ids = list(lapsing.values_list("id", flat=True))
        if not ids:
            return 0
        count = 0
        for chunk in _in_chunks(ids):
            count += Offer.objects.filter(pk__in=chunk, status__in=OPEN_OFFER_STATUSES).update(
                status=OfferStatus.LAPSED, answered_at=timezone.now()
            )
        _log_bulk(ids, list(OPEN_OFFER_STATUSES), "lapsed", "lapse", "deadline passed")
    return count


# --------------------------------------------------------------------------------------------
# The applicant's path


def _locked_offer(offer_id: int) -> Offer:
    return (
        Offer.objects.select_for_update(**_self_only())
        .select_related("company", "certificate__type", "item__department", "rule", "event")
        .get(pk=offer_id)
    )


def _by(contact: ContactPerson) -> dict[str, Any]:
    return {"by": contact.user, "description": f"{contact.get_role_display()} {contact.name}"}


def open_offer(offer: Offer, contact: ContactPerson) -> Offer:
    """A contact followed the signed link (idempotent)."""
    if offer.status not in (OfferStatus.CREATED, OfferStatus.SENT):
        return offer
    with transaction.atomic():
        locked = _locked_offer(offer.pk)
        if locked.status in (OfferStatus.CREATED, OfferStatus.SENT):
            locked.mark_opened(**_by(contact))
            locked.opened_at = timezone.now()
            locked.save(update_fields=["status", "opened_at"])
        return locked


def _ensure_open(offer: Offer) -> None:
    if offer.status == OfferStatus.LAPSED or offer.deadline < timezone.localdate():
        raise ValidationError(_("This offer lapsed on its deadline; apply in the usual way."))
    if offer.status == OfferStatus.DECLINED:
        raise ValidationError(_("This offer was declined."))
    if offer.status == OfferStatus.CONFIRMED:
        raise ValidationError(_("This offer was already confirmed."))


def decline_offer(offer_id: int, contact: ContactPerson, reason: str = "") -> Offer:
    with transaction.atomic():
        offer = _locked_offer(offer_id)
        _ensure_open(offer)
        offer.decline(**_by(contact))
        offer.decline_reason = reason[:200]
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "decline_reason", "answered_at"])
    return offer


def _open_case(
    offer: Offer, contact: ContactPerson, delivery: dict[str, Any], application: dict[str, Any]
):
    from approvals.services import open_case_on_channel

    return open_case_on_channel(
        channel=PROACTIVE_CHANNEL,
        item=offer.item,
        applicant_kind="company",
        applicant_id_number=offer.company.uscc,
        applicant_name=offer.company.name,
        applicant_user=contact.user,
        department=offer.item.department,
        materials=application["materials"],
        delivery=delivery,
        note=_("Proactive offer %(token)s confirmed by %(who)s; changes: %(changes)s")
        % {
            "token": offer.token[:8],
            "who": f"{contact.get_role_display()} {contact.name}",
            "changes": "; ".join(
                _("%(label)s: %(old)s → %(new)s") % c for c in application["changes"]
            )
            or _("renewal at expiry"),
        },
    )


def confirm_offer(offer_id: int, contact: ContactPerson, delivery: dict[str, Any]) -> Offer:
    """The third interaction: the pre-filled application is confirmed with the delivery choice
    (``method``; for the courier an ``address``; ``recipient``, by default the contact).
    Opens a case already accepted on the proactive channel, and a courier shipment if asked."""

    from .prefill import build_application

    with transaction.atomic():
        offer = _locked_offer(offer_id)
        _ensure_open(offer)
        if offer.status != OfferStatus.OPENED:
            offer.mark_opened(**_by(contact))
        method = delivery.get("method")
        delivery = {
            "method": method,
            "address": (delivery.get("address") or "").strip()
            if method == DeliveryMethod.COURIER
            else "",
            "recipient": delivery.get("recipient") or contact.name,
        }
        if method == DeliveryMethod.COURIER and not delivery["address"]:
            raise ValidationError({"address": _("Give the address the courier should come to.")})
        # The case, its materials and its log are records staff read: written in the site's
        # language, whichever language the applicant uses (page or API).
        with translation.override(settings.LANGUAGE_CODE):
            case = _open_case(offer, contact, delivery, build_application(offer))
        offer.confirm(**_by(contact))
        offer.case = case
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "case", "answered_at"])
        if method == DeliveryMethod.COURIER:
            Shipment.objects.create(
                offer=offer,
                case_reference=case.reference,
                tracking_number=f"QDZW{timezone.localdate():%y%m%d}{offer.pk:08d}",
                recipient_name=delivery["recipient"],
                recipient_mobile=contact.mobile,
                address=delivery["address"],
            )
    return offer


# --------------------------------------------------------------------------------------------
# The new certificate


def company_particulars(company: Company) -> dict[str, Any]:
    return {
        "name": company.name,
        "legal_representative": company.legal_representative,
        "address": company.address,
        "shareholders": [s.name for s in company.shareholders.all()],
    }


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def issue_certificate_for_case(case_id: int) -> Certificate | None:
    """Issue the new certificate of an approved proactive case (idempotent; two staff approving
    at once still issue one): a new number, the company's current particulars, the old one
    superseded. After commit: the PDF, the case's result and the notice to the applicant."""
    today = timezone.localdate()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(**_self_only())
            .select_related("company", "certificate__type", "case")
            .filter(case_id=case_id)
            .first()
        )
        if offer is None:
            return None
        if offer.new_certificate_id:
            return offer.new_certificate
        old = Certificate.objects.select_for_update().get(pk=offer.certificate_id)
        expires = (
            _add_years(today, old.type.validity_years)
            if offer.reason == OfferReason.EXPIRY
            else old.expires_on
        )
        new = Certificate.objects.create(
            type=old.type,
            number=f"{old.type.code}{today:%Y%m%d}{case_id:06d}",
            grade=old.grade,
            company=offer.company,
            issued_on=today,
            expires_on=max(expires, today),
            particulars=company_particulars(offer.company),
            supersedes=old,
            case_reference=offer.case.reference if offer.case else "",
        )
        old.status = CertificateStatus.SUPERSEDED
        old.save(update_fields=["status"])
        offer.new_certificate = new
        offer.save(update_fields=["new_certificate"])
        transaction.on_commit(lambda: after_issue(new.pk, case_id))
    return new


def after_issue(certificate_id: int, case_id: int) -> None:
    """After the certificate is committed: the result is issued on the case, the PDF stored,
    the applicant told. Each step is idempotent and a failure is logged, not raised."""
    from approvals.services import transition

    try:
        transition(case_id, "issue_result", note=_("New certificate issued."))
    except Exception:  # noqa: BLE001 - the case may already be past this step
        logger.info("issue_result not applied to case %s", case_id, exc_info=True)
    try:
        ensure_certificate_pdf(certificate_id)
    except Exception:  # noqa: BLE001
        logger.exception("certificate PDF %s failed", certificate_id)
    notify_certificate_issued(certificate_id)


def certificate_verification_url(certificate: Certificate) -> str:
    path = reverse("proactive:verify", args=[certificate.verification_code])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    from portal.pdf import render_pdf

    url = certificate_verification_url(certificate)
    return render_pdf(
        "proactive/certificate_pdf.html",
        {"certificate": certificate, "verify_url": url, "qr": qr_data_uri(url)},
    )


def ensure_certificate_pdf(certificate_id: int) -> Certificate:
    from django.core.files.base import ContentFile

    certificate = Certificate.objects.select_related("type", "company").get(pk=certificate_id)
    if certificate.pdf:
        return certificate
    data = certificate_pdf_bytes(certificate)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
    Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=certificate.pdf.name)
    return certificate


def notify_certificate_issued(certificate_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _notify_certificate_issued(certificate_id)


def _notify_certificate_issued(certificate_id: int) -> None:
    from portal.notifications.services import OutgoingMessage, send_bulk

    certificate = Certificate.objects.select_related("type", "company").get(pk=certificate_id)
    link = certificate_verification_url(certificate)
    subject = _("Your new %(type)s %(number)s is issued") % {
        "type": certificate.type.name,
        "number": certificate.number,
    }
    messages = []
    for contact in certificate.company.contacts.filter(role=ContactRole.LEGAL_REPRESENTATIVE):
        key = f"proactive:issued:{certificate.pk}:{contact.pk}"
        if contact.user_id:
            messages.append(
                OutgoingMessage(
                    channel="inbox",
                    subject=subject,
                    recipient=contact.user,
                    link=link,
                    key=f"{key}:inbox",
                )
            )
        if contact.mobile:
            messages.append(
                OutgoingMessage(
                    channel="sms",
                    subject=subject,
                    body=link,
                    address=contact.mobile,
                    key=f"{key}:sms",
                )
            )
    send_bulk(messages)


# --------------------------------------------------------------------------------------------
# The courier


class CourierError(Exception):
    """The courier event cannot be applied now (HTTP 409)."""


def handle_courier_event(payload: dict[str, Any]) -> tuple[Shipment, bool]:
    """Apply one signed courier event. Returns the shipment and whether it was new (a replayed
    event id changes nothing)."""
    from approvals.services import transition

    from .models import CourierEvent

    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(**_self_only())
            .select_related("offer")
            .filter(tracking_number=payload["tracking_number"])
            .first()
        )
        if shipment is None:
            raise Shipment.DoesNotExist
        if CourierEvent.objects.filter(event_id=payload["event_id"]).exists():
            return shipment, False
        status = payload["status"]
        now = timezone.now()
        if status == "collected" and shipment.status == "created":
            shipment.collect()
            shipment.collected_at = now
        elif status == "delivered" and shipment.status in ("created", "collected"):
            case_id = shipment.offer.case_id
            try:
                transition(
                    case_id,
                    "deliver",
                    note=_("Delivered by courier %(n)s") % {"n": shipment.tracking_number},
                )
                transition(case_id, "close", note=_("Closed on delivery."))
            except Exception as exc:  # noqa: BLE001 - the case is not ready for delivery
                raise CourierError(str(exc)) from exc
            shipment.deliver()
            shipment.delivered_at = now
            if shipment.collected_at is None:
                shipment.collected_at = now
        elif status == "failed" and shipment.status in ("created", "collected"):
            shipment.fail()
        elif status != shipment.status:
            raise CourierError(
                _("A %(new)s event cannot follow %(old)s.")
                % {"new": status, "old": shipment.status}
            )
        shipment.save()
        CourierEvent.objects.create(
            event_id=payload["event_id"], shipment=shipment, status=status, payload=payload
        )
    return shipment, True

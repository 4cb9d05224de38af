"""Commands of proactive approvals: ingest licence events, detect, send, answer, issue, deliver.

Every command runs in one transaction; notifications, PDFs and follow-up steps run after commit
and are idempotent. One module per concern, all re-exported here (``services.confirm_offer``):

- :mod:`.ingest` — licence events in, offers detected and queued;
- :mod:`.sending` — sending, the expiry scan, reminders, lapsing (set-based);
- :mod:`.rules` — a rule's dry run;
- :mod:`.links` — the signed links in the offers;
- :mod:`.offers` — the applicant's path (open, decline, confirm) on the offer workflow;
- :mod:`.certificates` — the new certificate, its PDF and notice;
- :mod:`.courier` — the courier's events on the shipment workflow;
- :mod:`.common` — settings and shared helpers.
"""

from ..models import Shipment  # callers catch services.Shipment.DoesNotExist
from .certificates import (
    after_issue,
    certificate_pdf_bytes,
    certificate_verification_url,
    company_particulars,
    ensure_certificate_pdf,
    issue_certificate_for_case,
    notify_certificate_issued,
    qr_data_uri,
)
from .common import PROACTIVE_CHANNEL, config, link_max_age
from .courier import CourierError, handle_courier_event
from .ingest import DEADLOCK_ATTEMPTS, IngestResult, ingest_licence_events, queue_offers
from .links import offer_link, sign_link, unsign_link
from .offers import confirm_offer, decline_offer, open_offer
from .rules import DryRun, dry_run
from .sending import (
    lapse_offers,
    run_expiry_scan,
    send_offers,
    send_pending_offers,
    send_reminders,
)

__all__ = [
    "DEADLOCK_ATTEMPTS",
    "PROACTIVE_CHANNEL",
    "CourierError",
    "DryRun",
    "IngestResult",
    "Shipment",
    "after_issue",
    "certificate_pdf_bytes",
    "certificate_verification_url",
    "company_particulars",
    "config",
    "confirm_offer",
    "decline_offer",
    "dry_run",
    "ensure_certificate_pdf",
    "handle_courier_event",
    "ingest_licence_events",
    "issue_certificate_for_case",
    "lapse_offers",
    "link_max_age",
    "notify_certificate_issued",
    "offer_link",
    "open_offer",
    "qr_data_uri",
    "queue_offers",
    "run_expiry_scan",
    "send_offers",
    "send_pending_offers",
    "send_reminders",
    "sign_link",
    "unsign_link",
]

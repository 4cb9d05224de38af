"""Commands of proactive approvals: ingest licence events, detect, send, answer, issue, deliver.

Every command runs in one transaction; notifications, PDFs and follow-up steps run after commit
and are idempotent. One module per concern, all re-exported here (``services.confirm_offer``):

- :mod:`.ingest` — licence events in, offers detected and queued;
- :mod:`.sending` — sending, the expiry scan, reminders, lapsing (set-based);
- :mod:`.rules` — a rule's dry run;
- :mod:`.history` — offers from the holders' past cases (the history rules' daily run);
- :mod:`.links` — the signed links in the offers;
- :mod:`.offers` — the applicant's path (open, decline, confirm) on the offer workflow;
- :mod:`.certificates` — the new certificate, its PDF and notice;
- :mod:`.courier` — the courier order (placed after issue, retried, never twice), its events
  on the shipment workflow and the case, a new attempt or a pick-up;
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
    person_particulars,
    qr_data_uri,
)
from .common import PROACTIVE_CHANNEL, config, link_max_age
from .courier import (
    CourierError,
    cancel_order,
    dispatch,
    handle_courier_event,
    on_case_handed_over,
    pick_up_instead,
    place_due_orders,
    place_order,
    try_again,
)
from .history import run_history_scan
from .ingest import (
    DEADLOCK_ATTEMPTS,
    IngestResult,
    ingest_batch,
    ingest_licence_events,
    queue_offers,
)
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
    "cancel_order",
    "certificate_pdf_bytes",
    "certificate_verification_url",
    "company_particulars",
    "config",
    "confirm_offer",
    "decline_offer",
    "dispatch",
    "dry_run",
    "ensure_certificate_pdf",
    "handle_courier_event",
    "ingest_batch",
    "ingest_licence_events",
    "issue_certificate_for_case",
    "lapse_offers",
    "link_max_age",
    "notify_certificate_issued",
    "offer_link",
    "on_case_handed_over",
    "open_offer",
    "person_particulars",
    "pick_up_instead",
    "place_due_orders",
    "place_order",
    "qr_data_uri",
    "queue_offers",
    "run_expiry_scan",
    "run_history_scan",
    "send_offers",
    "send_pending_offers",
    "send_reminders",
    "sign_link",
    "try_again",
    "unsign_link",
]

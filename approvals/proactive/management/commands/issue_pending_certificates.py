"""``manage.py issue_pending_certificates``: issue the certificates of approved proactive cases
that have none yet, e.g. after a signing failure was fixed (the department's staff were told
in their inbox; issuing is idempotent, so running it again changes nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from approvals.proactive.models import Offer
from approvals.proactive.services.certificates import issue_certificate_for_case
from portal.signing.services import SigningFailed


class Command(BaseCommand):
    help = "Issue the certificates of approved proactive cases that have none (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        pending = Offer.objects.filter(
            new_certificate__isnull=True, case__status="approved"
        ).values_list("case_id", "case__reference")
        issued = failed = 0
        for case_id, reference in pending:
            try:
                certificate = issue_certificate_for_case(case_id)
            except SigningFailed as exc:
                failed += 1
                self.stderr.write(f"{reference}: {exc}")
                continue
            if certificate is not None:
                issued += 1
                self.stdout.write(f"{reference}: {certificate.number}")
        self.stdout.write(f"{issued} issued, {failed} not issued")

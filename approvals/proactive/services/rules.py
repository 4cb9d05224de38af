"""A rule's dry run: what it would offer today, without offering anything."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from .. import detection, history
from ..models import (
    ProactiveRule,
    Trigger,
)

logger = logging.getLogger(__name__)


@dataclass
class DryRun:
    rule: ProactiveRule
    rows: list[dict[str, Any]]
    companies: int
    certificates: int
    # a history rule's dry run: a sample of who would get an offer (company, certificate, case)
    sample: list[dict[str, Any]] = field(default_factory=list)


def dry_run(rule: ProactiveRule, today: datetime.date | None = None) -> DryRun:
    """How many companies and certificates the rule would reach now, by district (one query;
    a licence-change rule counts the holders who would get an offer on a matching change)."""
    from portal.catalogue.models import Region

    sample: list[dict[str, Any]] = []
    if rule.trigger == Trigger.CASE_HISTORY:
        raw, sample = history.dry_run_rows(rule, today=today)
    else:
        raw = detection.dry_run_rows(rule.pk, today=today)
    names = dict(Region.objects.filter(code__in=[r[0] for r in raw]).values_list("code", "name"))
    rows: list[dict[str, Any]] = [
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
        sample=sample,
    )

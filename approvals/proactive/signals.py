"""Proactive approvals listen to cases through their explicit interface: when a case opened on
the proactive channel is approved (:data:`approvals.signals.case_approved`, sent after commit),
the new certificate is issued (idempotent)."""

from __future__ import annotations

from approvals.signals import case_approved


def on_case_approved(sender, case, **kwargs) -> None:
    from . import services

    if case.channel == services.PROACTIVE_CHANNEL:
        services.issue_certificate_for_case(case.pk)


def connect() -> None:
    case_approved.connect(on_case_approved, dispatch_uid="proactive-issue-certificate")

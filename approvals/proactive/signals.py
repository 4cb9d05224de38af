"""Proactive approvals listen to cases through their explicit interface: when a case opened on
the proactive channel is approved (:data:`approvals.signals.case_approved`, sent after commit),
the new certificate is issued (idempotent); when staff hand the result over in person
(:data:`approvals.signals.case_handed_over`), the courier's shipment stops."""

from __future__ import annotations

from approvals.signals import case_approved, case_handed_over


def on_case_approved(sender, case, **kwargs) -> None:
    from . import services

    if case.channel == services.PROACTIVE_CHANNEL:
        services.issue_certificate_for_case(case.pk)


def on_case_handed_over(sender, case, **kwargs) -> None:
    from . import services

    if case.channel == services.PROACTIVE_CHANNEL:
        services.on_case_handed_over(case.pk)


def connect() -> None:
    case_approved.connect(on_case_approved, dispatch_uid="proactive-issue-certificate")
    case_handed_over.connect(on_case_handed_over, dispatch_uid="proactive-stop-courier")

"""Listen to the case workflow: when a proactive case is approved, issue the new certificate
after commit (idempotent)."""

from __future__ import annotations

from django.db import transaction
from django_fsm.signals import post_transition


def on_case_transition(sender, instance, name, source, target, **kwargs) -> None:
    if sender.__name__ != "Case" or sender._meta.app_label != "approvals":
        return
    if target != "approved" or getattr(instance, "channel", None) != "proactive":
        return
    case_id = instance.pk

    def issue() -> None:
        from . import services

        services.issue_certificate_for_case(case_id)

    transaction.on_commit(issue)


def connect() -> None:
    post_transition.connect(on_case_transition, dispatch_uid="proactive-issue-certificate")

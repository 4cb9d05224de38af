"""The follow-up of a bad rating (差评整改), declared once: open until its department's staff
(or an administrator) resolve it with a note. docs/workflows/follow_up.md draws it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.workflow import State, Step, Workflow, register

from .access import may_resolve
from .models import FollowUpStatus as S
from .services import record_resolution

FOLLOW_UP = register(
    Workflow(
        name="follow_up",
        model="ratings.FollowUp",
        states=(
            State(S.OPEN, S.OPEN.label),
            State(S.RESOLVED, S.RESOLVED.label, tone="ok", final=True),
        ),
        steps=(
            Step(
                "resolve", [S.OPEN], S.RESOLVED, may_resolve, _("Resolve"), effect=record_resolution
            ),
        ),
        subject=lambda follow_up: (
            follow_up.resolved_by.display_name if follow_up.resolved_by else "—"
        ),
        messages={
            "not_now": _("This follow-up was already resolved by %(subject)s."),
            "not_allowed": _("Only staff of this department may resolve this follow-up."),
        },
        codes={"not_now": "already_resolved"},
        select_related=("resolved_by",),
    )
)

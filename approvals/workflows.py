"""The case workflow (办件), declared once: every status with how it is shown, every step with
who may take it, its condition, inputs, effect and notices. :func:`portal.workflow.run` (through
:func:`approvals.services.transition`) takes the steps; docs/workflows/case.md draws the table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.workflow import State, Step, Workflow, register

from . import permissions as p
from .models import EDITED_BY_HAND, WITHDRAWABLE, ActorRole
from .models import Status as S
from .services import smart
from .services import steps as s

TELL = s.notify_applicant

STATES = (
    State(S.SUBMITTED, S.SUBMITTED.label),
    State(S.ACCEPTED, S.ACCEPTED.label),
    State(S.ACCEPTED_WITH_MISSING_MATERIALS, S.ACCEPTED_WITH_MISSING_MATERIALS.label),
    State(S.FORWARDED, S.FORWARDED.label),
    State(S.UNDER_REVIEW, S.UNDER_REVIEW.label),
    State(S.RETURNED_FOR_CORRECTION, S.RETURNED_FOR_CORRECTION.label),
    State(S.APPROVED, S.APPROVED.label, tone="ok"),
    State(S.REJECTED, S.REJECTED.label, tone="alert"),
    State(S.RESULT_ISSUED, S.RESULT_ISSUED.label, tone="ok"),
    State(S.DELIVERED, S.DELIVERED.label, tone="ok"),
    State(S.CLOSED, S.CLOSED.label, tone="ok", final=True),
    State(S.WITHDRAWN, S.WITHDRAWN.label, tone="alert", final=True),
    State(S.REFUSED, S.REFUSED.label, tone="alert", final=True),
)

# fmt: off
STEPS = (
    Step("accept", [S.SUBMITTED], S.ACCEPTED, p.point_staff, _("Accept"),
         effect=s.accept, notice=TELL),
    Step("accept_with_missing_materials", [S.SUBMITTED], S.ACCEPTED_WITH_MISSING_MATERIALS,
         p.point_staff, _("Accept with materials to follow"),
         condition=s.materials_to_follow_allowed, refusal_code="not_allowed_now",
         inputs=("materials_due_on",), effect=s.accept_with_missing_materials, notice=TELL),
    Step("supply_materials", [S.ACCEPTED_WITH_MISSING_MATERIALS], S.ACCEPTED,
         p.applicant_or_point_staff, _("Materials supplied"),
         effect=s.supply_materials, notice=TELL),
    Step("refuse", [S.SUBMITTED], S.REFUSED, p.point_staff, _("Refuse"),
         inputs=("reasons",), effect=s.refuse, notice=TELL),
    Step("return_for_correction", [S.SUBMITTED, S.UNDER_REVIEW], S.RETURNED_FOR_CORRECTION,
         p.handler_of_current_stage, _("Return for correction"),
         inputs=("reasons",), effect=s.return_for_correction, notice=TELL),
    Step("resubmit", [S.RETURNED_FOR_CORRECTION], (S.SUBMITTED, S.UNDER_REVIEW),
         p.applicant_or_point_staff, _("Resubmit corrected materials"),
         effect=s.resubmit, notice=TELL),
    Step("forward", [S.ACCEPTED], S.FORWARDED, p.point_staff,
         _("Forward to the competent department"), condition=s.needs_hand_off,
         refusal_code="not_allowed_now", effect=s.hand_off,
         notice=(TELL, s.notify_department)),
    Step("receive", [S.FORWARDED], S.UNDER_REVIEW, p.department_staff,
         _("Receive and start review"), effect=s.receive, notice=TELL),
    Step("start_review", [S.ACCEPTED], S.UNDER_REVIEW, p.department_staff_or_system,
         _("Start review"), condition=s.handled_here, refusal_code="not_allowed_now",
         notice=TELL),
    Step("approve", [S.UNDER_REVIEW], S.APPROVED, p.department_staff_or_system,
         _("Approve"), effect=s.approve, notice=(TELL, s.announce_approval)),
    Step("smart_approve", [S.SUBMITTED], S.APPROVED, p.system_on_smart_item,
         _("Approved at once by smart approval"), condition=smart.checks_passed,
         refusal_code="not_allowed_now", effect=smart.approve_at_once,
         notice=(TELL, s.announce_approval)),
    Step("reject", [S.UNDER_REVIEW], S.REJECTED, p.department_staff, _("Reject"),
         inputs=("reasons",), effect=s.reject, notice=TELL),
    Step("issue_result", [S.APPROVED, S.REJECTED], S.RESULT_ISSUED,
         p.department_staff_or_system, _("Issue the result"),
         effect=s.issue_result, notice=TELL),
    Step("deliver", [S.RESULT_ISSUED], S.DELIVERED, p.courier_or_staff_unless_couriered,
         _("Mark as delivered"), notice=TELL),
    Step("hand_over", [S.RESULT_ISSUED], S.DELIVERED, p.staff_on_couriered_case,
         _("Handed over in person instead of the courier"), inputs=("reasons",),
         effect=s.hand_over, notice=(TELL, s.announce_hand_over)),
    Step("close", [S.DELIVERED], S.CLOSED, p.courier_or_staff, _("Close the case"),
         effect=s.close, notice=TELL),
    Step("withdraw", WITHDRAWABLE, S.WITHDRAWN, p.applicant,
         _("Withdraw the application"), effect=s.withdraw, notice=TELL),
)
# fmt: on

CASE = register(
    Workflow(
        name="case",
        model="approvals.Case",
        select_related=("item", "department", "accepting_point"),
        states=STATES,
        steps=STEPS,
        records={
            "submit": _("Submitted"),
            "open": _("Opened by the system"),
            "courier": _("Courier"),
            EDITED_BY_HAND: _("Corrected by hand in the admin"),
        },
        role_of=p.actor_role,
        roles=dict(ActorRole.choices),
        subject=lambda case: case.reference,
        messages={
            "not_now": _("Case %(subject)s is now “%(state)s”: “%(step)s” is no longer possible."),
            "not_allowed": _("You may not take the action “%(step)s” on case %(subject)s."),
            "not_found": _("There is no such case."),
        },
    )
)

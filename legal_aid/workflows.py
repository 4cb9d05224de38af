"""The legal-aid application's workflow (Legal Aid Law articles 38-49), declared once: every
state with how it is shown, every step with who may take it (legal_aid/access.py), its
condition and refusal text, the form that collects its inputs, its effect and the notice it
sends (legal_aid/services/steps.py). :func:`portal.workflow.run` takes the steps (through
:func:`legal_aid.services.take`); docs/workflows/legal_aid.md draws the table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.workflow import State, Step, Workflow, register

from . import access as a
from .forms import (
    AssignForm,
    CloseForm,
    GrantForm,
    NoteForm,
    ObjectionDecisionForm,
    ObjectionForm,
    RatingForm,
    ReasonsForm,
    RequestMaterialsForm,
)
from .models import State as S
from .services import allocation as al
from .services import steps as s


@dataclass(frozen=True)
class FormStep(Step):
    """A step whose inputs are its form's fields (``note`` is the log's note, not an input);
    the pages show that form, the API takes the same names."""

    form: Any = None

    def __post_init__(self) -> None:
        if self.form is not None and not self.inputs:
            names = tuple(name for name in self.form.base_fields if name != "note")
            object.__setattr__(self, "inputs", names)


REVIEWING = [S.SUBMITTED, S.FORWARDED, S.UNDER_REVIEW]
AIDED = [S.GRANTED, S.LAWYER_ASSIGNED, S.IN_PROGRESS]
F, WAITING = FormStep, [S.MATERIALS_REQUESTED]

# fmt: off
STATES = (
    State(S.SUBMITTED, S.SUBMITTED.label), State(S.FORWARDED, S.FORWARDED.label),
    State(S.UNDER_REVIEW, S.UNDER_REVIEW.label),
    State(S.MATERIALS_REQUESTED, S.MATERIALS_REQUESTED.label),
    State(S.GRANTED, S.GRANTED.label, "ok"), State(S.REFUSED, S.REFUSED.label, "alert", True),
    State(S.LAWYER_ASSIGNED, S.LAWYER_ASSIGNED.label, "ok"),
    State(S.IN_PROGRESS, S.IN_PROGRESS.label, "ok"), State(S.CLOSED, S.CLOSED.label, "ok", True),
    State(S.RATED, S.RATED.label, "ok", True), State(S.WITHDRAWN, S.WITHDRAWN.label, "alert", True),
    State(S.LAPSED, S.LAPSED.label, "alert", True),
    State(S.TERMINATED, S.TERMINATED.label, "alert", True),
    State(S.OBJECTION_LODGED, S.OBJECTION_LODGED.label),
    State(S.OBJECTION_DECIDED, S.OBJECTION_DECIDED.label, "ok", True),
)

STEPS = (
    F("forward", [S.SUBMITTED], S.FORWARDED, a.accepting_staff_or_system,
      _("Forward to the competent centre"), condition=s.handed_in_elsewhere, form=NoteForm,
      effect=s.forward),
    F("start_review", REVIEWING[:2], S.UNDER_REVIEW, a.competent_staff, _("Start the review"),
      form=NoteForm),
    F("request_materials", [S.UNDER_REVIEW], S.MATERIALS_REQUESTED, a.competent_staff,
      _("Request missing materials (once)"), condition=s.not_yet_requested,
      form=RequestMaterialsForm, effect=s.request_materials, notice=s.MATERIALS_NEEDED),
    F("supply_materials", WAITING, S.UNDER_REVIEW, a.is_applicant,
      _("Supply the requested materials"), form=NoteForm, effect=s.supply_materials),
    F("lapse", WAITING, S.LAPSED, a.competent_staff, _("Record the application as lapsed"),
      condition=s.materials_overdue, form=NoteForm, effect=s.lapse, notice=s.LAPSED),
    F("grant", [S.UNDER_REVIEW, S.OBJECTION_DECIDED], S.GRANTED, a.competent_staff,
      _("Grant legal aid"), condition=s.may_grant, form=GrantForm, effect=s.grant,
      notice=s.GRANTED),
    F("grant_first", REVIEWING, S.GRANTED, a.competent_staff,
      _("Grant aid first (urgent), review after"), condition=s.urgent, form=GrantForm,
      effect=s.grant_first, notice=s.GRANTED_FIRST),
    F("complete_review", AIDED, tuple(AIDED), a.competent_staff,
      _("Complete the review after aid-first"), condition=s.review_pending, form=NoteForm,
      effect=s.complete_review),
    F("refuse", [S.UNDER_REVIEW], S.REFUSED, a.competent_staff, _("Refuse legal aid"),
      form=ReasonsForm, effect=s.refuse, notice=s.REFUSED),
    F("assign_lawyer", [S.GRANTED, S.OBJECTION_DECIDED], S.LAWYER_ASSIGNED, a.competent_staff,
      _("Assign a lawyer"), condition=s.may_assign, form=AssignForm, effect=s.assign_lawyer,
      notice=s.LAWYER_ASSIGNED),
    F("offer", [S.GRANTED], S.GRANTED, a.system_or_competent_staff,
      _("Offer the case to the next lawyer on the rota"), condition=al.may_offer, form=NoteForm,
      effect=al.offer),
    F("accept_offer", [S.GRANTED], S.LAWYER_ASSIGNED, a.offered_lawyer, _("Accept the case"),
      condition=al.offer_open, form=NoteForm, effect=al.accept, notice=s.LAWYER_ASSIGNED),
    F("decline_offer", [S.GRANTED], S.GRANTED, a.offered_lawyer, _("Decline the case"),
      condition=al.offer_open, form=ReasonsForm, effect=al.decline),
    F("expire_offer", [S.GRANTED], S.GRANTED, a.is_system,
      _("Pass the case on: the lawyer did not answer in time"), condition=al.offer_overdue,
      form=NoteForm, effect=al.expire),
    F("begin", [S.LAWYER_ASSIGNED], S.IN_PROGRESS, a.competent_staff_or_lawyer,
      _("Start work on the case (the first progress note)")),
    F("close", [S.IN_PROGRESS], S.CLOSED, a.competent_staff, _("Close the case"),
      form=CloseForm, effect=s.close, notice=s.CLOSED),
    F("rate", [S.CLOSED], S.RATED, a.is_applicant, _("Rate the service"), form=RatingForm,
      effect=s.rate),
    F("withdraw", REVIEWING + WAITING, S.WITHDRAWN, a.is_applicant,
      _("Withdraw the application"), form=NoteForm, effect=s.withdraw),
    F("terminate", AIDED, S.TERMINATED, a.competent_staff, _("Terminate legal aid"),
      form=ReasonsForm, effect=s.terminate, notice=s.TERMINATED),
    F("lodge_objection", [S.REFUSED, S.TERMINATED], S.OBJECTION_LODGED, a.is_applicant,
      _("Object to the justice bureau"), form=ObjectionForm, effect=s.lodge_objection),
    F("decide_objection", [S.OBJECTION_LODGED], S.OBJECTION_DECIDED, a.objection_bureau,
      _("Decide the objection"), form=ObjectionDecisionForm, effect=s.decide_objection,
      notice=s.OBJECTION_DECIDED),
)
# fmt: on

LEGAL_AID = register(
    Workflow(
        name="legal_aid",
        model="legal_aid.LegalAidApplication",
        field="state",
        lookup="reference",
        select_related=("competent_centre", "lawyer", "applicant"),
        states=STATES,
        steps=STEPS,
        records={"submit": _("Submitted")},
        role_of=a.actor_role,
        subject=lambda app: app.reference,
        messages={
            "not_now": _(
                "This application is now “%(state)s”, so this step is no longer possible. "
                "Someone may have acted on it a moment ago: reload the page."
            ),
            "not_allowed": _("You may not take this step on this application."),
            "not_found": _("There is no such application."),
        },
        codes={"not_now": "state_changed"},
    )
)

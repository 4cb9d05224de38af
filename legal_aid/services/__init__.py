"""Commands that change legal-aid state, one module per concern: submitting (online, API, at
the counter), drafts, evidence, the workflow's steps (taken through the kernel:
:func:`take` runs a step of the table in legal_aid/workflows.py), progress notes, notices, the
12348 hotline, the access log and the public eligibility check. Refusals are the kernel's one
type, :class:`portal.workflow.Refused`."""

from .audit import log_access
from .drafts import draft_for, save_draft_step, start_draft_from_consultation
from .eligibility import eligibility
from .evidence import add_evidence, add_requested_material
from .hardship import assess as assess_hardship
from .hardship import explanation as hardship_explanation
from .hotline import answer_survey, consultation_for_survey, record_consultation
from .notices import notify_applicant
from .progress import add_progress_note
from .steps import take
from .submission import (
    API_PURPOSE,
    DRAFT_PURPOSE,
    WALK_IN_PURPOSE,
    ApplicationInput,
    draft_submission_key,
    new_reference,
    record_walk_in,
    submit_application,
    submitted_from,
    validate_input,
)

__all__ = [
    "API_PURPOSE",
    "DRAFT_PURPOSE",
    "WALK_IN_PURPOSE",
    "ApplicationInput",
    "add_evidence",
    "add_progress_note",
    "add_requested_material",
    "answer_survey",
    "assess_hardship",
    "consultation_for_survey",
    "draft_for",
    "draft_submission_key",
    "eligibility",
    "hardship_explanation",
    "log_access",
    "new_reference",
    "notify_applicant",
    "record_consultation",
    "record_walk_in",
    "save_draft_step",
    "start_draft_from_consultation",
    "submit_application",
    "submitted_from",
    "take",
    "validate_input",
]

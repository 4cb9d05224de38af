"""Legal aid (法援在线), one module per concern: reference data (centres, bodies, lawyers, staff
bindings), the application with its progress notes and evidence, drafts, the 12348 hotline, and
the access log. The application's state machine is the table in legal_aid/workflows.py; its log
is the kernel's shared log (portal.workflow).

The workflow follows the Legal Aid Law of the PRC (法律援助法, in force 1 January 2022):
articles 38 (where to apply), 41-42 (hardship statement and exemptions), 32 (no hardship
condition), 43 (7 days to decide, materials asked for once, 3 days to assign), 44 (aid first for
urgent matters), 48 (termination) and 49 (objection, 5 days). See docs/adr/0060-0062.
"""

from .application import (
    AWAITING_DECISION,
    HARDSHIP_CHECK_WAIVED,
    NO_HARDSHIP_CONDITION,
    OPEN_STATES,
    TAKES_PROGRESS_NOTES,
    TIME_LIMITED_STATES,
    Category,
    Channel,
    Decision,
    Evidence,
    Exemption,
    LegalAidApplication,
    MatterType,
    ObjectionDecision,
    Outcome,
    ProgressNote,
    State,
    Urgency,
    evidence_path,
    month_of,
)
from .audit import AccessLog
from .drafts import ApplicationDraft
from .hotline import Consultation
from .reference import (
    LITIGATION_BODY_KINDS,
    Body,
    BodyKind,
    Centre,
    CentreKind,
    Lawyer,
    StaffMembership,
    StaffRole,
)
from .rollup import ApplicationRollup, Grain

__all__ = [
    "AWAITING_DECISION",
    "HARDSHIP_CHECK_WAIVED",
    "LITIGATION_BODY_KINDS",
    "NO_HARDSHIP_CONDITION",
    "OPEN_STATES",
    "TAKES_PROGRESS_NOTES",
    "TIME_LIMITED_STATES",
    "AccessLog",
    "ApplicationDraft",
    "ApplicationRollup",
    "Body",
    "BodyKind",
    "Category",
    "Centre",
    "CentreKind",
    "Channel",
    "Consultation",
    "Decision",
    "Evidence",
    "Exemption",
    "Grain",
    "Lawyer",
    "LegalAidApplication",
    "MatterType",
    "ObjectionDecision",
    "Outcome",
    "ProgressNote",
    "StaffMembership",
    "StaffRole",
    "State",
    "Urgency",
    "evidence_path",
    "month_of",
]

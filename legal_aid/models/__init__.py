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
    AgeBand,
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
    RecipientGroup,
    Sex,
    State,
    Urgency,
    evidence_path,
    month_of,
)
from .audit import AccessLog
from .drafts import ApplicationDraft
from .hardship import HardshipResult, HardshipStandard, StandardBasis
from .hotline import Consultation, HotlineService, Satisfaction
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
from .rollup import ApplicationRollup, Grain, LawyerRollup, RecipientRollup, StatisticsVersion
from .rota import CaseOffer, DayKind, DutyRota, LawFirm, OfferState, RotaEntry, RotaKind, Shift

__all__ = [
    "AWAITING_DECISION",
    "HARDSHIP_CHECK_WAIVED",
    "LITIGATION_BODY_KINDS",
    "NO_HARDSHIP_CONDITION",
    "OPEN_STATES",
    "TAKES_PROGRESS_NOTES",
    "TIME_LIMITED_STATES",
    "AccessLog",
    "AgeBand",
    "ApplicationDraft",
    "ApplicationRollup",
    "Body",
    "BodyKind",
    "CaseOffer",
    "Category",
    "Centre",
    "CentreKind",
    "Channel",
    "Consultation",
    "DayKind",
    "Decision",
    "DutyRota",
    "Evidence",
    "Exemption",
    "Grain",
    "HardshipResult",
    "HardshipStandard",
    "HotlineService",
    "LawFirm",
    "Lawyer",
    "LawyerRollup",
    "LegalAidApplication",
    "MatterType",
    "ObjectionDecision",
    "OfferState",
    "Outcome",
    "ProgressNote",
    "RecipientGroup",
    "RecipientRollup",
    "RotaEntry",
    "RotaKind",
    "Satisfaction",
    "Sex",
    "Shift",
    "StaffMembership",
    "StaffRole",
    "StandardBasis",
    "State",
    "StatisticsVersion",
    "Urgency",
    "evidence_path",
    "month_of",
]

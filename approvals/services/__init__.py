"""Commands that change cases. Each runs in one transaction; notifications go out after commit.

One module per concern, all re-exported here so callers write ``services.submit_case``:

- :mod:`.applications` — :func:`submit_case` (online, or a walk-in recorded by point staff),
  :func:`open_case_on_channel` (a case the system opens already accepted), :func:`add_material`;
- :mod:`.steps` — :func:`transition`, the one way to take a step of the case workflow
  (:mod:`approvals.workflows`), with the steps' effects and notices;
- :mod:`.ratings` — :func:`rate_case`, the applicant's rating of a closed case;
- :mod:`.deadlines` — :func:`scan_deadlines` and :func:`scan_missing_materials`, the daily scans;
- :mod:`.references` — :func:`next_reference`.
"""

from .applications import (
    CHANNEL_FLAGS,
    COUNTER_CHANNELS,
    NotAcceptableHere,
    add_material,
    build_materials,
    counter_point,
    open_case_on_channel,
    submit_case,
    validate_applicant,
    validate_channel,
)
from .deadlines import REMINDER_WORKING_DAYS, scan_deadlines, scan_missing_materials
from .ratings import rate_case
from .references import REFERENCE_PREFIX, next_reference
from .steps import (
    DEFAULT_MATERIALS_DAYS,
    MATERIALS_CHECKED,
    notify_applicant,
    transition,
)

__all__ = [
    "CHANNEL_FLAGS",
    "COUNTER_CHANNELS",
    "DEFAULT_MATERIALS_DAYS",
    "MATERIALS_CHECKED",
    "REFERENCE_PREFIX",
    "REMINDER_WORKING_DAYS",
    "NotAcceptableHere",
    "add_material",
    "build_materials",
    "counter_point",
    "next_reference",
    "notify_applicant",
    "open_case_on_channel",
    "rate_case",
    "scan_deadlines",
    "scan_missing_materials",
    "submit_case",
    "transition",
    "validate_applicant",
    "validate_channel",
]

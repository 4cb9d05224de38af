"""Smart approval (智能审批, ADR 0117): an item's conditions are data (:class:`SmartCheck` rows
kept by its department's staff in the admin); an application for a smart item that meets all
of them is approved at once by the system, one that does not goes to staff as usual with the
failed checks on its page.

- Facts: what a check may look at (:class:`~approvals.models.SmartField`). The application's
  own fields are read here; the shared registers (companies, persons, certificates) through
  *sources* another part of the house registers with :func:`register_source` (proactive
  approvals, which keeps the registers, does so in its ``ready()``), so cases import no
  register. A fact no source answers is ``None``: the check fails ("no record").
- Operators: a fixed registry (:data:`OPERATORS`) of small functions; no ``eval()``. Each says
  which kinds of fact it applies to and how it reads the value staff typed.
- :func:`assess_application` runs after the submission is committed: it stores the results on
  the case (``Case.smart_assessment``, read by the page and the API without a query) and, when
  every check passed, takes the workflow's ``smart_approve`` step as the system (logged with
  the checks and their results as the reasons; the usual notices after commit).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.languages import in_each_language
from portal.workdays import add_working_days
from portal.workflow import Context

from .. import selectors
from ..models import Case, SmartCheck, SmartField, SmartOperator, Status

logger = logging.getLogger(__name__)

TEXT, NUMBER, LIST = "text", "number", "list"

# The kind of value each fact holds.
FIELD_KINDS: dict[str, str] = {
    SmartField.APPLICANT_KIND: TEXT,
    SmartField.APPLICANT_REGION: TEXT,
    SmartField.APPLICANT_MOBILE: TEXT,
    SmartField.CHANNEL: TEXT,
    SmartField.MATERIALS: LIST,
    SmartField.COMPANY_STATUS: TEXT,
    SmartField.COMPANY_TYPE: TEXT,
    SmartField.COMPANY_REGION: TEXT,
    SmartField.COMPANY_AGE: NUMBER,
    SmartField.PERSON_STATUS: TEXT,
    SmartField.PERSON_REGION: TEXT,
    SmartField.CERTIFICATES_VALID: LIST,
    SmartField.CERTIFICATES_HELD: LIST,
}

# Checks on one register apply only to applicants it keeps (an item open to persons and
# companies checks each against its own register); other checks apply to everybody.
APPLIES_TO: dict[str, str] = {"company.": "company", "person.": "person"}


def applies(field: str, applicant_kind: str) -> bool:
    for prefix, kind in APPLIES_TO.items():
        if field.startswith(prefix):
            return applicant_kind == kind
    return True


# The built-in check every smart application passes first (not a SmartCheck row).
MATERIALS_CHECK = "materials.required"

# ----- operators ------------------------------------------------------------------------------


def _one(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(_("Enter a value."), code="value")
    return value


def _many(value: str) -> list[str]:
    parts = [p.strip() for p in value.replace("、", ",").replace("，", ",").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        raise ValidationError(_("Enter one or more values, separated by commas."), code="value")
    return parts


def _number(value: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="value") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="value")
    return number


def _nothing(value: str) -> None:
    if value.strip():
        raise ValidationError(_("“is present” takes no value: leave it empty."), code="value")
    return None


def _as_number(actual: Any) -> Decimal | None:
    try:
        return Decimal(str(actual))
    except (InvalidOperation, ValueError):
        return None


def _equals(actual: Any, expected: Any) -> bool:
    if isinstance(expected, Decimal):
        return _as_number(actual) == expected
    return str(actual) == expected


def _at_least(actual: Any, expected: Decimal) -> bool:
    number = _as_number(actual)
    return number is not None and number >= expected


def _at_most(actual: Any, expected: Decimal) -> bool:
    number = _as_number(actual)
    return number is not None and number <= expected


@dataclass(frozen=True)
class Operator:
    """``parse(value typed by staff)`` per fact kind (ValidationError when it cannot be read);
    ``test(actual, parsed) -> bool``."""

    kinds: tuple[str, ...]
    test: Callable[[Any, Any], bool]
    parse_text: Callable[[str], Any] = _one
    parse_number: Callable[[str], Any] = _number

    def parse(self, kind: str, value: str) -> Any:
        return self.parse_number(value) if kind == NUMBER else self.parse_text(value)


OPERATORS: dict[str, Operator] = {
    SmartOperator.EQUALS: Operator((TEXT, NUMBER), _equals),
    SmartOperator.NOT_EQUALS: Operator((TEXT, NUMBER), lambda a, e: not _equals(a, e)),
    SmartOperator.ONE_OF: Operator((TEXT,), lambda a, e: str(a) in e, parse_text=_many),
    SmartOperator.NONE_OF: Operator((TEXT,), lambda a, e: str(a) not in e, parse_text=_many),
    SmartOperator.STARTS_WITH: Operator((TEXT,), lambda a, e: str(a).startswith(e)),
    SmartOperator.INCLUDES: Operator((LIST,), lambda a, e: e in a),
    SmartOperator.EXCLUDES: Operator((LIST,), lambda a, e: e not in a),
    SmartOperator.AT_LEAST: Operator((NUMBER,), _at_least),
    SmartOperator.AT_MOST: Operator((NUMBER,), _at_most),
    SmartOperator.PRESENT: Operator(
        (TEXT, NUMBER, LIST), lambda a, e: bool(a), parse_text=_nothing, parse_number=_nothing
    ),
}


def validate_check(field: str, operator: str, value: str) -> Any:
    """The value of a check as its operator reads it; ValidationError (keyed by field) when
    the field, the operator or the value does not fit (the admin's form shows it)."""
    kind = FIELD_KINDS.get(field)
    if kind is None:
        raise ValidationError({"field": [_("Choose what the check looks at.")]})
    found = OPERATORS.get(operator)
    if found is None:
        raise ValidationError({"operator": [_("Choose an operator from the list.")]})
    if kind not in found.kinds:
        raise ValidationError(
            {
                "operator": [
                    _("“%(operator)s” does not apply to “%(field)s”.")
                    % {
                        "operator": SmartOperator(operator).label,
                        "field": SmartField(field).label,
                    }
                ]
            }
        )
    try:
        return found.parse(kind, value or "")
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None


# ----- facts ---------------------------------------------------------------------------------

# A source: ``load(case) -> {field: value}`` for the fields it answers (missing: no record).
Source = Callable[[Case], dict[str, Any]]
_sources: dict[str, Source] = {}


def register_source(name: str, load: Source) -> None:
    """Add (or replace) a source of facts from the shared registers (called in ``ready()``)."""
    _sources[name] = load


def _region_of(case: Case) -> str:
    number = case.applicant_id_number or ""
    if case.applicant_kind == "company":
        return number[2:8]
    return number[:6]


def application_facts(case: Case, materials: Iterable[Any]) -> dict[str, Any]:
    return {
        SmartField.APPLICANT_KIND: case.applicant_kind,
        SmartField.APPLICANT_REGION: _region_of(case),
        SmartField.APPLICANT_MOBILE: case.applicant_mobile,
        SmartField.CHANNEL: case.channel,
        SmartField.MATERIALS: sorted({m.name for m in materials}),
    }


def facts_of(case: Case, materials: Iterable[Any]) -> dict[str, Any]:
    facts = application_facts(case, materials)
    for name, load in _sources.items():
        try:
            facts.update(load(case))
        except Exception:  # a register that cannot be read answers nothing: the checks fail
            logger.exception("smart approval: source %s failed on case %s", name, case.pk)
    return facts


# ----- assessing -----------------------------------------------------------------------------


def _shown(actual: Any) -> str:
    if actual is None:
        return ""
    if isinstance(actual, list | tuple | set):
        return "、".join(str(a) for a in actual)
    return str(actual)


def _both(message: Callable[[], str]) -> tuple[str, str]:
    """A built-in message in Chinese and in English."""
    text = in_each_language(message)
    return str(text), text.by_language.get("en", str(text))


def evaluate(
    case: Case, checks: Iterable[SmartCheck], facts: dict[str, Any], missing: list[str]
) -> list[dict[str, Any]]:
    """Each check's result as stored (JSON): the built-in materials check first."""
    if missing:
        names = "、".join(missing)
        zh, en = _both(
            lambda: (
                _("These required materials have not been supplied yet: %(materials)s.")
                % {"materials": names}
            )
        )
    else:
        zh, en = _both(lambda: _("Every required material has been supplied."))
    results: list[dict[str, Any]] = [
        {
            "check": None,
            "field": MATERIALS_CHECK,
            "operator": "",
            "value": "",
            "actual": "",
            "passed": not missing,
            "message": zh,
            "message_en": en,
        }
    ]
    rows = [c for c in checks if applies(c.field, case.applicant_kind)]
    if not rows:
        zh, en = _both(lambda: _("The item has smart-approval conditions defined."))
        results.append(
            {
                "check": None,
                "field": "checks",
                "operator": "",
                "value": "",
                "actual": "",
                "passed": False,
                "message": zh,
                "message_en": en,
            }
        )
    for check in rows:
        actual = facts.get(check.field)
        try:
            expected = validate_check(check.field, check.operator, check.value)
            passed = actual is not None and OPERATORS[check.operator].test(actual, expected)
        except (ValidationError, KeyError, TypeError):  # bad data stored: the check fails
            passed = False
        results.append(
            {
                "check": check.pk,
                "field": check.field,
                "operator": check.operator,
                "value": check.value,
                "actual": _shown(actual),
                "passed": bool(passed),
                "message": check.message,
                "message_en": check.message_en,
            }
        )
    return results


def assess(case: Case) -> dict[str, Any]:
    materials = list(case.materials.all())
    checks = SmartCheck.objects.filter(item_id=case.item_id).order_by("position", "id")
    missing = [m.name for m in selectors.missing_materials(case)]
    results = evaluate(case, checks, facts_of(case, materials), missing)
    return {
        "assessed_at": timezone.now().isoformat(),
        "passed": all(r["passed"] for r in results),
        "checks": results,
    }


def reasons_text(assessment: dict[str, Any]) -> str:
    """The log's note: every check with its result, in each of the portal's languages (the
    checks carry their message in Chinese and in English)."""

    def compose() -> str:
        english = (translation.get_language() or "").startswith("en")
        lines = [_("Smart approval: the system checked the application.")]
        for result in assessment.get("checks", []):
            mark = _("met") if result["passed"] else _("not met")
            message = (english and result.get("message_en")) or result["message"]
            line = f"{message}: {mark}"
            if result.get("actual"):
                line += " (" + _("found: %(value)s") % {"value": result["actual"]} + ")"
            lines.append(line)
        return "\n".join(lines)

    return in_each_language(compose)


def assess_application(case: Case) -> Case:
    """Assess a submitted application for a smart item and, when every check passed, approve
    it as the system. Stores the results on the case either way. Returns the case as it is
    now. Any other case is returned untouched."""
    if case.status != Status.SUBMITTED or not case.item.smart_approval:
        return case
    from .steps import transition

    assessment = assess(case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk, status=Status.SUBMITTED).update(smart_assessment=assessment)
        if assessment["passed"]:
            transition(case.pk, "smart_approve", user=None, note=reasons_text(assessment))
    case.refresh_from_db()
    return case


def assess_quietly(case: Case) -> Case:
    """:func:`assess_application`, but an unexpected error leaves the case with staff (logged):
    the application itself is already recorded."""
    try:
        # a savepoint: inside a caller's transaction (a one-thing bundle's), a failure here
        # rolls back only the assessment
        with transaction.atomic():
            return assess_application(case)
    except Exception:
        logger.exception("smart approval of case %s failed; left to staff", case.pk)
        return case


# ----- the workflow step (approvals.workflows: smart_approve) -------------------------------


def checks_passed(case: Case, data: dict) -> str | None:
    """The step's condition: the stored assessment passed."""
    if (case.smart_assessment or {}).get("passed"):
        return None
    return _("Case %(reference)s did not meet every smart-approval condition.") % {
        "reference": case.reference
    }


def approve_at_once(case: Case, ctx: Context) -> None:
    """Accepted and decided in one step: the clock starts and stops today."""
    today: datetime.date = ctx.today
    case.accepted_on = today
    case.due_on = add_working_days(today, case.item.promised_limit_days)
    case.decided_at = ctx.now
    case.reasons = ""
    ctx.log_data["smart_checks"] = (case.smart_assessment or {}).get("checks", [])


def failed_checks(case: Case) -> list[dict[str, Any]]:
    """The checks an assessed case did not meet (empty when not assessed or all met)."""
    return [r for r in (case.smart_assessment or {}).get("checks", []) if not r.get("passed")]

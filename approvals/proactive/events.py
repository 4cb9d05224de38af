"""Validation of licence-change events, shared by the API and the import command.

Plain Python on purpose: a batch of 5,000 events is checked in a few milliseconds, where a DRF
serializer per event would cost most of the request (see ADR 0071)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from operator import mul
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.validators import (
    USCC_ALPHABET,
    USCC_PATTERN,
    USCC_WEIGHTS,
    validate_uscc,
    validate_visible_text,
)

from .models import LICENCE_FIELDS

MAX_BATCH = 10_000
_USCC_VALUE = {ch: n for n, ch in enumerate(USCC_ALPHABET)}.__getitem__


def uscc_ok(value: object) -> bool:
    """The same check as ``portal.validators.validate_uscc``, without building exceptions: the
    hot path of a 5,000-event batch. ``validate_uscc`` gives the message when this fails."""
    if not isinstance(value, str) or len(value) != 18 or not USCC_PATTERN.match(value):
        return False
    total = sum(map(mul, map(_USCC_VALUE, value[:17]), USCC_WEIGHTS))
    return value[17] == USCC_ALPHABET[(31 - total % 31) % 31]


EVENT_KEYS = {"event_id", "uscc", "changed_on", "changes"}


@dataclass(slots=True)
class ParsedEvent:
    event_id: str
    uscc: str
    changed_on: datetime.date
    changes: dict[str, Any]
    mask: int
    new_name: str | None = None
    new_legal_representative: str | None = None
    new_address: str | None = None
    new_shareholders: list[dict[str, Any]] | None = field(default=None)


def _shareholders(value: Any) -> list[dict[str, Any]] | None:
    """A list of names or of {"name": ..., "share": ...}; None when malformed."""
    if not isinstance(value, list):
        return None
    result = []
    for entry in value:
        if isinstance(entry, str) and entry.strip():
            result.append({"name": entry.strip()[:200], "share": None})
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"]:
            share = entry.get("share")
            if share is not None and (
                isinstance(share, bool)
                or not isinstance(share, int | float)
                or not 0 <= share <= 100
            ):
                return None
            result.append({"name": entry["name"][:200], "share": share})
        else:
            return None
    return result


def parse_event(raw: Any) -> tuple[ParsedEvent | None, dict[str, list[str]]]:
    """One event, or the errors by field."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        return None, {"non_field_errors": [_("An event must be a JSON object.")]}
    if not raw.keys() <= EVENT_KEYS:
        unknown = sorted(set(raw) - EVENT_KEYS)
        errors.setdefault("non_field_errors", []).append(
            _("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    event_id = raw.get("event_id")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > 64:
        errors["event_id"] = [_("A text of 1 to 64 characters is required.")]
    uscc = raw.get("uscc")
    if not uscc_ok(uscc):
        errors["uscc"] = _uscc_errors(uscc)
    day = _day(raw.get("changed_on"))
    if day is None:
        errors["changed_on"] = [_("A date YYYY-MM-DD is required.")]
    changes = raw.get("changes")
    values: dict[str, Any] = {}
    mask = 0
    if not isinstance(changes, dict) or not changes:
        errors["changes"] = [_("At least one changed field is required.")]
    else:
        change_errors = []
        for name, change in changes.items():
            problems = _parse_change(name, change, values)
            if problems:
                change_errors += problems
            else:
                mask |= LICENCE_FIELDS[name]
        if change_errors:
            errors["changes"] = change_errors
    if errors:
        return None, errors
    return (
        ParsedEvent(
            event_id=event_id.strip(),
            uscc=uscc,
            changed_on=day,
            changes=changes,
            mask=mask,
            **values,
        ),
        {},
    )


def _uscc_errors(uscc: Any) -> list[str]:
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return [_("This is not a valid unified social credit code.")]


def _day(changed_on: Any) -> datetime.date | None:
    """A date written exactly YYYY-MM-DD, else None."""
    if not isinstance(changed_on, str) or len(changed_on) != 10:
        return None
    try:
        return datetime.date.fromisoformat(changed_on)
    except ValueError:
        return None


def _parse_change(name: str, change: Any, values: dict[str, Any]) -> list[str]:
    """Check one changed field and put its new value in ``values``; its problems, if any."""
    if name not in LICENCE_FIELDS:
        return [
            _("Unknown field %(field)s (known: %(known)s).")
            % {"field": name, "known": ", ".join(LICENCE_FIELDS)}
        ]
    if not isinstance(change, dict) or "new" not in change or set(change) - {"old", "new"}:
        return [_('%(field)s: give {"old": ..., "new": ...}.') % {"field": name}]
    new = change["new"]
    if name == "shareholders":
        holders = _shareholders(new)
        if holders is None or ("old" in change and _shareholders(change["old"]) is None):
            return [_("shareholders: a list of names or of objects with a name.")]
        values["new_shareholders"] = holders
        return []
    limit = {"name": 200, "legal_representative": 64, "address": 300}[name]
    old = change.get("old")
    if (
        not isinstance(new, str)
        or not new.strip()
        or len(new) > limit
        or (old is not None and not isinstance(old, str))
    ):
        return [
            _("%(field)s: the new value must be a text of 1 to %(limit)s characters.")
            % {"field": name, "limit": limit}
        ]
    try:
        validate_visible_text(new.strip())  # no RTL override in the register's names
    except ValidationError as exc:
        return [f"{name}: {m}" for m in exc.messages]
    values[f"new_{name}"] = new.strip()
    return []


def parse_batch(raw_events: Any) -> tuple[list[ParsedEvent], list[dict[str, Any]]]:
    """Every event of a batch, or the list of bad ones: ``{"index", "event_id", "errors"}``."""
    if not isinstance(raw_events, list) or not raw_events:
        return [], [
            {
                "index": None,
                "event_id": None,
                "errors": {"events": [_("A non-empty list of events is required.")]},
            }
        ]
    if len(raw_events) > MAX_BATCH:
        return [], [
            {
                "index": None,
                "event_id": None,
                "errors": {"events": [_("At most %(n)s events per batch.") % {"n": MAX_BATCH}]},
            }
        ]
    parsed: list[ParsedEvent] = []
    bad: list[dict[str, Any]] = []
    for index, raw in enumerate(raw_events):
        event, errors = parse_event(raw)
        if errors:
            event_id = raw.get("event_id") if isinstance(raw, dict) else None
            bad.append(
                {
                    "index": index,
                    "event_id": event_id if isinstance(event_id, str) else None,
                    "errors": errors,
                }
            )
        else:
            parsed.append(event)
    return parsed, bad

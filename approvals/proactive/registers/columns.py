"""The documented column sets of the two registers and the row-by-row checks (ADR 0109).

Each check turns one row of the file (a dict of column → value, from CSV or JSON Lines) into the
tuple that is staged, or into the list of (field, message) problems it has. Plain Python on the
hot path (1.79 million rows): the check characters of the USCC and the resident identity number
are computed with the tables of ``portal.validators``, whose validators give the messages.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.validators import (
    RESIDENT_ID_CHECK,
    RESIDENT_ID_PATTERN,
    RESIDENT_ID_WEIGHTS,
    USCC_ALPHABET,
    USCC_WEIGHTS,
    resident_id_check_character,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
    validate_visible_text,
)

from ..events import uscc_ok
from ..models import CertificateStatus, CompanyStatus, CompanyType

# The columns, in the order of the documented file (docs/registers.md). A CSV file has them as
# its header row (any order; the optional ones may be left out); a JSON Lines file has one object
# per line with these keys.
COMPANY_COLUMNS = (
    "uscc",
    "name",
    "type",
    "legal_representative",
    "legal_representative_id",
    "address",
    "district",
    "established_on",
    "status",
    "shareholders",
    "mobile",
)
COMPANY_REQUIRED = ("uscc", "name", "type", "legal_representative", "address", "district", "status")
CERTIFICATE_COLUMNS = (
    "number",
    "type",
    "holder_uscc",
    "grade",
    "issued_on",
    "expires_on",
    "status",
    "particulars",
)
CERTIFICATE_REQUIRED = ("number", "type", "holder_uscc", "issued_on", "expires_on", "status")

COMPANY_TYPES = frozenset(CompanyType.values)
COMPANY_STATUSES = frozenset(CompanyStatus.values)
CERTIFICATE_STATUSES = frozenset(CertificateStatus.values)
MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)

Problem = tuple[str, str]


@functools.cache
def _invisible() -> re.Pattern[str]:
    """One character class of every control and format character (Unicode Cc and Cf), the ones
    ``validate_visible_text`` refuses, as ranges, so a row's text is checked with one search."""
    import unicodedata

    ranges: list[list[int]] = []
    for n in range(sys.maxunicode + 1):
        if unicodedata.category(chr(n)) in ("Cc", "Cf"):
            if ranges and ranges[-1][1] == n - 1:
                ranges[-1][1] = n
            else:
                ranges.append([n, n])
    return re.compile(
        "["
        + "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in ranges
        )
        + "]"
    )


def _message(validator, value: str) -> str:
    try:
        validator(value)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return ""


def _text(
    row: dict[str, Any], name: str, problems: list[Problem], *, required: bool, max_length: int
) -> str:
    value = row.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append((name, _("Expected text.")))
        return ""
    value = value.strip()
    if not value:
        if required:
            problems.append((name, _("This column is required.")))
        return ""
    if len(value) > max_length:
        problems.append(
            (
                name,
                _("At most %(max)d characters (this has %(n)d).")
                % {"max": max_length, "n": len(value)},
            )
        )
    elif _invisible().search(value):
        problems.append((name, _message(validate_visible_text, value)))
    return value


def _date(
    row: dict[str, Any], name: str, problems: list[Problem], *, required: bool
) -> datetime.date | None:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append((name, _("This column is required.")))
        return None
    if isinstance(value, str):
        value = value.strip()
        if len(value) == 10:
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
    problems.append((name, _("Not a date in the form YYYY-MM-DD.")))
    return None


def _uscc(row: dict[str, Any], name: str, problems: list[Problem]) -> str:
    value = row.get(name)
    value = value.strip() if isinstance(value, str) else value
    if not value:
        problems.append((name, _("This column is required.")))
        return ""
    if not uscc_ok(value):
        problems.append((name, _message(validate_uscc, value if isinstance(value, str) else "")))
        return ""
    return value


def _resident_id(value: str) -> bool:
    if len(value) != 18 or not RESIDENT_ID_PATTERN.match(value):
        return False
    if value[17] != resident_id_check_character(value[:17]):
        return False
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return born.year >= 1880 and born <= datetime.date.today()


def _holder_items(value: Any) -> list[tuple[Any, Any]] | None:
    """(name, share) pairs from a CSV cell ``name:share;...`` or a JSON list of objects."""
    if isinstance(value, str):
        return [
            (name, share)
            for name, _sep, share in (p.partition(":") for p in value.split(";") if p.strip())
        ]
    if isinstance(value, list) and all(isinstance(entry, dict) for entry in value):
        return [(entry.get("name"), entry.get("share")) for entry in value]
    return None


def _holder(name: Any, share: Any) -> str:
    """One shareholder as ``name:share`` (share with two decimals, or empty); raises ValueError
    with the message when it is not one."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        raise ValueError(_("A shareholder needs a name (at most 200 characters)."))
    name = name.strip()
    if ":" in name or ";" in name or _invisible().search(name):
        raise ValueError(_("A shareholder's name may not hold “:”, “;” or invisible characters."))
    if share in (None, ""):
        return f"{name}:"
    try:
        number = Decimal(str(share).strip())
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(_("A share is a percentage from 0 to 100."))
    return f"{name}:{number.quantize(Decimal('0.01'))}"


def _shareholders(value: Any, problems: list[Problem]) -> str:
    """Shareholders as the canonical text ``name:share;name:share``."""
    if value is None or value == "":
        return ""
    items = _holder_items(value)
    if items is None:
        problems.append(("shareholders", _("Expected name:share;name:share or a list of objects.")))
        return ""
    try:
        return ";".join(_holder(name, share) for name, share in items)
    except ValueError as exc:
        problems.append(("shareholders", str(exc)))
        return ""


def check_company(
    row: dict[str, Any], districts: frozenset[str]
) -> tuple[tuple | None, list[Problem]]:
    """One company row → (uscc, name, type, legal representative, his or her identity number,
    address, district, established on, status, shareholders, mobile), or its problems."""
    problems: list[Problem] = []
    uscc = _uscc(row, "uscc", problems)
    name = _text(row, "name", problems, required=True, max_length=200)
    kind = row.get("type")
    if not isinstance(kind, str) or kind not in COMPANY_TYPES:  # a JSON list is unhashable
        problems.append(
            (
                "type",
                _("Unknown type %(value)r; one of: %(known)s.")
                % {"value": kind, "known": ", ".join(sorted(COMPANY_TYPES))},
            )
        )
    rep = _text(row, "legal_representative", problems, required=True, max_length=64)
    rep_id = row.get("legal_representative_id") or ""
    if not isinstance(rep_id, str):
        problems.append(("legal_representative_id", _("Expected text.")))
    elif rep_id:
        rep_id = rep_id.strip().upper()
        if not _resident_id(rep_id):
            problems.append(("legal_representative_id", _message(validate_resident_id, rep_id)))
    address = _text(row, "address", problems, required=True, max_length=300)
    district = row.get("district")
    if not isinstance(district, str) or district not in districts:
        problems.append(("district", _("Unknown district code %(value)r.") % {"value": district}))
    established = _date(row, "established_on", problems, required=False)
    if established and established > datetime.date.today():
        problems.append(("established_on", _("The date of establishment is in the future.")))
    status = row.get("status")
    if not isinstance(status, str) or status not in COMPANY_STATUSES:
        problems.append(
            (
                "status",
                _("Unknown status %(value)r; one of: %(known)s.")
                % {"value": status, "known": ", ".join(sorted(COMPANY_STATUSES))},
            )
        )
    holders = _shareholders(row.get("shareholders"), problems)
    mobile = row.get("mobile") or ""
    if mobile:
        if not isinstance(mobile, str) or not MOBILE.match(mobile.strip()):
            problems.append(("mobile", _message(validate_mobile, str(mobile))))
        else:
            mobile = mobile.strip()
    if problems:
        return None, problems
    return (
        uscc,
        name,
        kind,
        rep,
        rep_id,
        address,
        district,
        established.isoformat() if established else None,
        status,
        holders,
        mobile,
    ), problems


def check_certificate(
    row: dict[str, Any], types: dict[str, tuple[int, frozenset[str]]]
) -> tuple[tuple | None, list[Problem]]:
    """One certificate row → (number, type id, holder's USCC, grade, issued on, expires on,
    status, particulars as JSON text), or its problems. ``types``: code → (id, grades)."""
    problems: list[Problem] = []
    number = _text(row, "number", problems, required=True, max_length=40)
    code = row.get("type")
    known = types.get(code) if isinstance(code, str) else None
    if known is None:
        problems.append(("type", _("Unknown certificate type %(value)r.") % {"value": code}))
    holder = _uscc(row, "holder_uscc", problems)
    grade = _text(row, "grade", problems, required=False, max_length=32)
    if known is not None and grade and known[1] and grade not in known[1]:
        problems.append(
            (
                "grade",
                _("Grade %(value)r is not one of this type's: %(known)s.")
                % {"value": grade, "known": ", ".join(sorted(known[1]))},
            )
        )
    issued = _date(row, "issued_on", problems, required=True)
    expires = _date(row, "expires_on", problems, required=True)
    if issued and expires and expires < issued:
        problems.append(("expires_on", _("The certificate expires before it was issued.")))
    status = row.get("status")
    if not isinstance(status, str) or status not in CERTIFICATE_STATUSES:
        problems.append(
            (
                "status",
                _("Unknown status %(value)r; one of: %(known)s.")
                % {"value": status, "known": ", ".join(sorted(CERTIFICATE_STATUSES))},
            )
        )
    particulars = row.get("particulars")
    if particulars in (None, ""):
        particulars_text = "{}"
    else:
        if isinstance(particulars, str):
            try:
                particulars = json.loads(particulars)
            except ValueError:
                particulars = None
        if not isinstance(particulars, dict):
            problems.append(("particulars", _("Particulars are a JSON object.")))
            particulars_text = ""
        else:
            particulars_text = json.dumps(particulars, ensure_ascii=False, sort_keys=True)
    if problems:
        return None, problems
    return (
        number,
        known[0] if known else 0,
        holder,
        grade,
        issued.isoformat() if issued else "",
        expires.isoformat() if expires else "",
        status,
        particulars_text,
    ), problems


# ----- the fast paths: a good row in a few microseconds ---------------------------------------
# 1.79 million rows: a row that passes these is staged at once; any other goes through the full
# checks above, which say what is wrong. They accept nothing the full checks refuse.

_SHARE = r"(?:100\.00|\d{1,2}\.\d{2})?"
_HOLDER_NAME = r"[^\s:;](?:[^:;]{0,198}[^\s:;])?"
CANONICAL_HOLDERS = re.compile(rf"^{_HOLDER_NAME}:{_SHARE}(?:;{_HOLDER_NAME}:{_SHARE})*$")
_CACHED = 200_000  # at most this many pieces kept per table below (memory stays bounded)


class _Pieces(dict):
    """Partial weighted sums of a check character, by piece of the code, filled as pieces are
    met: a code is checked with three or four dict lookups instead of a sum over its 17
    characters. ``piece`` gives the partial sum of a piece, or None when the piece cannot be
    part of a valid code (never kept: a bad row costs nothing here)."""

    def __init__(self, piece) -> None:
        super().__init__()
        self._piece = piece

    def __missing__(self, key: str):
        value = self._piece(key)
        if value is not None and len(self) < _CACHED:
            self[key] = value
        return value


def _uscc_piece(start: int, pattern: re.Pattern[str]):
    weights = USCC_WEIGHTS[start:]

    def piece(key: str) -> int | None:
        if not pattern.fullmatch(key):
            return None
        return sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(key, weights, strict=False))

    return piece


_USCC_CHARACTER = r"[0-9A-HJ-NPQRTUWXY]"
_USCC_HEAD = _Pieces(_uscc_piece(0, re.compile(rf"{_USCC_CHARACTER}{{2}}[0-9]{{6}}")))
_USCC_MIDDLE = _Pieces(_uscc_piece(8, re.compile(rf"{_USCC_CHARACTER}{{3}}")))
_USCC_NEXT = _Pieces(_uscc_piece(11, re.compile(rf"{_USCC_CHARACTER}{{3}}")))
_USCC_TAIL = _Pieces(_uscc_piece(14, re.compile(rf"{_USCC_CHARACTER}{{3}}")))


def uscc_fast(value: Any) -> bool:
    """``events.uscc_ok`` by partial sums: the form (2 characters, 6 digits, 10 characters of
    the code's alphabet) and the check character. A test holds the two to the same answers."""
    if not isinstance(value, str) or len(value) != 18:
        return False
    try:
        total = (
            _USCC_HEAD[value[:8]]
            + _USCC_MIDDLE[value[8:11]]
            + _USCC_NEXT[value[11:14]]
            + _USCC_TAIL[value[14:17]]
        )
    except TypeError:  # a piece that is not of the form
        return False
    return value[17] == USCC_ALPHABET[(31 - total % 31) % 31]


def _digits_piece(start: int):
    weights = RESIDENT_ID_WEIGHTS[start:]

    def piece(key: str) -> int | None:
        if not (key.isascii() and key.isdigit()):
            return None
        return sum(int(ch) * w for ch, w in zip(key, weights, strict=False))

    return piece


def _birth_piece(key: str) -> int | None:
    """The birth date's digits: a real date from 1880 to today, or None."""
    if not (key.isascii() and key.isdigit()):
        return None
    try:
        born = datetime.date(int(key[:4]), int(key[4:6]), int(key[6:]))
    except ValueError:
        return None
    if born.year < 1880 or born > _today():
        return None
    return sum(int(ch) * w for ch, w in zip(key, RESIDENT_ID_WEIGHTS[6:], strict=False))


_ID_REGION = _Pieces(_digits_piece(0))
_ID_SERIAL = _Pieces(_digits_piece(14))


# A date refused today is not kept (it may be the future today, not tomorrow); one accepted stays
# right: dates only move into the past.
_ID_BIRTH = _Pieces(_birth_piece)


def resident_id_ok(value: str) -> bool:
    """The resident identity number's form, check character and birth date, without building
    exceptions (``validate_resident_id`` gives the message when this fails), by partial sums
    of its region, birth date and serial (a few thousand distinct pieces in a register)."""
    if len(value) != 18:
        return False
    try:
        total = _ID_REGION[value[:6]] + _ID_BIRTH[value[6:14]] + _ID_SERIAL[value[14:17]]
    except TypeError:
        return False
    return value[17] == RESIDENT_ID_CHECK[total % 11]


def _today() -> datetime.date:
    return datetime.date.today()


def _iso_date(value: str, latest: str | None = None) -> bool:
    if len(value) != 10 or (latest is not None and value > latest):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _visible(text: str) -> bool:
    """No control or format character: ``isprintable`` (C speed) says so for nearly every row;
    it also refuses some characters the full check allows (an ideographic space, say), and
    only those rows are searched with the exact character class."""
    return text.isprintable() or not _invisible().search(text)


def fast_company(row: dict[str, Any], districts: frozenset[str], today: str) -> tuple | None:
    """:func:`fast_company_values` of a row given as a dict (the tests' form)."""
    return fast_company_values(tuple(map(row.get, COMPANY_COLUMNS)), districts, today)


def fast_company_values(values: tuple, districts: frozenset[str], today: str) -> tuple | None:
    """The staged tuple of a good company row (its values in the order of
    ``COMPANY_COLUMNS``), or None (then :func:`check_company` says why)."""
    uscc, name, kind, rep, rep_id, address, district, established, status, holders, mobile = values
    rep_id = rep_id or ""
    established = established or ""
    holders, mobile = holders or "", mobile or ""
    try:
        text = "|".join((name, rep, address, holders, rep_id, established, mobile))
        if kind not in COMPANY_TYPES or status not in COMPANY_STATUSES or district not in districts:
            return None
    except TypeError:  # a missing or non-text value
        return None
    if (
        not 0 < len(name) <= 200
        or not 0 < len(rep) <= 64
        or not 0 < len(address) <= 300
        or name.strip() != name
        or rep.strip() != rep
        or address.strip() != address
        or not _visible(text)
        or not uscc_fast(uscc)
        or (rep_id and not resident_id_ok(rep_id))
        or (established and not _iso_date(established, today))
        or (holders and not CANONICAL_HOLDERS.match(holders))
        or (mobile and not MOBILE.match(mobile))
    ):
        return None
    return (
        uscc,
        name,
        kind,
        rep,
        rep_id,
        address,
        district,
        established or None,
        status,
        holders,
        mobile,
    )


def fast_certificate(
    row: dict[str, Any], types: dict[str, tuple[int, frozenset[str]]]
) -> tuple | None:
    """:func:`fast_certificate_values` of a row given as a dict (the tests' form)."""
    return fast_certificate_values(tuple(map(row.get, CERTIFICATE_COLUMNS)), types)


def fast_certificate_values(
    values: tuple, types: dict[str, tuple[int, frozenset[str]]]
) -> tuple | None:
    """The staged tuple of a good certificate row (its values in the order of
    ``CERTIFICATE_COLUMNS``), or None (then :func:`check_certificate`)."""
    number, code, holder, grade, issued, expires, status, particulars = values
    grade = grade or ""
    particulars = particulars or "{}"
    try:
        known = types.get(code)
        text = "|".join((number, grade, issued, expires))
        if known is None or status not in CERTIFICATE_STATUSES:
            return None
    except TypeError:
        return None
    if (
        not 0 < len(number) <= 40
        or number.strip() != number
        or len(grade) > 32
        or (grade and known[1] and grade not in known[1])
        or not _visible(text)
        or not uscc_fast(holder)
        or not _iso_date(issued)
        or not _iso_date(expires)
        or expires < issued
    ):
        return None
    if isinstance(particulars, dict):
        particulars = json.dumps(particulars, ensure_ascii=False, sort_keys=True)
    elif not isinstance(particulars, str) or not particulars.startswith("{"):
        return None
    else:
        try:
            if not isinstance(orjson.loads(particulars), dict):
                return None
        except orjson.JSONDecodeError:
            return None
    return (number, known[0], holder, grade, issued, expires, status, particulars)

"""Validators for the identifiers every form, serializer and import takes.

- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
  alphabet (digits and capitals without I, O, Z, S, V), the last one a check character.
- Resident identity number (公民身份号码), GB 11643-1999: 17 digits and a check character
  (0-9 or X, ISO 7064 MOD 11-2), with a real birth date that is not in the future.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
RESIDENT_ID_PATTERN = re.compile(r"^\d{17}[\dX]$", re.ASCII)

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$", re.ASCII)


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def resident_id_check_character(first17: str) -> str:
    """The check character for the first 17 digits of a resident identity number."""
    total = sum(int(ch) * w for ch, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_uscc(value: str) -> None:
    """Raise ValidationError unless ``value`` is a valid unified social credit code."""
    if not isinstance(value, str) or len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters."), code="uscc_length"
        )
    if not USCC_PATTERN.match(value):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters except "
                "I, O, Z, S and V."
            ),
            code="uscc_characters",
        )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."),
            code="uscc_check",
        )


def validate_resident_id(value: str) -> None:
    """Raise ValidationError unless ``value`` is a valid 18-character resident identity number."""
    if not isinstance(value, str) or len(value) != 18:
        raise ValidationError(
            _("A resident identity number has 18 characters."), code="resident_id_length"
        )
    if not RESIDENT_ID_PATTERN.match(value):
        raise ValidationError(
            _("A resident identity number has 17 digits followed by a digit or X."),
            code="resident_id_characters",
        )
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this resident identity number does not exist."),
            code="resident_id_birth_date",
        ) from None
    if born > timezone.localdate() or born.year < 1880:
        raise ValidationError(
            _("The birth date in this resident identity number is not a past date."),
            code="resident_id_birth_date",
        )
    if value[17] != resident_id_check_character(value[:17]):
        raise ValidationError(
            _("The check digit of this resident identity number is wrong."),
            code="resident_id_check",
        )


def validate_mobile(value: str) -> None:
    """Raise ValidationError unless ``value`` is an 11-digit mainland mobile number."""
    if not isinstance(value, str) or not MOBILE_PATTERN.match(value):
        raise ValidationError(_("Enter an 11-digit mobile number starting with 1."), code="mobile")


def mask_identifier(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Mask the middle of an identity number or mobile number for lists: 370***********1234."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def invisible_characters(value: str) -> list[str]:
    """The control and format characters in ``value`` (Unicode categories Cc and Cf: NUL,
    right-to-left override U+202E, zero-width spaces, byte-order marks...), as U+XXXX."""
    import unicodedata

    return sorted(
        {
            f"U+{ord(ch):04X}"
            for ch in value or ""
            if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n\r"
        }
    )


def validate_visible_text(value: str) -> None:
    """Names (of people, companies, outlets...) may not hide characters: a right-to-left
    override makes "ABC\u202edcba" read differently than it is stored, and zero-width
    characters make two names look the same. Line breaks are refused too."""
    found = invisible_characters(value)
    if "\n" in (value or "") or "\r" in (value or ""):
        found = ["U+000A", *found]
    if found:
        raise ValidationError(
            _("Remove the invisible or control characters (%(chars)s)."),
            code="invisible_characters",
            params={"chars": ", ".join(found)},
        )

"""The catalogue's codes in the national item-code structure (ADR 0121).

- **Basic code** (基本编码) of a service in the basic catalogue (基本目录), 10 characters, after
  GB/T 39554.1-2020 and the province's rules: the 2-letter item-type code, the 5-digit main item
  and the 3-digit sub item (``000`` when the item has no sub items). ``XK00046000`` is the 46th
  administrative licence, no sub item.
- **Implementation code** (实施编码) of an implementation (实施清单事项: the service as one
  department implements it), 28 characters: the implementing department's unified social credit
  code (18, GB 32100 check character) and the basic code; 31 characters when one department
  implements one basic service more than once (a 3-digit business-item suffix tells them apart).
- **A government department's credit code** starts with ``11`` (机关) and its 6-digit region code.

One module, so that the model's ``clean``, the staff's import and the reference loader refuse the
same codes with the same words. Each check raises ``ValidationError`` with a ``code`` naming what
is wrong (``basic_type``, ``implementation_department`` …), which tests and the import's row
errors rely on."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_uscc

# The item-type codes the catalogue uses, by ItemKind value. XK, QR, JF, GG and QT are the
# national power-list types (行政许可, 行政确认, 行政给付, 公共服务, 其他行政权力); BA (备案) and BM
# (便民服务) are the provincial list's codes for filings and convenience services.
TYPE_CODES: dict[str, str] = {
    "licence": "XK",
    "confirmation": "QR",
    "payment": "JF",
    "filing": "BA",
    "public_service": "GG",
    "convenience": "BM",
    "other": "QT",
}
KINDS_BY_TYPE_CODE = {code: kind for kind, code in TYPE_CODES.items()}

BASIC_LENGTH = 10
CREDIT_CODE_LENGTH = 18
IMPLEMENTATION_LENGTHS = (CREDIT_CODE_LENGTH + BASIC_LENGTH, CREDIT_CODE_LENGTH + BASIC_LENGTH + 3)
GOVERNMENT_BODY_PREFIX = "11"
_DIGITS = re.compile(r"^\d+$", re.ASCII)


def validate_basic_code(value: str, kind: str | None = None) -> None:
    """Raise unless ``value`` is a basic code (and, given ``kind``, of that kind's type code)."""
    if not isinstance(value, str) or len(value) != BASIC_LENGTH:
        raise ValidationError(
            _("A basic code has 10 characters: type code, 5-digit main item, 3-digit sub item."),
            code="basic_length",
        )
    type_code = value[:2]
    if type_code not in KINDS_BY_TYPE_CODE:
        raise ValidationError(
            _("“%(type)s” is not an item-type code (one of %(codes)s).")
            % {"type": type_code, "codes": ", ".join(sorted(KINDS_BY_TYPE_CODE))},
            code="basic_type",
        )
    if not _DIGITS.match(value[2:]):
        raise ValidationError(
            _("After the type code, a basic code has 8 digits (main item and sub item)."),
            code="basic_digits",
        )
    if kind and TYPE_CODES.get(kind) != type_code:
        raise ValidationError(
            _("The type code %(type)s does not match the kind of the service (%(expected)s).")
            % {"type": type_code, "expected": TYPE_CODES.get(kind, "?")},
            code="basic_kind",
        )


def validate_department_credit_code(value: str, region_code: str | None = None) -> None:
    """Raise unless ``value`` is a government body's unified social credit code (of
    ``region_code``'s region, when given)."""
    validate_uscc(value)
    if not value.startswith(GOVERNMENT_BODY_PREFIX):
        raise ValidationError(
            _("A government department's credit code starts with 11."),
            code="credit_code_not_government",
        )
    if region_code and value[2:8] != region_code:
        raise ValidationError(
            _("Characters 3 to 8 of the credit code are the region code %(region)s.")
            % {"region": region_code},
            code="credit_code_region",
        )


def split_implementation_code(value: str) -> tuple[str, str, str]:
    """(credit code, basic code, business-item suffix or "") of a well-formed code."""
    return value[:18], value[18:28], value[28:]


def validate_implementation_code(
    value: str, credit_code: str | None = None, basic_code: str | None = None
) -> None:
    """Raise unless ``value`` is an implementation code; given the department's credit code and
    the basic service's code, also unless its parts are those."""
    if not isinstance(value, str) or len(value) not in IMPLEMENTATION_LENGTHS:
        raise ValidationError(
            _(
                "An implementation code has 28 characters (the department's 18-character credit "
                "code and the 10-character basic code), or 31 with a business-item suffix."
            ),
            code="implementation_length",
        )
    department_part, basic_part, suffix = split_implementation_code(value)
    try:
        validate_uscc(department_part)
    except ValidationError as exc:
        raise ValidationError(
            _("The first 18 characters are not a valid credit code: %(reason)s")
            % {"reason": " ".join(exc.messages)},
            code="implementation_credit_code",
        ) from None
    validate_basic_code(basic_part)
    if suffix and not _DIGITS.match(suffix):
        raise ValidationError(
            _("The business-item suffix is 3 digits."), code="implementation_suffix"
        )
    if credit_code is not None and department_part != credit_code:
        raise ValidationError(
            _("The code's department part %(part)s is not the department's credit code %(code)s.")
            % {"part": department_part, "code": credit_code or "—"},
            code="implementation_department",
        )
    if basic_code is not None and basic_part != basic_code:
        raise ValidationError(
            _("The code's basic part %(part)s is not the basic service's code %(code)s.")
            % {"part": basic_part, "code": basic_code},
            code="implementation_basic",
        )


def implementation_code(credit_code: str, basic_code: str, suffix: str = "") -> str:
    """The implementation code of a department's implementation of a basic service."""
    return f"{credit_code}{basic_code}{suffix}"

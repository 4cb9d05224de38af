import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from portal.validators import (
    mask_identifier,
    resident_id_check_character,
    uscc_check_character,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from tests.factories import make_resident_id, make_uscc


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- Unified social credit code (GB 32100-2015) ------------------------------------------------

VALID_USCC = [
    "91350100M000100Y43",  # the standard's worked example
    make_uscc(1),
    make_uscc(123456789),
]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc(code):
    validate_uscc(code)


def test_worked_example_check_character():
    assert uscc_check_character("91350100M000100Y4") == "3"


def test_check_character_can_be_a_letter_and_zero():
    # Find bodies whose check character is a letter and whose check value is 0.
    letters = zeros = 0
    for serial in range(2000):
        first17 = make_uscc(serial)[:17]
        ch = uscc_check_character(first17)
        letters += ch.isalpha()
        zeros += ch == "0"
        validate_uscc(first17 + ch)
    assert letters and zeros


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y433", "18 characters"),
        ("", "18 characters"),
        ("91350100M000100I43", "except I, O, Z, S and V"),
        ("91350100M000100O43", "except I, O, Z, S and V"),
        ("91350100m000100y43", "capital letters"),
        ("91350A00M000100Y43", "capital letters"),  # region code must be digits
        ("91350100M000100Y44", "check character"),
        ("91350100M000100Y4A", "check character"),
    ],
)
def test_invalid_uscc_says_why(code, expected):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert expected in message(exc)


def test_every_wrong_check_character_is_caught():
    good = make_uscc(42)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for ch in alphabet:
        if ch != good[17]:
            with pytest.raises(ValidationError):
                validate_uscc(good[:17] + ch)


def test_uscc_refuses_non_strings():
    with pytest.raises(ValidationError):
        validate_uscc(None)  # type: ignore[arg-type]


# --- Resident identity number (GB 11643-1999) --------------------------------------------------

VALID_IDS = [
    "11010519491231002X",  # the standard's example, check character X
    make_resident_id(1),
    make_resident_id(2, born="20000229"),  # a real 29 February
]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_resident_id(value):
    validate_resident_id(value)


def test_standard_example_check_character_is_x():
    assert resident_id_check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002", "18 characters"),
        ("1101051949123100299", "18 characters"),
        ("11010519491231002x", "17 digits followed by a digit or X"),
        ("1101051949123100AX", "17 digits followed by a digit or X"),
        ("110105194912310021", "check digit"),
        (make_resident_id(3, born="19490230"), "does not exist"),  # 30 February
        (make_resident_id(3, born="19991301"), "does not exist"),  # month 13
        (make_resident_id(3, born="19000229"), "does not exist"),  # 1900 was no leap year
        (make_resident_id(3, born="18500101"), "not a past date"),
    ],
)
def test_invalid_resident_id_says_why(value, expected):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert expected in message(exc)


def test_future_birth_date_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    value = make_resident_id(5, born=tomorrow.strftime("%Y%m%d"))
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert "not a past date" in message(exc)


def test_born_today_is_accepted():
    value = make_resident_id(6, born=timezone.localdate().strftime("%Y%m%d"))
    validate_resident_id(value)


def test_messages_are_translated():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            validate_resident_id("110105194912310021")
        assert "校验" in message(exc)


# --- Mobile and masking --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["13800000001", "19912345678"])
def test_valid_mobile(value):
    validate_mobile(value)


@pytest.mark.parametrize("value", ["12800000001", "1380000000", "138000000012", "+8613800000001"])
def test_invalid_mobile(value):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(value)
    assert "11-digit mobile number" in message(exc)


def test_mask_identifier():
    assert mask_identifier("13800000001") == "138****0001"
    assert mask_identifier("11010519491231002X") == "110***********002X"
    assert mask_identifier("1234") == "****"
    assert mask_identifier("") == ""


# --- Digits of other scripts ----------------------------------------------------------------------
# ``\d`` matches any Unicode digit: an Arabic-Indic ٣ or a full-width ３ passed the pattern and
# then broke the check-character arithmetic (KeyError in the register import's fast check,
# ValueError in the validator) instead of giving the form or the row its error.


@pytest.mark.parametrize("digit", ["\u0663", "\uff13", "\u09e9"])  # ٣, ３, ৩
def test_digits_of_other_scripts_are_refused_with_a_message(digit):
    from approvals.proactive.events import uscc_ok
    from portal.validators import validate_mobile, validate_resident_id

    uscc = make_uscc(42)
    foreign = uscc[:3] + digit + uscc[4:]
    assert not uscc_ok(foreign)
    with pytest.raises(ValidationError):
        validate_uscc(foreign)
    resident = make_resident_id(1)
    with pytest.raises(ValidationError):
        validate_resident_id(resident[:5] + digit + resident[6:])
    with pytest.raises(ValidationError):
        validate_mobile("139" + digit + "0001234")

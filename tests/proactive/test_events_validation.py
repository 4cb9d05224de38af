"""The batch validator's fast USCC check agrees with the portal's validator."""

import random

from django.core.exceptions import ValidationError

from approvals.proactive.events import parse_batch, uscc_ok
from portal.validators import USCC_ALPHABET, validate_uscc
from tests.factories import make_uscc


def _valid(value) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True


def test_fast_uscc_check_agrees_with_validate_uscc():
    rng = random.Random(7)
    samples = [make_uscc(n, region) for n in range(0, 5000, 37) for region in ("370200", "370283")]
    for good in samples[:50]:
        for pos in (0, 5, 17):
            ch = rng.choice(USCC_ALPHABET + "IOZSV")
            samples.append(good[:pos] + ch + good[pos + 1 :])
    samples += ["", "9137020", None, 123, "91370200MA3C5HKX4B" + "X", "91370200ma3c5hkx4b"]
    for value in samples:
        assert uscc_ok(value) == _valid(value), value


def test_bad_uscc_messages_come_from_the_portal_validator():
    _, bad = parse_batch(
        [
            {
                "event_id": "X",
                "uscc": "9137020",
                "changed_on": "2026-11-20",
                "changes": {"name": {"new": "青岛某公司"}},
            }
        ]
    )
    try:
        validate_uscc("9137020")
    except ValidationError as exc:
        expected = exc.messages
    assert bad[0]["errors"]["uscc"] == expected

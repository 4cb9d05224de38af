"""The applicant's rating of a closed case (好差评), kept by :mod:`portal.ratings`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import permissions as perms
from ..models import Case, Status


def rate_case(case: Case, *, user: Any, score: int, comment: str = ""):
    """The applicant rates a closed case (好差评)."""
    from portal.ratings.services import rate

    if not perms.applicant(user, case):
        raise ValidationError(_("Only the applicant may rate this case."), code="forbidden")
    if case.status != Status.CLOSED:
        raise ValidationError(_("A case can be rated once it is closed."), code="not_closed")
    return rate(
        subject=case,
        user=user,
        score=score,
        comment=comment,
        department=case.department,
        item=case.item,
    )

"""Rating a finished case and answering bad ratings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.selectors import department_staff
from portal.languages import in_each_language
from portal.notifications.models import Channel
from portal.notifications.services import OutgoingMessage, send_bulk
from portal.workdays import add_working_days
from portal.workflow import Context, run

from .models import BAD_MAX, FollowUp, FollowUpStatus, Rating

if TYPE_CHECKING:
    from portal.accounts.models import User


def follow_up_working_days() -> int:
    return int(getattr(settings, "RATINGS", {}).get("FOLLOW_UP_WORKING_DAYS", 3))


def rate(
    *,
    subject: Any,
    user: User,
    score: int,
    comment: str = "",
    department,
    item=None,
) -> Rating:
    """Record ``user``'s rating of ``subject`` (any saved model instance: a finished case).

    The caller checks that ``user`` may rate ``subject`` (it is their case). A subject with an
    ``is_finished`` attribute must be finished. A score of 1 or 2 opens a follow-up for
    ``department`` due in ``RATINGS["FOLLOW_UP_WORKING_DAYS"]`` (3) working days, and its staff
    get an inbox message. Raises ValidationError for a bad score or a subject rated before."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")}, code="score")
    if subject is None or subject.pk is None:
        raise ValidationError(_("Only a saved case can be rated."), code="subject")
    if getattr(subject, "is_finished", True) is False:
        raise ValidationError(_("Only a finished case can be rated."), code="not_finished")
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError(
            {"comment": _("Keep the comment under 1000 characters.")}, code="comment"
        )
    content_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        if Rating.objects.filter(content_type=content_type, object_id=str(subject.pk)).exists():
            raise _already_rated()
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    content_type=content_type,
                    object_id=str(subject.pk),
                    user=user,
                    score=score,
                    comment=comment,
                    department=department,
                    item=item,
                )
        except IntegrityError:
            raise _already_rated() from None
        if score <= BAD_MAX:
            follow_up = FollowUp.objects.create(
                rating=rating,
                department=department,
                due_date=add_working_days(timezone.localdate(), follow_up_working_days()),
            )
            transaction.on_commit(lambda: _tell_department(follow_up.pk), robust=True)
    return rating


def _already_rated() -> ValidationError:
    return ValidationError(_("This case has already been rated."), code="already_rated")


def _tell_department(follow_up_id: int) -> None:
    """Inbox message to the department's staff about a new follow-up (idempotent by key)."""
    follow_up = FollowUp.objects.select_related("rating").get(pk=follow_up_id)
    subject, body = in_each_language(
        lambda: (
            _("A bad rating needs a follow-up by %(date)s") % {"date": follow_up.due_date},
            follow_up.rating.comment
            or _("The applicant left no comment. Contact them and record what was done."),
        )
    )
    send_bulk(
        _to_staff(
            follow_up.pk,
            member,
            subject=subject,
            body=body,
            key=f"ratings:follow-up:{follow_up.pk}:{member.pk}",
        )
        for member in department_staff([follow_up.department_id])
    )


def _to_staff(
    follow_up_id: int, member: User, subject: str, body: str, *, key: str
) -> OutgoingMessage:
    """An inbox message to ``member`` linking to the follow-up in the admin."""
    return OutgoingMessage(
        channel=Channel.INBOX,
        recipient=member,
        link=reverse("admin:ratings_followup_change", args=[follow_up_id]),
        subject=subject,
        body=body,
        key=key,
    )


def resolve_follow_up(follow_up: FollowUp | int, *, user: User, note: str) -> FollowUp:
    """Close a follow-up with a note: the ``resolve`` step of :mod:`portal.ratings.workflows`.
    Only staff of its department (or an administrator) may (else
    :class:`portal.workflow.NotAllowed`); two people resolving at once: the second is refused
    with :class:`portal.workflow.NotNow` saying who resolved it. A blank note is a
    ValidationError."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"resolution_note": _("Say what was done about this rating.")}, code="note"
        )
    pk = follow_up.pk if isinstance(follow_up, FollowUp) else follow_up
    done = run("follow_up", pk, "resolve", user=user, note=note)
    if isinstance(follow_up, FollowUp):
        follow_up.refresh_from_db()
    return done


def record_resolution(follow_up: FollowUp, ctx: Context) -> None:
    """The ``resolve`` step's effect: who resolved it, when, and how."""
    follow_up.resolution_note = ctx.note
    follow_up.resolved_by = ctx.user
    follow_up.resolved_at = ctx.now


def _overdue_texts(due: object) -> tuple[str, str]:
    return in_each_language(
        lambda: (
            _("A follow-up to a bad rating is overdue (due %(date)s)") % {"date": due},
            _("Contact the applicant and record what was done with the follow-up."),
        )
    )


def remind_overdue(today=None) -> int:
    """Inbox reminder to each department's staff about follow-ups past their due date, once a
    day (keyed by follow-up and date). Returns the number of messages stored."""
    today = today or timezone.localdate()
    overdue = list(
        FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_date__lt=today).values(
            "pk", "department_id", "due_date"
        )
    )
    if not overdue:
        return 0
    staff_by_department: dict[int, list] = {}
    for member in department_staff(row["department_id"] for row in overdue):
        if member.department_id is not None:  # department_staff has only members of one
            staff_by_department.setdefault(member.department_id, []).append(member)
    texts = {row["pk"]: _overdue_texts(row["due_date"]) for row in overdue}
    return send_bulk(
        _to_staff(
            row["pk"],
            member,
            *texts[row["pk"]],
            key=f"ratings:overdue:{row['pk']}:{member.pk}:{today.isoformat()}",
        )
        for row in overdue
        for member in staff_by_department.get(row["department_id"], [])
    )

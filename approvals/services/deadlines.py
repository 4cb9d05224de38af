"""The daily scans: overdue cases and reminders, and materials to follow (容缺受理)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.catalogue.forms import local_name
from portal.languages import in_each_language
from portal.workdays import add_working_days

from .. import permissions as perms
from .. import selectors
from ..models import CLOCK_RUNNING, Case, Status

REMINDER_WORKING_DAYS = 2  # remind the department this many working days before the deadline


def _deadline_texts(soon: int, late: int, horizon: datetime.date) -> tuple[str, str]:
    """A department's reminder (the same for each of its staff), in each language."""
    values = {"soon": soon, "late": late, "horizon": horizon.isoformat()}
    return in_each_language(
        lambda: (
            _("Cases due soon: %(soon)d; overdue: %(late)d") % values,
            _("%(soon)d cases of your department are due by %(horizon)s and %(late)d are overdue.")
            % values,
        )
    )


def scan_deadlines(today: datetime.date | None = None) -> dict[str, int]:
    """The daily deadline scan, in SQL: flag cases past their due date as overdue, clear the
    flag where the deadline moved or the clock stopped, and remind each department's staff of the
    cases due within the next working days (one message per staff user and day)."""
    from portal.notifications.services import OutgoingMessage, send_bulk

    today = today or timezone.localdate()
    running = list(CLOCK_RUNNING)
    with transaction.atomic():
        marked = Case.objects.filter(overdue=False, due_on__lt=today, status__in=running).update(
            overdue=True
        )
        cleared = (
            Case.objects.filter(overdue=True)
            .filter(Q(due_on__gte=today) | ~Q(status__in=running) | Q(due_on__isnull=True))
            .update(overdue=False)
        )
    horizon = add_working_days(today, REMINDER_WORKING_DAYS)
    due_soon = dict(
        Case.objects.filter(due_on__gte=today, due_on__lte=horizon, status__in=running)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    overdue_counts = dict(
        Case.objects.filter(overdue=True, status__in=running)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    staff = get_user_model().objects.filter(
        role=perms.DEPARTMENT_STAFF_ROLE,
        is_active=True,
        department_id__in=set(due_soon) | set(overdue_counts),
    )
    texts = {
        department: _deadline_texts(due_soon.get(department, 0), count, horizon)
        for department, count in {**dict.fromkeys(due_soon, 0), **overdue_counts}.items()
    }
    messages = []
    for user in staff:
        if user.department_id is None:  # not in the query's departments
            continue
        subject, body = texts[user.department_id]
        messages.append(
            OutgoingMessage(
                channel="inbox",
                recipient=user,
                subject=subject,
                body=body,
                link=reverse("approvals:staff_cases"),
                key=f"case-deadlines-{user.pk}-{today.isoformat()}",
            )
        )
    sent = send_bulk(messages) if messages else 0
    return {"marked_overdue": marked, "cleared": cleared, "reminders": sent}


def scan_missing_materials(today: datetime.date | None = None) -> dict[str, int]:
    """The daily check of acceptance with materials to follow (容缺受理), in SQL: flag the cases
    whose materials deadline has passed while a required material is still missing
    (``materials_overdue_on``, shown to staff), clear the flag where it no longer applies, and
    remind each newly flagged case's applicant once (the key names the case and its deadline).
    A fixed number of statements whatever the number of cases."""
    from portal.notifications.services import send_bulk, to_person

    today = today or timezone.localdate()
    still_missing = Exists(
        selectors.unanswered_materials(OuterRef(OuterRef("pk"))).filter(item_id=OuterRef("item_id"))
    )
    with transaction.atomic():
        flagged = (
            Case.objects.filter(
                status=Status.ACCEPTED_WITH_MISSING_MATERIALS,
                materials_due_on__lt=today,
                materials_overdue_on__isnull=True,
            )
            .filter(still_missing)
            .update(materials_overdue_on=today)
        )
        cleared = (
            Case.objects.filter(materials_overdue_on__isnull=False)
            .exclude(status=Status.ACCEPTED_WITH_MISSING_MATERIALS)
            .update(materials_overdue_on=None)
        )
    # The cases flagged today (also on a second run the same day: the keys stop repeats).
    late = Case.objects.filter(
        materials_overdue_on=today, status=Status.ACCEPTED_WITH_MISSING_MATERIALS
    ).select_related("applicant_user", "item")
    messages = []
    for case in late:

        def compose(case: Case = case) -> tuple[str, str]:
            subject = _("Case %(reference)s: materials overdue") % {"reference": case.reference}
            body = _(
                "Your application for “%(item)s” was accepted with materials to follow, due by "
                "%(date)s, and they have not all been supplied (to follow: %(materials)s). "
                "Please supply them now or contact the acceptance point."
            ) % {
                "item": local_name(case.item),
                "date": case.materials_due_on.isoformat() if case.materials_due_on else "",
                "materials": "、".join(case.missing_materials) or "—",
            }
            return subject, body

        subject, body = in_each_language(compose)
        messages += to_person(
            user=case.applicant_user,
            mobile=case.applicant_mobile,
            subject=subject,
            body=body,
            link=case.get_absolute_url(),
            key=f"case-{case.pk}-materials-overdue-{case.materials_due_on}",
        )
    sent = send_bulk(messages) if messages else 0
    return {"materials_flagged": flagged, "materials_cleared": cleared, "materials_reminders": sent}

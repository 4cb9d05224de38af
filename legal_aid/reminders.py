"""The daily run, set-based: one UPDATE lapses every overdue materials request, one bulk insert
logs them in the workflow's shared log, counts per centre come from one GROUP BY, and the
messages go out through ``send_bulk`` (one bulk insert)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from portal.languages import in_each_language
from portal.workflow import write_log_bulk

from .models import AWAITING_DECISION, LegalAidApplication, StaffMembership, State
from .selectors import overdue_q


@transaction.atomic
def lapse_overdue_materials(today: datetime.date | None = None) -> int:
    """Article 43: materials not supplied in time, the application counts as withdrawn."""
    today = today or timezone.localdate()
    due = LegalAidApplication.objects.filter(
        state=State.MATERIALS_REQUESTED, materials_due__lt=today
    )
    # lock the rows so an applicant supplying at this moment waits for us (or we for them)
    rows = list(due.select_for_update().values_list("pk", "reference"))
    if not rows:
        return 0
    references = [reference for _pk, reference in rows]
    note = in_each_language(
        lambda: gettext("The requested materials were not supplied in time; counts as withdrawn.")
    )
    write_log_bulk(
        "legal_aid",
        LegalAidApplication,
        [pk for pk, _reference in rows],
        "lapse",
        source=State.MATERIALS_REQUESTED,
        target=State.LAPSED,
        note=note,
    )
    count = due.update(state=State.LAPSED)
    _notify_lapsed(references)
    return count


def _notify_lapsed(references: list[str]) -> None:
    """The notice a lapse taken on the page sends (the table's ``lapse`` step), to the
    inbox of applicants with an account and by SMS to the mobile number on the application, so
    a person whose application was recorded at the counter hears of it too."""

    def send() -> None:
        from portal.notifications.services import send_bulk, to_person

        from .services.steps import LAPSED

        rows = LegalAidApplication.objects.filter(reference__in=references).select_related(
            "applicant"
        )
        messages = []
        for app in rows:
            subject, body = LAPSED.texts(app.reference)
            messages += to_person(
                user=app.applicant,
                mobile=app.phone,
                subject=subject,
                body=body,
                link=reverse("legal_aid:application", args=[app.reference]),
                key=f"legal_aid:{app.reference}:lapsed",
            )
        if messages:
            send_bulk(messages)

    transaction.on_commit(send)


def _centre_texts(row: dict) -> tuple[str, str]:
    counts = {"overdue": row["overdue"], "due": row["due"]}
    return in_each_language(
        lambda: (
            gettext("Legal aid: %(overdue)s overdue, %(due)s due tomorrow") % counts,
            gettext("Open the worklist and filter by “overdue” to act on them."),
        )
    )


def _materials_due_texts(reference: str) -> tuple[str, str]:
    return in_each_language(
        lambda: (
            gettext("Legal aid %(ref)s: materials due tomorrow") % {"ref": reference},
            gettext(
                "Upload the requested materials by tomorrow, or the application counts as "
                "withdrawn."
            ),
        )
    )


def send_reminders(today: datetime.date | None = None) -> int:
    """One message per staff member of a centre with applications due tomorrow or overdue,
    and one per applicant whose materials are due tomorrow."""
    from portal.notifications.services import OutgoingMessage, send_bulk

    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    due_soon = (
        Q(state__in=AWAITING_DECISION, decision_due=tomorrow)
        | Q(state=State.GRANTED, assignment_due=tomorrow)
        | Q(state=State.OBJECTION_LODGED, objection_due=tomorrow)
    )
    per_centre = {
        row["competent_centre"]: row
        for row in LegalAidApplication.objects.values("competent_centre")
        .annotate(overdue=Count("pk", filter=overdue_q(today)), due=Count("pk", filter=due_soon))
        .filter(Q(overdue__gt=0) | Q(due__gt=0))
    }
    messages: list = []
    link = reverse("legal_aid:worklist")
    texts = {centre: _centre_texts(row) for centre, row in per_centre.items()}
    for member in StaffMembership.objects.filter(centre_id__in=list(per_centre)).select_related(
        "user"
    ):
        subject, body = texts[member.centre_id]
        messages.append(
            OutgoingMessage(
                channel="inbox",
                recipient=member.user,
                subject=subject,
                body=body,
                link=link + "?overdue=1",
                key=f"legal_aid:reminder:{today}:{member.user_id}",
            )
        )
    materials = LegalAidApplication.objects.filter(
        state=State.MATERIALS_REQUESTED, materials_due=tomorrow, applicant__isnull=False
    ).select_related("applicant")
    for app in materials.iterator():
        subject, body = _materials_due_texts(app.reference)
        messages.append(
            OutgoingMessage(
                channel="inbox",
                recipient=app.applicant,
                subject=subject,
                body=body,
                link=reverse("legal_aid:application", args=[app.reference]),
                key=f"legal_aid:{app.reference}:materials_due:{tomorrow}",
            )
        )
    if not messages:
        return 0
    return send_bulk(messages)

"""Progress notes: what the lawyer or the centre did, shown to the applicant; the first note
takes the workflow's ``begin`` step."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from portal.languages import in_each_language
from portal.workflow import Invalid, NotAllowed, NotNow

from ..access import competent_staff_or_lawyer
from ..models import TAKES_PROGRESS_NOTES, ProgressNote, State
from .notices import notify_applicant
from .steps import locked, take


@transaction.atomic
def add_progress_note(reference: str, user: Any, text: str) -> ProgressNote:
    """A progress note the applicant sees; the first one starts the case (in progress)."""
    if not text.strip():
        message = gettext("Write what happened.")
        raise Invalid(message, {"text": [message]})
    app = locked(reference)
    if not competent_staff_or_lawyer(user, app):
        raise NotAllowed(gettext("You may not take this step on this application."))
    if app.state not in TAKES_PROGRESS_NOTES:
        raise NotNow(
            gettext(
                "Progress notes can be added once a lawyer is assigned and until the case closes."
            ),
            "state_changed",
        )
    if app.state == State.LAWYER_ASSIGNED:
        app = take(
            app, "begin", user, note=in_each_language(lambda: gettext("Work on the case started."))
        )
    note = ProgressNote.objects.create(application=app, author=user, text=text.strip())
    notify_applicant(
        app,
        f"progress:{note.pk}",
        lambda: (gettext("Legal aid %(ref)s: progress") % {"ref": app.reference}, note.text[:300]),
    )
    return note

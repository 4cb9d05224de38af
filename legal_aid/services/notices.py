"""What the applicant is told, after commit: to their inbox when they have an account and by
SMS to the mobile number on the application (a walk-in applicant has no account)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.functional import Promise

from portal.languages import Localized, in_each_language

from ..models import LegalAidApplication

logger = logging.getLogger(__name__)


def _send(app_id: int, key: str, subject: str, body: str) -> None:
    try:
        from portal.notifications.models import Action
        from portal.notifications.services import send_bulk, to_person

        app = LegalAidApplication.objects.select_related("applicant").get(pk=app_id)
        send_bulk(
            to_person(
                user=app.applicant,
                mobile=app.phone,
                subject=subject,
                body=body,
                link=reverse("legal_aid:application", args=[app.reference]),
                key=key,
                action=Action.VIEW_APPLICATION,
            )
        )
    except Exception:  # a notice never undoes a committed decision
        logger.exception("legal aid notice %s failed", key)


def notify_applicant(
    app: LegalAidApplication, what: str, compose: Callable[[], tuple[str, str]]
) -> None:
    """Tell the applicant once the transaction commits (``what`` makes the message's key).
    ``compose`` returns the subject and body; it is run in each of the portal's languages, so the
    SMS says it in Chinese and the inbox in the language the applicant reads the portal in."""
    key = f"legal_aid:{app.reference}:{what}"
    app_id = app.pk
    subject, body = in_each_language(compose)
    transaction.on_commit(lambda: _send(app_id, key, subject, body))


@dataclass(frozen=True)
class Tell:
    """A step's notice to the applicant (the ``notice`` column of the workflow table): its
    subject and body may use ``%(ref)s`` and ``%(note)s`` (the step's log note)."""

    subject: str | Promise
    body: str | Promise

    def _say(self, reference: str, note: str) -> tuple[str, str]:
        values = {"ref": reference, "note": note}
        return str(self.subject) % values, str(self.body) % values

    def texts(self, reference: str, note: str = "") -> tuple[Localized, Localized]:
        """The subject and body in each of the portal's languages (ADR 0125)."""
        return in_each_language(lambda: self._say(reference, note))

    def __call__(self, app: LegalAidApplication, log: Any) -> None:
        # the step's note in each language too, where the portal wrote it
        subject, body = in_each_language(lambda: self._say(app.reference, log.note_text))
        _send(app.pk, f"legal_aid:{app.reference}:{log.step}:{log.pk}", subject, body)

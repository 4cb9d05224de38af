"""Allocation of granted cases to the lawyers of a centre's case rota (ADR 0106), and the steps
of the workflow that offer, accept, decline and pass on a case (legal_aid/workflows.py).

The rule: of the rota's active lawyers who take the application's category and are under their
capacity (and have not declined or let lapse an offer of this case), the one with the lowest
load per weight, where the load is their open cases (assigned or in progress) plus the offers
awaiting their answer; ties go to the rota's order. Like cla_backend's provider allocation it is
weighted per provider and category; unlike it, it is deterministic and follows the load, so
a run of granted cases spreads evenly (within one case) and a lawyer who closes cases gets new
ones sooner."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from portal import workdays
from portal.languages import in_each_language
from portal.workflow import Context, NotNow, Refused

from ..models import (
    TAKES_PROGRESS_NOTES,
    CaseOffer,
    Lawyer,
    LegalAidApplication,
    OfferState,
    RotaEntry,
    RotaKind,
)


def offer_working_days() -> int:
    return int(getattr(settings, "LEGAL_AID_OFFER_WORKING_DAYS", 1))


def respond_by(now: datetime.datetime) -> datetime.datetime:
    """The end of the ``offer_working_days()``-th working day after the offer (local time)."""
    last = workdays.add_working_days(timezone.localtime(now).date(), offer_working_days())
    return timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )


def rota_entries(centre_id: int):
    return (
        RotaEntry.objects.filter(
            rota__kind=RotaKind.CASES,
            rota__centre_id=centre_id,
            rota__is_active=True,
            lawyer__is_active=True,
        )
        .select_related("lawyer")
        .order_by("rota_id", "position", "id")
    )


def has_rota(centre_id: int) -> bool:
    return rota_entries(centre_id).exists()


def loads(lawyer_ids: list[int]) -> dict[int, int]:
    """Open cases plus offers awaiting an answer, per lawyer: two grouped counts."""
    found = dict.fromkeys(lawyer_ids, 0)
    for row in (
        LegalAidApplication.objects.filter(lawyer_id__in=lawyer_ids, state__in=TAKES_PROGRESS_NOTES)
        .values("lawyer_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found[row["lawyer_id"]] += row["n"]
    for row in (
        CaseOffer.objects.filter(lawyer_id__in=lawyer_ids, state=OfferState.OFFERED)
        .values("lawyer_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found[row["lawyer_id"]] += row["n"]
    return found


def takes(lawyer: Lawyer, category: str) -> bool:
    return not lawyer.categories or category in lawyer.categories


def ranked(
    app: LegalAidApplication, exclude: set[int] | frozenset[int] = frozenset()
) -> list[Lawyer]:
    """The rota's suitable lawyers for ``app``, the next one first."""
    entries: dict[int, tuple[int, int, Lawyer]] = {}  # lawyer -> (weight, order, lawyer)
    for order, entry in enumerate(rota_entries(app.competent_centre_id)):
        lawyer = entry.lawyer
        if lawyer.pk in exclude or not takes(lawyer, app.category):
            continue
        weight, first, _ = entries.get(lawyer.pk, (0, order, lawyer))
        entries[lawyer.pk] = (max(weight, entry.weight), first, lawyer)
    load = loads(list(entries))
    free = [
        (load[pk] / weight, load[pk], order, pk, lawyer)
        for pk, (weight, order, lawyer) in entries.items()
        if load[pk] < lawyer.capacity
    ]
    return [row[-1] for row in sorted(free, key=lambda row: row[:4])]


def open_offer(app: LegalAidApplication) -> CaseOffer | None:
    return app.offers.filter(state=OfferState.OFFERED).select_related("lawyer").first()


def _current(app: LegalAidApplication) -> CaseOffer:
    current = open_offer(app)
    if current is None:  # the condition checked it; a race lost to another answer
        raise NotNow(gettext("No offer of this case is awaiting an answer."), "state_changed")
    return current


# --- the workflow's conditions, who and effects -----------------------------------------------


def may_offer(app: LegalAidApplication, data: dict) -> str | None:
    if app.lawyer_id is not None:
        return gettext("A lawyer is assigned already.")
    if open_offer(app) is not None:
        return gettext("The case is offered to a lawyer already; wait for the answer.")
    if not has_rota(app.competent_centre_id):
        return gettext("This centre has no case rota: assign a lawyer by hand.")
    return None


def offer_open(app: LegalAidApplication, data: dict) -> str | None:
    if open_offer(app) is None:
        return gettext("No offer of this case is awaiting an answer.")
    return None


def offer_overdue(app: LegalAidApplication, data: dict) -> str | None:
    offer = open_offer(app)
    if offer is not None and offer.respond_by <= timezone.now():
        return None
    return gettext("The lawyer's time to answer has not run out.")


def _passed_over(app: LegalAidApplication) -> set[int]:
    """Lawyers who declined this case or let its offer lapse: not offered it again."""
    return set(
        app.offers.filter(state__in=[OfferState.DECLINED, OfferState.EXPIRED]).values_list(
            "lawyer_id", flat=True
        )
    )


def _offer_to(app: LegalAidApplication, lawyer: Lawyer, ctx: Context) -> CaseOffer:
    offer = CaseOffer.objects.create(
        application=app, lawyer=lawyer, offered_at=ctx.now, respond_by=respond_by(ctx.now)
    )
    ctx.log_data["lawyer"] = lawyer.pk
    return offer


def _offered_note(offer: CaseOffer) -> str:
    return gettext("Offered to %(lawyer)s, %(firm)s, by the rota; answer by %(due)s.") % {
        "lawyer": offer.lawyer.name,
        "firm": offer.lawyer.firm,
        "due": timezone.localtime(offer.respond_by).strftime("%Y-%m-%d %H:%M"),
    }


def offer(app: LegalAidApplication, ctx: Context) -> None:
    found = ranked(app, _passed_over(app))
    if not found:
        raise NotNow(
            gettext(
                "No lawyer on the centre's rota takes this category and has room: assign one "
                "by hand."
            ),
            "no_lawyer",
        )
    made = _offer_to(app, found[0], ctx)
    ctx.note = ctx.note or in_each_language(lambda: _offered_note(made))


def _pass_on(app: LegalAidApplication, ctx: Context, state: str, reason: str) -> None:
    current = _current(app)
    current.state = state
    current.answered_at = ctx.now
    current.reason = reason
    current.save(update_fields=["state", "answered_at", "reason"])
    found = ranked(app, _passed_over(app))
    made = _offer_to(app, found[0], ctx) if found else None

    def note() -> str:
        before = (
            gettext("%(lawyer)s declined: %(reason)s.")
            if state == OfferState.DECLINED
            else gettext("%(lawyer)s did not answer in time.")
        ) % {"lawyer": current.lawyer.name, "reason": reason}
        after = (
            _offered_note(made)
            if made is not None
            else gettext("No other lawyer on the rota is free: the centre assigns one by hand.")
        )
        return f"{before} {after}"

    ctx.note = in_each_language(note)


def decline(app: LegalAidApplication, ctx: Context) -> None:
    reason = (ctx.data.get("reasons") or "").strip()
    if not reason:
        raise ctx.invalid("reasons", gettext("Say why you decline the case."))
    _pass_on(app, ctx, OfferState.DECLINED, reason)


def expire(app: LegalAidApplication, ctx: Context) -> None:
    _pass_on(app, ctx, OfferState.EXPIRED, "")


def accept(app: LegalAidApplication, ctx: Context) -> None:
    from .steps import assign

    current = _current(app)
    current.state = OfferState.ACCEPTED
    current.answered_at = ctx.now
    current.save(update_fields=["state", "answered_at"])
    assign(app, current.lawyer, ctx)
    ctx.note = ctx.note or in_each_language(
        lambda: (
            gettext("%(lawyer)s, %(firm)s, accepted the case.")
            % {"lawyer": current.lawyer.name, "firm": current.lawyer.firm}
        )
    )


def withdraw_open_offer(app: LegalAidApplication, ctx: Context) -> CaseOffer | None:
    """Staff chose a lawyer by hand: the offer awaiting an answer is withdrawn."""
    if ctx.unsaved:  # replayed before its first insert: no offer of it can exist
        return None
    current = open_offer(app)
    if current is not None:
        current.state = OfferState.WITHDRAWN
        current.answered_at = ctx.now
        current.reason = ctx.data.get("reason") or ""
        current.save(update_fields=["state", "answered_at", "reason"])
    return current


# --- outside the steps ------------------------------------------------------------------------


def offer_if_rota(app: LegalAidApplication) -> LegalAidApplication:
    """After a grant: offer the case to the next lawyer when the centre has a case rota (no
    lawyer free: it stays granted for the staff to assign by hand)."""
    from .steps import take

    if app.lawyer_id is not None or not has_rota(app.competent_centre_id):
        return app
    try:
        return take(app.reference, "offer", None)
    except Refused:
        return app


def pass_on_expired_offers(now: datetime.datetime | None = None) -> int:
    """Offers not answered in time go to the next lawyer (the daily run, and every hour)."""
    from .steps import take

    now = now or timezone.now()
    passed = 0
    references = CaseOffer.objects.filter(
        state=OfferState.OFFERED, respond_by__lte=now
    ).values_list("application__reference", flat=True)
    for reference in list(references):
        try:
            take(reference, "expire_offer", None)
        except Refused:
            continue
        passed += 1
    return passed


def offers_for(user: Any):
    """The offers awaiting an answer of the lawyer ``user`` is, oldest first."""
    return (
        CaseOffer.objects.filter(state=OfferState.OFFERED, lawyer__user_id=user.pk)
        .select_related("application__competent_centre", "lawyer")
        .order_by("respond_by", "id")
    )


def lawyer_q(user: Any) -> Q:
    return Q(lawyer__user_id=user.pk)

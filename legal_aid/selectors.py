"""Queries: routing to the competent centre, what a user may see, worklists, drafts."""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField as BoolField
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import workflow
from portal.access import NOTHING, policy_for, visible
from portal.accounts.permissions import is_administrator
from portal.catalogue.models import QINGDAO_CODE, Region
from portal.workflow.models import WorkflowLog

from . import permissions as perms
from .access import competent_staff_or_lawyer
from .models import (
    AWAITING_DECISION,
    OPEN_STATES,
    TAKES_PROGRESS_NOTES,
    TIME_LIMITED_STATES,
    Body,
    BodyKind,
    CaseOffer,
    Centre,
    CentreKind,
    Consultation,
    Lawyer,
    LegalAidApplication,
    MatterType,
    OfferState,
    State,
)

# ---------------------------------------------------------------------------------------------
# Routing (Legal Aid Law article 38)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routing:
    centre: Centre
    reason: str  # in the active language
    reason_zh: str
    reason_en: str


CITY_LEVEL_BODIES = {BodyKind.INTERMEDIATE_COURT, BodyKind.MARITIME_COURT}


def centre_for_region(region: Region) -> Centre:
    """The legal-aid centre of a district or county-level city; the city centre for the city."""
    if not region.in_qingdao:
        raise ValidationError(
            _(
                "%(region)s is outside Qingdao: apply to the legal-aid centre there, or call "
                "12348 for help."
            ),
            code="outside_qingdao",
            params={"region": region.name},
        )
    centre = Centre.objects.filter(kind=CentreKind.CENTRE, region_id=region.code).first()
    if centre is None:
        centre = Centre.objects.filter(kind=CentreKind.CENTRE, region_id=QINGDAO_CODE).first()
    if centre is None:
        raise ValidationError(_("No legal-aid centre is set up yet."), code="no_centre")
    return centre


def _name(thing: Centre | Body | Region, english: bool) -> str:
    """A centre's, body's or region's name in the active language (Chinese when it has no
    English name)."""
    return (thing.name_en or thing.name) if english else thing.name


def _reason(matter_type: str, body: Body | None, place: Region | None, centre: Centre) -> str:
    """The routing reason in the active language (names follow the language too)."""
    english = translation.get_language() == "en"
    names = {"centre": _name(centre, english)}
    if body is not None:
        names.update(body=_name(body, english), region=_name(body.region, english))
    if matter_type == MatterType.LITIGATION and body is not None and body.kind in CITY_LEVEL_BODIES:
        text = gettext(
            "Litigation matters go to the legal-aid centre where the court or case-handling "
            "body sits (Legal Aid Law, article 38). %(body)s is a city-level court, so the "
            "competent centre is %(centre)s."
        )
    elif matter_type == MatterType.LITIGATION and body is not None:
        text = gettext(
            "Litigation matters go to the legal-aid centre where the court or case-handling body "
            "sits (Legal Aid Law, article 38). %(body)s sits in %(region)s, so the competent "
            "centre is %(centre)s."
        )
    elif body is not None:
        text = gettext(
            "Non-litigation matters go to the legal-aid centre where the dispute-handling body "
            "sits or where the matter arose (Legal Aid Law, article 38). %(body)s sits in "
            "%(region)s, so the competent centre is %(centre)s."
        )
    else:
        if place is None:  # route() asks for a place when there is no body
            raise ValueError("a place is needed to explain a routing without a body")
        names["region"] = _name(place, english)
        text = gettext(
            "Non-litigation matters go to the legal-aid centre where the dispute-handling body "
            "sits or where the matter arose (Legal Aid Law, article 38). The matter arose in "
            "%(region)s, so the competent centre is %(centre)s."
        )
    return text % names


def route(matter_type: str, body: Body | None = None, place: Region | None = None) -> Routing:
    """The competent centre for a matter and why.

    Litigation: where the court or case-handling body sits (the intermediate and maritime courts
    are city-level: the city centre). Non-litigation: where the dispute-handling body sits, or,
    without one, where the matter arose."""
    if matter_type not in MatterType.values:
        raise ValidationError(_("Choose litigation or non-litigation."), code="matter_type")
    if matter_type == MatterType.LITIGATION and body is None:
        raise ValidationError(
            _("For a litigation matter, name the court or case-handling body."), code="body"
        )
    if body is None and place is None:
        raise ValidationError(
            _("Name the body handling the dispute or the place where the matter arose."),
            code="place",
        )
    if body is not None and body.kind in CITY_LEVEL_BODIES:
        centre = centre_for_region(Region.objects.get(code=QINGDAO_CODE))
    elif body is not None:
        centre = centre_for_region(body.region)
    else:
        centre = centre_for_region(cast(Region, place))  # not None: refused above
    with translation.override("zh-hans"):
        reason_zh = _reason(matter_type, body, place, centre)
    with translation.override("en"):
        reason_en = _reason(matter_type, body, place, centre)
    return Routing(
        centre=centre,
        reason=_reason(matter_type, body, place, centre),
        reason_zh=reason_zh,
        reason_en=reason_en,
    )


def routing_reason(application: LegalAidApplication) -> str:
    """The stored routing reason in the active language."""
    if translation.get_language() == "en":
        return application.routing_reason_en
    return application.routing_reason


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


def centres() -> QuerySet[Centre]:
    return Centre.objects.select_related("region", "parent").order_by("code")


def bodies() -> QuerySet[Body]:
    return Body.objects.select_related("region").order_by("code")


def qingdao_regions() -> QuerySet[Region]:
    return Region.objects.filter(code__startswith="3702").order_by("code")


# ---------------------------------------------------------------------------------------------
# Applications: who sees what, overdue flags, worklist
# ---------------------------------------------------------------------------------------------


def overdue_q(today: datetime.date | None = None) -> Q:
    """Applications past a time limit that is still running."""
    today = today or timezone.localdate()
    return (
        Q(state__in=AWAITING_DECISION, decision_due__lt=today)
        | Q(state=State.GRANTED, assignment_due__lt=today)
        | Q(state=State.MATERIALS_REQUESTED, materials_due__lt=today)
        | Q(state=State.OBJECTION_LODGED, objection_due__lt=today)
    )


def with_overdue(qs: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return qs.annotate(
        is_overdue=Case(
            When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BoolField()
        )
    )


def applications_for_applicant(user: Any) -> QuerySet[LegalAidApplication]:
    return with_overdue(
        LegalAidApplication.objects.filter(applicant=user)
        .select_related("competent_centre", "accepting_centre")
        .order_by("-submitted_at")
    )


def staff_visible(user: Any) -> QuerySet[LegalAidApplication]:
    """The worklist's applications: those the application's policy lets ``user`` read (for
    staff: where their centre is competent or accepted it; for the bureau also its branches)."""
    if not perms.is_staff_member(user) and not is_administrator(user):
        return LegalAidApplication.objects.none()
    return visible(user, LegalAidApplication)


# overdue first, then by decision date, the latest submission first; the id makes it total
WORKLIST_ORDER = ("decision_due", "-submitted_at", "-pk")
WORKLIST_RELATED = ("competent_centre", "accepting_centre", "lawyer")


def _worklist_filters(
    qs: QuerySet[LegalAidApplication], *, state: str, overdue: bool, q: str
) -> QuerySet[LegalAidApplication]:
    if state == "all":
        pass
    elif state:
        qs = qs.filter(state=state)
    else:  # the work to do: open applications (finished ones with state=all or by state)
        qs = qs.filter(state__in=OPEN_STATES)
    if overdue:
        qs = qs.filter(overdue_q())
    if q:
        qs = qs.filter(Q(reference__iexact=q.strip()) | Q(applicant_name=q.strip()))
    return qs


def worklist(
    user: Any, *, state: str = "", overdue: bool = False, q: str = ""
) -> QuerySet[LegalAidApplication]:
    """The worklist as one queryset (its order is :func:`worklist_page`'s)."""
    qs = _worklist_filters(staff_visible(user), state=state, overdue=overdue, q=q)
    return (
        with_overdue(qs).select_related(*WORKLIST_RELATED).order_by("-is_overdue", *WORKLIST_ORDER)
    )


def _visibility_branches(q: Q) -> list[Q]:
    """The OR terms of a visibility condition, an ``__in`` list of centres split into one term
    per centre: each term is then one range of an index in worklist order."""
    terms: list[Any] = list(q.children) if q.connector == Q.OR and not q.negated else [q]
    branches: list[Q] = []
    for term in terms:
        if isinstance(term, tuple) and term[0].endswith("__in"):
            lookup, values = term
            if isinstance(values, QuerySet):
                values = list(values.values_list("pk", flat=True))
            branches += [Q(**{lookup.removesuffix("__in"): value}) for value in values]
        elif isinstance(term, tuple):
            branches.append(Q(term))
        else:
            branches.append(term)
    return branches


def _ordered_ids(
    branches: list[QuerySet], offset: int, limit: int, *, in_order: bool = True
) -> list[int]:
    """Rows [offset, offset + limit) of the union of ``branches`` in worklist order (one
    statement). ``in_order``: each branch is read in that order from its index, only as far as
    the page (a UNION of per-branch ORDER BY ... LIMIT subqueries), for rows most of the branch
    has; otherwise each branch gives all its rows, for rows few have (the overdue ones), which
    an ordered index would have to skip through the whole branch to find."""
    if not branches:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for n, branch in enumerate(branches):
        sub = branch.values_list("pk", "decision_due", "submitted_at").order_by()
        if in_order:  # at least one row: a LIMIT 0 subquery is no SQL to the ORM
            sub = sub.order_by(*WORKLIST_ORDER)[: max(1, offset + limit)]
        try:
            sql, sub_params = sub.query.sql_with_params()
        except EmptyResultSet:  # a branch that can hold nothing (e.g. no centre)
            continue
        parts.append(f"SELECT * FROM ({sql}) AS b{n}")  # noqa: S608  (the ORM's own SQL)
        params.extend(sub_params)
    if not parts:
        return []
    statement = (
        f"SELECT * FROM ({' UNION '.join(parts)}) AS u "  # noqa: S608  (the ORM's own SQL)
        f"ORDER BY 2 ASC, 3 DESC, 1 DESC LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


WORKLIST_CACHE_SECONDS = 3600


class _Worklist:
    """The worklist for Django's Paginator (``count()`` and slicing), a page read without
    sorting every visible application: the overdue ones first (few: all of them, from the
    states with a running time limit), then the others from the visibility's branches
    (competent centre, accepting centre, own), each read in worklist order from the indexes
    la_app_centre_worklist and la_app_accept_worklist only as far as the page. ADR 0100.

    The count and the page's ids are kept in the default cache under the statistics' version
    (``statistics_version``: the database replaces it in the transaction of every write of the
    applications, centres, lawyers and consultations), today's date (what is overdue), the
    viewer's visibility by the SQL it filters with, the filters and the page (ADR 0122). A
    change shows on the next view; a view that finds its key reads the version row and the
    page's rows instead of compiling and running the count and the branches. A search (kept in
    the session, ADR 0104) is not cached: its name stays out of every key."""

    def __init__(
        self, user: Any, *, state: str, overdue: bool, q: str, version: int | None = None
    ) -> None:
        if not perms.is_staff_member(user) and not is_administrator(user):
            self.visibility = NOTHING
        else:
            self.visibility = policy_for(LegalAidApplication).visible(user)
        self.state, self.only_overdue, self.q = state, overdue, q
        self._late: list[int] | None = None
        self._key: str | None = None
        if not q and self.visibility != NOTHING:
            from . import statistics_version

            if version is None:  # unless the caller has read it (the page's key: ADR 0123)
                version = statistics_version.current()
            if version is not None:
                viewer = LegalAidApplication.objects.filter(self.visibility).query
                digest = hashlib.blake2b(
                    f"{state}|{overdue}|{viewer}".encode(), digest_size=16
                ).hexdigest()
                self._key = (
                    f"legal_aid:worklist:{version}:{timezone.localdate().isoformat()}:{digest}"
                )

    @functools.cached_property
    def _base(self) -> QuerySet[LegalAidApplication]:
        return _worklist_filters(
            LegalAidApplication.objects.all(), state=self.state, overdue=False, q=self.q
        )

    @functools.cached_property
    def _branches(self) -> list[Q]:
        return [] if self.visibility == NOTHING else _visibility_branches(self.visibility)

    @functools.cached_property
    def overdue(self) -> list[QuerySet]:
        # overdue as a CASE, not as a WHERE of ORs: the planner then takes each branch's
        # (centre, state) index for the time-limited states instead of every overdue row
        today = timezone.localdate()
        return [
            with_overdue(self._base.filter(branch, state__in=TIME_LIMITED_STATES), today).filter(
                is_overdue=True
            )
            for branch in self._branches
        ]

    @functools.cached_property
    def on_time(self) -> list[QuerySet]:
        today = timezone.localdate()
        return [
            with_overdue(self._base.filter(branch), today).filter(is_overdue=False)
            for branch in self._branches
        ]

    def _cached(self, part: str, compute: Any) -> Any:
        if self._key is None:
            return compute()
        key = f"{self._key}:{part}"
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, WORKLIST_CACHE_SECONDS)
        return found

    def late(self) -> list[int]:
        """Every overdue application's id, in worklist order."""
        if self._late is None:
            self._late = _ordered_ids(self.overdue, 0, 10**9, in_order=False)
        return self._late

    def _count(self) -> int:
        if self.only_overdue:
            return len(self.late())
        if self.visibility == NOTHING:
            return 0
        return self._base.filter(self.visibility).count()

    def count(self) -> int:
        return self._cached("count", self._count)

    def __len__(self) -> int:
        return self.count()

    def _ids(self, start: int, stop: int) -> list[int]:
        late = self.late()
        ids = late[start:stop]
        if not self.only_overdue:
            # asked even when the overdue ones fill the page (LIMIT 0), so that a page makes
            # the same queries whatever the data
            ids += _ordered_ids(
                self.on_time, max(0, start - len(late)), max(0, stop - start - len(ids))
            )
        return ids

    def __getitem__(self, page: slice) -> list[LegalAidApplication]:
        start, stop = page.start or 0, page.stop or 0
        ids = self._cached(f"{start}:{stop}", lambda: self._ids(start, stop))
        rows = with_overdue(LegalAidApplication.objects.filter(pk__in=ids)).select_related(
            *WORKLIST_RELATED
        )
        by_id = {app.pk: app for app in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class WorklistPageKey:
    """What a viewer's worklist page shows depends on, for keeping it whole (ADR 0123): the
    statistics' version (the database raises it with every write of the applications, the
    offers made to lawyers, the centres and the lawyers' bindings), read before the rows, and
    the viewer's binding (centre, role)."""

    version: int
    binding: tuple[int, str] | None


def worklist_page_key(user: Any, *, q: str = "") -> WorklistPageKey | None:
    """The key of ``user``'s worklist page, or None when it is not to be kept: a search (a
    name stays out of every key, as in :class:`_Worklist`), or no version row (a test database
    flushed)."""
    if q:
        return None
    from . import statistics_version

    version = statistics_version.current()
    if version is None:
        return None
    binding = perms.membership(user)
    return WorklistPageKey(version, (binding.centre_id, binding.role) if binding else None)


def worklist_page(
    user: Any,
    *,
    state: str = "",
    overdue: bool = False,
    q: str = "",
    number: Any = 1,
    per_page: int = 25,
    version: int | None = None,
) -> Page:
    """A page of the worklist, in :func:`worklist`'s order, in a fixed number of queries (the
    count, the overdue rows, the rest, the rows of the page; the version and the rows when the
    cache holds the rest) whatever the number of applications. ``version``: the statistics'
    version, when the caller has read it already."""
    rows = _Worklist(user, state=state, overdue=overdue, q=q, version=version)
    return Paginator(rows, per_page).get_page(number)  # type: ignore[arg-type]


def application_for(user: Any, reference: str) -> LegalAidApplication | None:
    """The application if the user may read it in full, else None (shown as 404)."""
    app = (
        LegalAidApplication.objects.select_related(
            "competent_centre__parent",
            "competent_centre__region",
            "accepting_centre",
            "body__region",
            "place",
            "residence",
            "lawyer",
            "consultation",
            "applicant",
            "hardship_standard__region",
        )
        .filter(reference=reference)
        .first()
    )
    if app is None or not policy_for(LegalAidApplication).can_view(user, app):
        return None
    return app


def available_documents(app: LegalAidApplication) -> list[str]:
    """The PDFs the application has so far: the receipt, then the decision letter once decided
    and the assignment notice once a lawyer is assigned."""
    kinds = ["receipt"]
    if app.decision:
        kinds.append("decision")
    if app.assigned_at and app.lawyer_id:
        kinds.append("assignment")
    return kinds


def can_add_progress_note(app: LegalAidApplication, user: Any) -> bool:
    """The competent centre or the assigned lawyer, from the assignment until the case closes
    (the rule ``services.add_progress_note`` enforces)."""
    return app.state in TAKES_PROGRESS_NOTES and competent_staff_or_lawyer(user, app)


def available_actions(app: LegalAidApplication, user: Any) -> list[str]:
    """The steps this user may take now, in the table's order (buttons appear only for
    these)."""
    return [step.name for step in workflow.available_steps("legal_aid", app, user)]


def timeline(app: LegalAidApplication) -> QuerySet[WorkflowLog]:
    """The application's workflow log (the kernel's shared log), oldest first."""
    return workflow.log_of(app)


def consultations_for_caller(user: Any) -> QuerySet[Consultation]:
    """The 12348 consultations made from the user's mobile number."""
    from .access import caller_q

    q = caller_q(user)
    if q == NOTHING:
        return Consultation.objects.none()
    return (
        Consultation.objects.filter(q)
        .annotate(
            has_application=Exists(
                LegalAidApplication.objects.filter(consultation=OuterRef("pk"), applicant=user)
            )
        )
        .order_by("-handled_at")
    )


def consultations_for_staff(user: Any) -> QuerySet[Consultation]:
    """The hotline consultations the user's centre answered (the bureau: its centres';
    administrators: all)."""
    return visible(user, Consultation.objects.select_related("handled_by", "duty_lawyer")).order_by(
        "-handled_at"
    )


def lawyer_offers(lawyer: Lawyer):
    """The offers awaiting the lawyer's answer, the most urgent first."""
    return (
        CaseOffer.objects.filter(lawyer=lawyer, state=OfferState.OFFERED)
        .select_related("application")
        .order_by("respond_by", "id")
    )


def lawyer_cases(lawyer: Lawyer):
    """The applications assigned to the lawyer, the newest assignment first."""
    return LegalAidApplication.objects.filter(lawyer=lawyer).order_by("-assigned_at", "-id")

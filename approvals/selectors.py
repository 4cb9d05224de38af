"""Queries about cases: where an item may be accepted, the lists staff and applicants see, the
case page. Every function here runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.access import NOTHING, policy_for
from portal.accounts.models import Role
from portal.accounts.permissions import is_department_staff
from portal.catalogue.forms import local_name
from portal.catalogue.models import (
    QINGDAO_CODE,
    Department,
    ItemKind,
    ListEntry,
    Material,
    MaterialSource,
    Region,
    ServiceItem,
)
from portal.workflow import available_steps
from portal.workflow.models import WorkflowLog

from . import permissions as perms
from .models import (
    CLOCK_RUNNING,
    MATERIALS_OPEN,
    AcceptancePoint,
    Case,
    CaseMaterial,
    HandOff,
    PointKind,
    Status,
)

CITY_WIDE = "city_wide"
REGIONAL = "regional"
COMPETENT_REGION = "competent_region"
JIAODONG_FALLBACK = ("370200", "370600", "370700", "371000", "371100")


def city_code(region_code: str) -> str:
    return region_code[:4] + "00"


def is_city_region(region_code: str) -> bool:
    return region_code.endswith("00")


def point_in_department_region(point: AcceptancePoint, department: Department) -> bool:
    """Is the point in the competent department's region? Same district or county-level city,
    or the department works at city level and the point is in that city."""
    if point.region_id == department.region_id:
        return True
    return is_city_region(department.region_id) and city_code(point.region_id) == (
        department.region_id
    )


def jiaodong_city_codes() -> tuple[str, ...]:
    codes = tuple(
        Region.objects.filter(jiaodong_member=True, level="city")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return codes or JIAODONG_FALLBACK


def current_lists(item: ServiceItem) -> set[str]:
    """The kinds of the handling lists the item is on today."""
    return set(
        ListEntry.objects.filter(item=item, removed_on__isnull=True).values_list(
            "handling_list__kind", flat=True
        )
    )


@dataclass
class AcceptanceDecision:
    allowed: bool
    rule: str  # the rule that allows it, or "not_acceptable_here"
    message: str = ""
    places: list[str] = field(default_factory=list)


def acceptable_points_filter(item: ServiceItem, lists: set[str], jiaodong: tuple[str, ...]) -> Q:
    department_region = item.department.region_id
    where = Q(region_id=department_region)
    if is_city_region(department_region):
        where |= Q(region__code__startswith=department_region[:4])
    if CITY_WIDE in lists:
        where |= Q(region__code__startswith=QINGDAO_CODE[:4])
    if REGIONAL in lists:
        for code in jiaodong:
            where |= Q(region__code__startswith=code[:4])
    return where


def acceptable_points(item: ServiceItem, kinds: tuple[str, ...] | None = None) -> QuerySet:
    """The active acceptance points that may accept ``item`` (3 queries)."""
    lists = current_lists(item)
    jiaodong = jiaodong_city_codes() if REGIONAL in lists else ()
    qs = AcceptancePoint.objects.filter(
        acceptable_points_filter(item, lists, jiaodong), is_active=True
    ).select_related("region")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("region_id", "kind", "code")


def acceptance_decision(item: ServiceItem, point: AcceptancePoint) -> AcceptanceDecision:
    """May ``point`` accept ``item``? If not, say why and where it can be done instead."""
    department = item.department
    if point_in_department_region(point, department):
        return AcceptanceDecision(True, COMPETENT_REGION)
    lists = current_lists(item)
    point_city = city_code(point.region_id)
    if CITY_WIDE in lists and point_city == QINGDAO_CODE:
        return AcceptanceDecision(True, CITY_WIDE)
    jiaodong = jiaodong_city_codes()
    if REGIONAL in lists and point_city in jiaodong:
        return AcceptanceDecision(True, REGIONAL)

    places_qs = AcceptancePoint.objects.filter(
        acceptable_points_filter(item, lists, jiaodong),
        is_active=True,
        kind__in=[PointKind.SERVICE_HALL, PointKind.ONLINE_PLATFORM],
    ).order_by("region_id", "code")
    places = list(places_qs.values_list("name", flat=True)[:8])
    if REGIONAL in lists:
        why = _(
            "“%(item)s” is on the Jiaodong regional list, which only acceptance points in "
            "Qingdao, Yantai, Weifang, Weihai and Rizhao take; %(point)s is outside them."
        )
    elif CITY_WIDE in lists:
        why = _(
            "“%(item)s” is on the city-wide list, which only acceptance points in Qingdao "
            "take; %(point)s is outside Qingdao."
        )
    else:
        why = _(
            "“%(item)s” is on neither the city-wide nor the regional list, so only acceptance "
            "points in the region of its competent department (%(department)s) may accept it; "
            "%(point)s is outside that region."
        )
    message = why % {"item": item.name, "point": point.name, "department": department.name}
    if places:
        message += " " + _("You can apply at: %(places)s.") % {"places": "、".join(places)}
    if item.online:
        message += " " + _("This item can also be applied for online.")
    return AcceptanceDecision(False, "not_acceptable_here", message, places)


def online_platform() -> AcceptancePoint:
    """The city's online platform (``load_reference`` creates it; recreated if missing)."""
    point, _created = AcceptancePoint.objects.get_or_create(
        code=ONLINE_PLATFORM_CODE,
        defaults={
            "name": "青岛市政务服务网",
            "name_en": "Qingdao online government-service platform",
            "region_id": QINGDAO_CODE,
            "kind": PointKind.ONLINE_PLATFORM,
        },
    )
    return point


ONLINE_PLATFORM_CODE = "QD-ONLINE"


@dataclass
class OnlineAcceptance:
    """Where an online application is accepted, chosen by the portal (ADR 0103), and why;
    ``point`` is None when no point may accept the item (``refusal`` says where instead)."""

    point: AcceptancePoint | None
    reason: str
    refusal: AcceptanceDecision | None = None


def applicant_region_code(applicant_kind: str, id_number: str) -> str:
    """The district an identity number was issued in: digits 1-6 of a resident identity number
    (the household registration), digits 3-8 of a unified social credit code (the registering
    authority); "" when the number is too short to say."""
    number = (id_number or "").strip().upper()
    code = number[2:8] if applicant_kind == "company" else number[:6]
    return code if len(code) == 6 and code.isdigit() else ""


def online_acceptance_point(
    item: ServiceItem, applicant_kind: str = "person", id_number: str = ""
) -> OnlineAcceptance:
    """The acceptance point of an online application for ``item`` (at most 6 queries).

    1. The city's online platform, when it may accept the item (a city-level competent
       department, or the item is on the city-wide or the regional list): no hand-off needed.
    2. Otherwise a service hall that may accept it (the item is a district's or another city's
       and on no list): one in the competent department's own region first, so that no hand-off
       is needed; among those, the hall of the applicant's district (from the identity number);
       then by code. The applicant still applies online; the hall's clerks pre-review it.
    """
    platform = online_platform()
    decision = acceptance_decision(item, platform)
    names = {"item": local_name(item), "department": local_name(item.department)}
    if platform.is_active and decision.allowed:
        if decision.rule == CITY_WIDE:
            reason = _(
                "“%(item)s” is on the city-wide handling list, so the city's online platform "
                "accepts it wherever in Qingdao you live."
            )
        elif decision.rule == REGIONAL:
            reason = _(
                "“%(item)s” is on the Jiaodong regional handling list, so Qingdao's online "
                "platform accepts it."
            )
        else:
            reason = _(
                "The competent department, %(department)s, works for the whole city, so the "
                "city's online platform accepts the application."
            )
        return OnlineAcceptance(platform, reason % names)
    halls = list(acceptable_points(item, kinds=(PointKind.SERVICE_HALL,)))
    if not halls:
        refusal = decision if not decision.allowed else None
        message = refusal.message if refusal else _("No acceptance point is open for this item.")
        return OnlineAcceptance(None, message, refusal)
    home = applicant_region_code(applicant_kind, id_number)
    department = item.department
    halls.sort(
        key=lambda p: (
            not point_in_department_region(p, department),
            p.region_id != home,
            p.code,
        )
    )
    reason = _(
        "“%(item)s” is handled by %(department)s and is on neither the city-wide nor the "
        "regional list, so the service hall of its region accepts it. You still apply online "
        "and need not go there."
    )
    return OnlineAcceptance(halls[0], reason % names)


# ----- lists ---------------------------------------------------------------------------------

LIST_RELATED = ("item", "department", "accepting_point")


def open_statuses() -> list[str]:
    """The statuses the case workflow does not mark final."""
    from .workflows import CASE

    return [state.value for state in CASE.states if not state.final]


def case_policy():
    """The policy of cases (:mod:`approvals.access`): who sees which case, everywhere."""
    return policy_for(Case)


def _scoped(condition) -> QuerySet:
    return Case.objects.none() if condition == NOTHING else Case.objects.filter(condition)


def cases_for_applicant(user: Any) -> QuerySet:
    """The user's own applications (the part of the case policy that is the applicant's)."""
    return (
        _scoped(case_policy().applicant_q(user))
        .select_related(*LIST_RELATED)
        .order_by("-submitted_at", "-id")
    )


def staff_scope(user: Any) -> tuple[int | None, int | None]:
    """(department id, acceptance point id) the staff user works for."""
    department_id = user.department_id if is_department_staff(user) else None
    return department_id, perms.point_id_of(user)


def works_on_cases(user: Any) -> bool:
    """Does ``user`` have a case worklist (staff of a department or at an acceptance point)?
    The role is looked at first, so that asking about a citizen costs no query."""
    if getattr(user, "role", None) not in (Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR):
        return False
    return staff_scope(user) != (None, None)


def staff_cases(
    user: Any,
    *,
    scope: str = "department",
    status: str = "open",
    overdue_only: bool = False,
    materials_overdue_only: bool = False,
    search: str = "",
) -> QuerySet:
    """Cases a staff user works on: the department's (default) or those received at their point;
    ``search`` is a case number (exact) or part of the applicant's name.

    Overdue cases (the clock runs and the deadline has passed) come first, the most overdue
    first; then the others by deadline, cases without a deadline last. Sorting by deadline alone
    put a decided or paused case (its clock stopped, its old deadline earlier) before overdue
    ones (issue 14 point 4)."""
    policy = case_policy()
    qs = _scoped(policy.point_q(user) if scope == "point" else policy.department_q(user))
    if status == "open":
        qs = qs.filter(status__in=open_statuses())
    elif status and status != "all":
        qs = qs.filter(status=status)
    if overdue_only:
        # The flag set by the daily scan; the status and due-date terms (implied by it) let the
        # (department, status, due_on) index find the rows instead of scanning the department.
        qs = qs.filter(
            overdue=True, status__in=list(CLOCK_RUNNING), due_on__lt=timezone.localdate()
        )
    if materials_overdue_only:
        # Flagged by the daily scan of acceptance with materials to follow.
        qs = qs.filter(
            materials_overdue_on__isnull=False, status=Status.ACCEPTED_WITH_MISSING_MATERIALS
        )
    if search:
        qs = qs.filter(Q(reference=search.upper()) | Q(applicant_name__contains=search))
    return qs.select_related(*LIST_RELATED).order_by(
        overdue_first(), F("due_on").asc(nulls_last=True), "id"
    )


_STATUS_SLOT = "\x00status"  # a status no case has: the place of the status in a compiled shape


class _StaffWorklist:
    """The staff worklist for Django's Paginator (``count()`` and slicing), a page read without
    sorting the whole scope (ADR 0122). The order is :func:`staff_cases`'s: (overdue first,
    due date with the undated last, id). Sorting by the overdue CASE made PostgreSQL join and
    sort every open case of the department for each page (28,000 at 100,000 cases: 90 ms).

    Instead the rows are split into groups that an index gives in that order: for each status,
    the overdue ones (k=0: a running clock and a due date before today), the others with a due
    date (k=1) and those without (k=2), each read from ``case_dept_worklist_idx`` /
    ``case_point_worklist_idx`` (scope, status, due date, id) only as far as the page, and
    merged in one ``UNION ALL`` ordered by (k, due date, id). Then the page's rows. A search
    (part of a name, no index) keeps the one sorted query: its rows are few."""

    def __init__(
        self,
        sorted_cases: QuerySet,
        *,
        scope_q: Q,
        statuses: list[str],
        overdue_only: bool,
        materials_overdue_only: bool,
        search: str,
    ) -> None:
        self.sorted_cases = sorted_cases
        self.in_index_order = not search and scope_q != NOTHING
        today = timezone.localdate()
        running = {str(s) for s in CLOCK_RUNNING}
        extra = Q()
        if overdue_only:
            extra &= Q(overdue=True)
            statuses = [s for s in statuses if s in running]
        if materials_overdue_only:
            extra &= Q(materials_overdue_on__isnull=False)
            statuses = [s for s in statuses if s == Status.ACCEPTED_WITH_MISSING_MATERIALS]
        # (k, rows, order, statuses): one shape per group kind, compiled once and run per status
        # (compiling two dozen querysets cost more CPU than the statement's execution)
        self.shapes: list[tuple[int, QuerySet, tuple[str, ...], list[str]]] = []
        base = Case.objects.filter(scope_q, extra, status=_STATUS_SLOT)
        clocked = [s for s in statuses if s in running]
        stopped = [s for s in statuses if s not in running]
        self.shapes.append((0, base.filter(due_on__lt=today), ("due_on", "pk"), clocked))
        if not overdue_only:
            self.shapes += [
                (1, base.filter(due_on__gte=today), ("due_on", "pk"), clocked),
                (1, base.filter(due_on__isnull=False), ("due_on", "pk"), stopped),
                (2, base.filter(due_on__isnull=True), ("pk",), statuses),
            ]

    def count(self) -> int:
        return self.sorted_cases.count()

    def __len__(self) -> int:
        return self.count()

    def _ids(self, offset: int, limit: int) -> list[int]:
        parts: list[str] = []
        params: list[Any] = []
        for k, rows, order, statuses in self.shapes:
            if not statuses:
                continue
            sub = rows.values_list("pk", "due_on").order_by(*order)[: max(1, offset + limit)]
            try:
                sql, shape_params = sub.query.sql_with_params()
            except EmptyResultSet:
                continue
            slot = shape_params.index(_STATUS_SLOT)
            for status in statuses:
                name = f"b{len(parts)}"
                parts.append(f"SELECT {k} AS k, {name}.* FROM ({sql}) AS {name}")  # noqa: S608
                params += [*shape_params[:slot], status, *shape_params[slot + 1 :]]
        if not parts:
            return []
        statement = (
            f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS u "  # noqa: S608  (the ORM's SQL)
            f"ORDER BY 1, 3, 2 LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return [row[1] for row in cursor.fetchall()]

    def __getitem__(self, page: slice) -> list[Case] | QuerySet:
        if not self.in_index_order:
            return self.sorted_cases[page]
        start, stop = page.start or 0, page.stop or 0
        ids = self._ids(start, stop - start)
        by_id = Case.objects.select_related(*LIST_RELATED).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


def staff_worklist(
    user: Any,
    *,
    scope: str = "department",
    status: str = "open",
    overdue_only: bool = False,
    materials_overdue_only: bool = False,
    search: str = "",
) -> _StaffWorklist:
    """:func:`staff_cases` for a paginator (Django's or the API's): ``count()`` and slices,
    each slice read in index order (ADR 0122)."""
    policy = case_policy()
    scope_q = policy.point_q(user) if scope == "point" else policy.department_q(user)
    if status == "open":
        statuses = open_statuses()
    elif status and status != "all":
        statuses = [status]
    else:
        statuses = [s.value for s in Status]
    return _StaffWorklist(
        staff_cases(
            user,
            scope=scope,
            status=status,
            overdue_only=overdue_only,
            materials_overdue_only=materials_overdue_only,
            search=search,
        ),
        scope_q=scope_q,
        statuses=statuses,
        overdue_only=overdue_only,
        materials_overdue_only=materials_overdue_only,
        search=search,
    )


def staff_worklist_key(*, department_id: int | None, point_id: int | None) -> tuple | None:
    """What a staff member's worklist page shows depends on, for keeping it whole (ADR 0123):
    their department and point and the numbers the database keeps for them
    (``approvals.worklist_version``), read before the cases. None: not to be kept."""
    from . import worklist_version

    versions = worklist_version.numbers(department_id=department_id, point_id=point_id)
    return None if versions is None else ("cases", department_id, point_id, versions)


def staff_cases_page(user: Any, *, number: Any = 1, per_page: int = 25, **filters: Any) -> Page:
    """A page of :func:`staff_cases` in its order, in a fixed number of queries (the count, the
    page's ids, its rows) whose cost grows with the page's number, not with the scope's cases.
    ``filters``: :func:`staff_worklist`'s."""
    rows = staff_worklist(user, **filters)
    return Paginator(rows, per_page).get_page(number)  # type: ignore[arg-type]


def overdue_first() -> models.Case:
    """0 for a case overdue today (as its page's badge says: ``Case.is_overdue``), else 1."""
    return models.Case(
        models.When(
            status__in=list(CLOCK_RUNNING), due_on__lt=timezone.localdate(), then=models.Value(0)
        ),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


def default_staff_scope(user: Any, *, department_id: int | None, point_id: int | None) -> str:
    """The worklist a staff member opens on: their department's when it has open cases (or
    they have no point), else the cases received at their point (one query)."""
    if department_id is None:
        return "point"
    if point_id is None:
        return "department"
    has_work = staff_cases(user, scope="department").exists()
    return "department" if has_work else "point"


def overdue_cases(department: Department) -> QuerySet:
    return (
        Case.objects.filter(department=department, overdue=True, status__in=open_statuses())
        .select_related(*LIST_RELATED)
        .order_by("due_on", "id")
    )


def case_for_page(reference: str) -> Case | None:
    """A case with everything its page shows, in a fixed number of queries."""
    return (
        Case.objects.filter(reference=reference)
        .select_related(
            "item",
            "item__department",
            "department",
            "department__region",
            "accepting_point",
            "accepting_point__region",
            "applicant_user",
        )
        .prefetch_related(
            Prefetch("materials", queryset=CaseMaterial.objects.select_related("material")),
            Prefetch(
                "transitions",
                queryset=WorkflowLog.objects.select_related("by").order_by("at", "id"),
            ),
            Prefetch(
                "hand_offs",
                queryset=HandOff.objects.select_related(
                    "from_point", "from_point__region", "to_department", "sent_by", "received_by"
                ),
            ),
        )
        .first()
    )


# ----- required materials --------------------------------------------------------------------


def unanswered_materials(case_id: Any) -> QuerySet:
    """The required materials, of any item, that the case ``case_id`` (a value or an
    ``OuterRef``) holds nothing for. Filter by the case's item before use.

    Only materials the applicant hands in count: shared-data materials are fetched by the portal
    and commitments are ticked at submission, so neither can be missing. A material is answered
    by any case material recorded for it (an upload, a paper original checked at the counter, a
    shared-data record, a commitment), or by one recorded without the catalogue link under the
    same name (the materials proactive approval assembles from shared data)."""
    answered = CaseMaterial.objects.filter(case_id=case_id).filter(
        Q(material_id=OuterRef("pk")) | Q(material__isnull=True, name=OuterRef("name"))
    )
    return Material.objects.filter(required=True, source=MaterialSource.APPLICANT).filter(
        ~Exists(answered)
    )


def missing_materials(case: Case) -> list[Material]:
    """The case's required materials that have not been supplied, in catalogue order (1 query)."""
    return list(
        unanswered_materials(case.pk).filter(item_id=case.item_id).order_by("position", "id")
    )


def accepted_without(case: Case) -> list[str]:
    """The names of the materials the case was accepted without, in the page's language: on
    English pages the catalogue's English names (one query), the stored Chinese name where none."""
    names = list(case.missing_materials or [])
    if not names or not (get_language() or "").startswith("en"):
        return names
    english = dict(
        Material.objects.filter(item_id=case.item_id, name__in=names)
        .exclude(name_en="")
        .values_list("name", "name_en")
    )
    return [english.get(name, name) for name in names]


def decision_is_licensing(case: Case) -> bool:
    """Is the case's decision an administrative licensing decision (行政许可决定书)? Only for a
    licence item; any other item (a public service, a confirmation, a filing...) is answered by a
    notice of approval or refusal (准予/不予办理通知书)."""
    return case.item.kind == ItemKind.LICENCE


def decision_title(case: Case, approved: bool) -> str:
    """The decision document's title, by the item's kind and the outcome."""
    if decision_is_licensing(case):
        return (
            _("Decision to grant the licence")
            if approved
            else _("Decision not to grant the licence")
        )
    return _("Notice of approval") if approved else _("Notice of refusal")


def case_status(case_id: int) -> str:
    """The case's status as stored now (steps run after commit may have moved it on)."""
    return Case.objects.filter(pk=case_id).values_list("status", flat=True).first() or ""


def was_approved(case: Case) -> bool:
    """Was the case's decision to grant it? Its log says so (read from the log
    :func:`case_for_page` prefetched: no query)."""
    return case.status == Status.APPROVED or any(
        log.target == Status.APPROVED for log in case.transitions.all()
    )


def can_add_material(case: Case, user: Any) -> bool:
    """May ``user`` add a material to ``case`` now (the rule :func:`services.add_material`
    enforces)?"""
    return case.status in MATERIALS_OPEN and perms.applicant_or_point_staff(user, case)


def available_actions(case: Case, user: Any) -> list[dict]:
    """The steps ``user`` may take on ``case`` now, as button descriptions (from the table)."""
    from .workflows import CASE

    return [
        {"name": step.name, "label": step.label, "needs": step.inputs}
        for step in available_steps(CASE, case, user)
    ]


def visible_case(reference: str, user: Any) -> Case | None:
    """The case with everything its page shows (:func:`case_for_page`), or None when there is
    no such case or ``user`` may not see it: the two look the same from outside."""
    case = case_for_page(reference)
    if case is None or not case_policy().can_view(user, case):
        return None
    return case

"""The walk builders of every workflow (each app's section registers its own)."""

from __future__ import annotations

from portal.workflow import Step
from tests.factories import UserFactory

from . import walks_legal_aid  # noqa: F401  (legal aid's section registers itself)
from .walks import Walk, walk

# ----- cases (approvals) ---------------------------------------------------------------------

CASE_POINT_STEPS = {"accept", "accept_with_missing_materials", "refuse", "forward"}
CASE_APPLICANT_STEPS = {"supply_materials", "resubmit", "withdraw"}


@walk("case")
def case_walk(step: Step, source: str) -> Walk:
    from approvals.models import Case, Channel
    from tests.approvals.factories import (
        ServiceItemFactory,
        department_staff,
        district_department,
        hall,
        make_resident_id,
        material,
        point_staff,
    )

    department = district_department("370202")
    # A hand-off needs a point outside the department's region.
    point = hall("370212" if step.name == "forward" else "370202")
    item = ServiceItemFactory(department=department, missing_materials_allowed=True)
    if step.name == "accept_with_missing_materials":
        material(item, "场地使用证明")
    citizen = UserFactory()
    case = Case.objects.create(
        reference=f"QDWALK-{Case.objects.count() + 1:06d}",
        item=item,
        applicant_kind="person",
        applicant_id_number=make_resident_id(1),
        applicant_name="王小明",
        applicant_user=citizen,
        channel=Channel.ONLINE,
        accepting_point=point,
        department=department,
        status=source,
    )
    if step.name in CASE_POINT_STEPS or (
        step.name == "return_for_correction" and source == "submitted"
    ):
        allowed = point_staff(point)
    elif step.name in CASE_APPLICANT_STEPS:
        allowed = citizen
    else:
        allowed = department_staff(department)
    return Walk(case, allowed=allowed, refused=UserFactory())

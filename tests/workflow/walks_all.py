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
    item = ServiceItemFactory(
        department=department,
        missing_materials_allowed=True,
        smart_approval=step.name == "smart_approve",
    )
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
        # the courier was to bring the result: staff hand it over in person, with a reason
        delivery={"method": "courier"} if step.name == "hand_over" else {},
        # smart approval: the system approves an application its checks passed (ADR 0117)
        smart_assessment={"passed": True, "checks": []} if step.name == "smart_approve" else {},
    )
    if step.name == "smart_approve":
        return Walk(case, allowed=None, refused=department_staff(department))
    if step.name in CASE_POINT_STEPS or (
        step.name == "return_for_correction" and source == "submitted"
    ):
        allowed = point_staff(point)
    elif step.name in CASE_APPLICANT_STEPS:
        allowed = citizen
    else:
        allowed = department_staff(department)
    data = {"reasons": "到大厅自取"} if step.name == "hand_over" else {}
    return Walk(case, allowed=allowed, refused=UserFactory(), data=data)


# ----- rating follow-ups (portal.ratings) ----------------------------------------------------


@walk("follow_up")
def follow_up_walk(step: Step, source: str) -> Walk:
    from portal.accounts.models import Role
    from portal.ratings.services import rate
    from tests.factories import ServiceItemFactory

    item = ServiceItemFactory()
    follow_up = rate(subject=item, user=UserFactory(), score=1, department=item.department)
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, department=item.department)
    return Walk(follow_up.follow_up, allowed=staff, refused=UserFactory(role=Role.CITIZEN))


# ----- proactive offers and shipments (approvals.proactive) ----------------------------------


def _offer():
    import datetime

    from django.utils import timezone

    from approvals.proactive.models import Offer
    from tests.proactive.factories import CertificateFactory, ContactFactory, make_rule

    certificate = CertificateFactory()
    rule = make_rule(certificate.type)
    offer = Offer.objects.create(
        certificate=certificate,
        company=certificate.company,
        item=rule.item,
        rule=rule,
        reason="licence_change",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        created_at=timezone.now(),
    )
    contact = ContactFactory(company=certificate.company, user=UserFactory())
    return offer, contact.user


@walk("offer")
def offer_walk(step: Step, source: str) -> Walk:
    offer, contact_user = _offer()
    outsider = UserFactory()
    if step.name in ("send", "lapse"):
        return Walk(offer, allowed=None, refused=contact_user)
    # confirm: the service opens the case first and hands it to the step (none here).
    data = {"case": None} if step.name == "confirm" else {}
    return Walk(offer, allowed=contact_user, refused=outsider, data=data)


@walk("shipment")
def shipment_walk(step: Step, source: str) -> Walk:
    from approvals.proactive.models import Shipment

    offer, contact_user = _offer()
    shipment = Shipment.objects.create(
        offer=offer,
        case_reference="QDWALK",
        tracking_number=f"QDZWWALK{offer.pk:08d}",
        recipient_name="王建国",
        recipient_mobile="13953200001",
        address="青岛市市南区香港中路1号",
    )
    if step.name in ("retry", "pickup"):  # the holder (or staff) chooses
        return Walk(shipment, allowed=contact_user, refused=UserFactory())
    data = {}
    if step.name == "order":
        data = {"order_id": f"WALK{offer.pk}", "tracking_number": f"QDKDWALK{offer.pk:08d}"}
    return Walk(shipment, allowed=None, refused=contact_user, data=data)

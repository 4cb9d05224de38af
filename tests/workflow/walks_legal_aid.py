"""The walk of the legal-aid application's workflow (legal_aid/workflows.py): for each step and
from-state, an application submitted through the services whose data meet the step's condition,
the user the table lets take it, and the step's inputs."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.workflow import Step
from tests.factories import DepartmentFactory, UserFactory

from .walks import Walk, walk

APPLICANT_STEPS = {"supply_materials", "withdraw", "rate", "lodge_objection"}
INPUTS = {
    "request_materials": {"items": ["劳动合同", "工资条"], "days": 10},
    "refuse": {"reasons": "收入高于标准"},
    "close": {"outcome": "won"},
    "rate": {"score": 5, "comment": "很好"},
    "terminate": {"reasons": "受援人自行委托律师"},
    "lodge_objection": {"text": "我确实困难"},
    "decide_objection": {"decision": "upheld", "reasons": "决定正确"},
    "decline_offer": {"reasons": "与对方当事人有利益冲突"},
}
OFFER_STEPS = {"offer", "accept_offer", "decline_offer", "expire_offer"}


def _offered(app, *, overdue: bool):
    """Laixi's case rota with one lawyer who has an account, and (but for ``offer``) the case
    offered to them, its answer due in a day or, for ``expire_offer``, an hour ago."""
    from legal_aid.models import CaseOffer, DutyRota, Lawyer, OfferState, RotaEntry
    from tests.legal_aid import factories as f

    lawyer = Lawyer.objects.create(
        centre=f.centre("370285"),
        name="值班律师",
        licence_number="13702201810000099",
        firm="山东德衡律师事务所",
        categories=["labour"],
        capacity=20,
        user=UserFactory(username="walk_lawyer"),
    )
    rota = DutyRota.objects.create(name="莱西法援案件值班表", kind="cases", centre=lawyer.centre)
    RotaEntry.objects.create(rota=rota, lawyer=lawyer, position=0)
    due = timezone.now() + datetime.timedelta(hours=-1 if overdue else 24)
    return lambda: CaseOffer.objects.create(
        application=app, lawyer=lawyer, state=OfferState.OFFERED, respond_by=due
    ), lawyer


@walk("legal_aid")
def legal_aid_walk(step: Step, source: str) -> Walk:
    from legal_aid import reference
    from legal_aid.models import Centre, LegalAidApplication, ObjectionDecision
    from tests.legal_aid import factories as f

    if not Centre.objects.exists():
        reference.load()
        Centre.objects.update(department=DepartmentFactory(code="SFJ", name="青岛市司法局"))
    citizen = f.citizen(username="walk_citizen")
    app = f.submit(citizen)  # a Laixi court's labour case: the Laixi centre is competent
    laixi_staff = f.staff_user("370285")
    now = timezone.now()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    changes: dict = {
        "materials_requested_at": now if source == "materials_requested" else None,
        "materials_due": yesterday if source == "materials_requested" else None,
        "urgency": "preservation" if step.name == "grant_first" else "",
        "aid_first": step.name == "complete_review",
        "objection_decision": ObjectionDecision.OVERTURNED if source == "objection_decided" else "",
        "objected_state": {"grant": "refused", "assign_lawyer": "terminated"}.get(step.name, ""),
    }
    data = dict(INPUTS.get(step.name, {}))
    if step.name == "forward":  # handed in at the Shinan centre
        changes["accepting_centre"] = f.centre("370202")
        allowed = f.staff_user("370202")
    elif step.name in APPLICANT_STEPS:
        allowed = citizen
    elif step.name == "decide_objection":
        allowed = f.staff_user("370285", role="bureau")
    else:
        allowed = laixi_staff
    if step.name == "assign_lawyer":
        data["lawyer"] = f.lawyer("370285").pk
    if step.name in OFFER_STEPS:
        make_offer, lawyer = _offered(app, overdue=step.name == "expire_offer")
        if step.name != "offer":
            make_offer()
        # offer: the competent staff (or the system); accept and decline: the lawyer offered
        # the case; expire: the system alone
        allowed = {"accept_offer": lawyer.user, "decline_offer": lawyer.user}.get(
            step.name, None if step.name == "expire_offer" else laixi_staff
        )
    LegalAidApplication.objects.filter(pk=app.pk).update(**changes)
    app.refresh_from_db()
    return Walk(app, allowed=allowed, refused=UserFactory(), data=data)

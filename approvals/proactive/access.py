"""Who may see and change the records of proactive approvals (ADR 0080).

- The company register (companies, shareholders, contacts): administrators; department staff
  whose department issues one of the company's certificates (the certificate type's item's
  competent department); the company's own representative (a contact with a portal account) for
  its own company. Contacts' mobiles are masked unless the viewer administers the register.
- Reference data (certificate types, rules): administrators keep them; department staff see their
  department's (the item's competent department).
- Workflow records (certificates, licence events, offers, shipments, courier events): read-only
  in the admin for everybody but superusers; they change through their services only. A
  certificate is seen by its holder's representative, the issuing department's staff and
  administrators; an offer by the company's representative, the reviewing department's staff (the
  offer's item) and administrators; shipments and courier events follow their offer; licence
  events (what market regulation sent) only administrators.

System clients (the register feed, the courier) are not users: their API views check the key's
scope (``portal.accounts.permissions.scope_required``), never these policies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, is_signed_in, register
from portal.accounts.permissions import is_administrator, is_department_staff
from portal.validators import mask_identifier

from .models import (
    Certificate,
    CertificateType,
    Company,
    ContactPerson,
    CourierEvent,
    LicenceEvent,
    Offer,
    Person,
    ProactiveRule,
    Shareholder,
    Shipment,
)


def department_of(user: Any) -> int | None:
    """The department whose records ``user`` works on, for department staff; else None."""
    return user.department_id if is_department_staff(user) else None


def own_companies(user: Any):
    """The ids of the companies ``user`` represents (a contact person with this account)."""
    return ContactPerson.objects.filter(user_id=user.pk, company__isnull=False).values("company_id")


def own_persons(user: Any):
    """The id of the register's person ``user`` is (their own ``holder`` contact)."""
    return ContactPerson.objects.filter(user_id=user.pk, person__isnull=False).values("person_id")


def _holder_contact(user: Any, offer: Offer) -> bool:
    """``user`` is a contact of the offer's holder (the company's, or the person themself)."""
    holder = (
        {"company_id": offer.company_id} if offer.company_id else {"person_id": offer.person_id}
    )
    return ContactPerson.objects.filter(user_id=user.pk, **holder).exists()


def _companies_q(user: Any, company_field: str = "pk") -> Q:
    """Rows of companies ``user`` may see; ``company_field`` names the company id on the model
    (``pk`` for Company itself, ``company_id`` for contacts and shareholders)."""
    if is_administrator(user):
        return EVERYTHING
    condition = NOTHING
    department = department_of(user)
    if department is not None:
        issued = Certificate.objects.filter(type__item__department_id=department)
        condition = Q(**{f"{company_field}__in": issued.values("company_id")})
    if is_signed_in(user):
        own = Q(**{f"{company_field}__in": own_companies(user)})
        condition = own if condition == NOTHING else condition | own
    return condition


def _scoped(
    user: Any, department_path: str, company_path: str | None, person_path: str | None = None
) -> Q:
    """Administrators all; department staff the rows of their department (``department_path``
    leads to a department id); the company's representative the rows of their companies
    (``company_path`` leads to a company id; None: not for representatives); a person holding
    certificates in their own name their own rows (``person_path`` leads to a person id)."""
    if is_administrator(user):
        return EVERYTHING
    condition = NOTHING
    department = department_of(user)
    if department is not None:
        condition = Q(**{department_path: department})
    if company_path is not None and is_signed_in(user):
        own = Q(**{f"{company_path}__in": own_companies(user)})
        if person_path is not None:
            own |= Q(**{f"{person_path}__in": own_persons(user)})
        condition = own if condition == NOTHING else condition | own
    return condition


# ---- the register ---------------------------------------------------------------------------
@register
class CompanyPolicy(Policy):
    model = Company

    def visible(self, user: Any) -> Q:
        return _companies_q(user)


@register
class PersonPolicy(Policy):
    """The person register: administrators; department staff whose department issues one of the
    person's certificates; the person themself."""

    model = Person
    personal_fields = {"mobile": mask_identifier, "resident_id": mask_identifier}

    def visible(self, user: Any) -> Q:
        if is_administrator(user):
            return EVERYTHING
        condition = NOTHING
        department = department_of(user)
        if department is not None:
            issued = Certificate.objects.filter(
                type__item__department_id=department, person__isnull=False
            )
            condition = Q(pk__in=issued.values("person_id"))
        if is_signed_in(user):
            own = Q(pk__in=own_persons(user))
            condition = own if condition == NOTHING else condition | own
        return condition

    def reveals(self, user: Any, obj: Person) -> bool:
        return is_administrator(user)


@register
class ShareholderPolicy(Policy):
    model = Shareholder

    def visible(self, user: Any) -> Q:
        return _companies_q(user, "company_id")


@register
class ContactPersonPolicy(Policy):
    model = ContactPerson
    personal_fields = {"mobile": mask_identifier}

    def visible(self, user: Any) -> Q:
        companies = _companies_q(user, "company_id")
        if companies == EVERYTHING:
            return EVERYTHING
        # a person's own contact row: seen by whoever sees the person
        persons = Person.objects.filter(PersonPolicy().visible(user)).values("pk")
        return companies | Q(person_id__in=persons)

    def reveals(self, user: Any, obj: ContactPerson) -> bool:
        return is_administrator(user)


# ---- reference data -------------------------------------------------------------------------
@register
class CertificateTypePolicy(Policy):
    model = CertificateType

    def visible(self, user: Any) -> Q:
        return _scoped(user, "item__department_id", None)


@register
class ProactiveRulePolicy(Policy):
    model = ProactiveRule

    def visible(self, user: Any) -> Q:
        return _scoped(user, "item__department_id", None)


# ---- workflow records -----------------------------------------------------------------------
@register
class CertificatePolicy(Policy):
    model = Certificate
    workflow_record = True

    def visible(self, user: Any) -> Q:
        return _scoped(user, "type__item__department_id", "company_id", "person_id")


@register
class LicenceEventPolicy(Policy):
    model = LicenceEvent
    workflow_record = True


@register
class OfferPolicy(Policy):
    model = Offer
    workflow_record = True

    def visible(self, user: Any) -> Q:
        return _scoped(user, "item__department_id", "company_id", "person_id")


@register
class ShipmentPolicy(Policy):
    model = Shipment
    workflow_record = True
    personal_fields = {"recipient_mobile": mask_identifier}

    def visible(self, user: Any) -> Q:
        return _scoped(user, "offer__item__department_id", "offer__company_id", "offer__person_id")

    def reveals(self, user: Any, obj: Shipment) -> bool:
        return is_administrator(user)


@register
class CourierEventPolicy(Policy):
    model = CourierEvent
    workflow_record = True

    def visible(self, user: Any) -> Q:
        return _scoped(user, "shipment__offer__item__department_id", None)


# ----- who takes the steps of the offer and shipment workflows (approvals.proactive.workflows) --


def system_only(user: Any, record: Any) -> bool:
    """Only the system (a service, a task, the courier's webhook; ``user`` None): no person,
    however privileged, takes the step."""
    return user is None


def offer_contact_or_system(user: Any, offer: Offer) -> bool:
    """A contact of the offer's company with a portal account, or the system (``user`` None:
    the service that verified a contact without an account by the code sent to their mobile)."""
    if user is None:
        return True
    return is_signed_in(user) and _holder_contact(user, offer)


def holder_staff_or_system(user: Any, shipment: Shipment) -> bool:
    """A new delivery attempt or a pick-up: the company's representative (a contact with this
    account), the reviewing department's staff, an administrator, or the system."""
    if user is None:
        return True
    if not is_signed_in(user):
        return False
    if is_administrator(user):
        return True
    offer = shipment.offer
    if department_of(user) is not None and department_of(user) == offer.item.department_id:
        return True
    return _holder_contact(user, offer)

"""Prefill sources: the shared data that fills the application, so the applicant fills no form
and uploads nothing. Registered like the identity providers (``@register("slug")``); each source
adds to the application dict that the second interaction shows and the case receives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from portal.catalogue.forms import local_name
from portal.validators import mask_identifier

from .models import LICENCE_FIELD_LABELS, Offer, OfferReason

Source = Callable[[Offer, dict[str, Any]], None]
_sources: dict[str, Source] = {}


def register(slug: str) -> Callable[[Source], Source]:
    def decorator(fn: Source) -> Source:
        _sources[slug] = fn
        return fn

    return decorator


def registered() -> list[str]:
    return list(_sources)


def build_application(offer: Offer) -> dict[str, Any]:
    """The pre-filled application: company, certificate, what changed, materials."""
    application: dict[str, Any] = {
        "company": {},
        "person": {},
        "certificate": {},
        "changes": [],
        "materials": [],
    }
    for fn in _sources.values():
        fn(offer, application)
    return application


@register("company_register")
def company_register(offer: Offer, application: dict[str, Any]) -> None:
    company = offer.company
    if company is None:
        return
    application["company"] = {
        "uscc": company.uscc,
        "name": company.name,
        "type": company.get_type_display(),
        "legal_representative": company.legal_representative,
        "address": company.address,
        "district": str(company.district),
        "shareholders": [s.name for s in company.shareholders.all()],
    }
    application["materials"].append(
        {
            "name": _("Business licence"),
            "kind": "shared",
            "shared_record": _("Market-regulation register, %(uscc)s") % {"uscc": company.uscc},
        }
    )


@register("person_register")
def person_register(offer: Offer, application: dict[str, Any]) -> None:
    """A person holding the certificate in their own name (ADR 0111): the person register, and
    their identity card from the population register (shared, nothing to upload)."""
    person = offer.person
    if person is None:
        return
    application["person"] = {
        "name": person.name,
        "resident_id": mask_identifier(person.resident_id),
        "address": person.address,
        "district": str(person.district),
    }
    application["materials"].append(
        {
            "name": _("Resident identity card"),
            "kind": "shared",
            "shared_record": _("Population register, %(id)s")
            % {"id": mask_identifier(person.resident_id)},
        }
    )


@register("certificate")
def certificate_data(offer: Offer, application: dict[str, Any]) -> None:
    cert = offer.certificate
    application["certificate"] = {
        "number": cert.number,
        "type": cert.type.name,
        "grade": cert.grade,
        "issued_on": cert.issued_on.isoformat(),
        "expires_on": cert.expires_on.isoformat(),
        "particulars": cert.particulars,
    }
    application["materials"].append(
        {
            "name": _("The current %(type)s") % {"type": local_name(cert.type)},
            "kind": "shared",
            "shared_record": cert.number,
        }
    )


@register("shared_licence_data")
def shared_licence_data(offer: Offer, application: dict[str, Any]) -> None:
    covered: set[str] = set()
    if offer.reason == OfferReason.LICENCE_CHANGE and offer.event_id:
        event = offer.event
        for name, change in (event.changes or {}).items():
            old, new = change.get("old"), change.get("new")
            if isinstance(new, list):
                new = "、".join(h if isinstance(h, str) else h.get("name", "") for h in new)
            if isinstance(old, list):
                old = "、".join(h if isinstance(h, str) else h.get("name", "") for h in old)
            application["changes"].append(
                {
                    "field": name,
                    "label": str(LICENCE_FIELD_LABELS.get(name, name)),
                    "old": old or "",
                    "new": new or "",
                }
            )
        covered.add("变更登记通知书")
        application["materials"].append(
            {
                "name": _("Notice of change of registration"),
                "kind": "shared",
                "shared_record": _("Event %(id)s of %(day)s")
                % {"id": event.event_id, "day": event.changed_on.isoformat()},
            }
        )
    # The item's own materials that shared data or a commitment covers (once: the business
    # licence, say, is already listed from the register).
    listed = {entry["name"] for entry in application["materials"]}
    # the catalogue's Chinese names of what the registers gave above (their labels are in the
    # reader's language, so an English label no longer contains the Chinese name)
    if application["company"]:
        covered.add("营业执照")
    if application["person"]:
        covered.add("居民身份证")
    holder_key = offer.company.uscc if offer.company else mask_identifier(offer.person.resident_id)
    for material in offer.item.materials.all():
        if material.name in covered or any(material.name in name for name in listed):
            continue
        if material.source == "shared":
            application["materials"].append(
                {
                    "kind": "shared",
                    "name": local_name(material),
                    "shared_record": f"共享数据/{material.name}/{holder_key}"[:200],
                }
            )
        elif material.source == "commitment":
            application["materials"].append(
                {
                    "kind": "commitment",
                    "name": local_name(material),
                    "commitment_text": material.commitment_text
                    or _("I commit that the information about “%(name)s” is true.")
                    % {"name": material.name},
                }
            )

"""The catalogue's records as CPSV-AP 3.x JSON-LD nodes, built as plain dicts (ADR 0116).

Each builder reads only what the selectors joined or prefetched: no query per row. Nodes a
document refers to (the competent authority, its location, channels, evidence, costs, concepts)
are embedded with their types, so a consumer (and the SHACL shapes, which check classes in the
data) needs nothing but the document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from portal.catalogue.models import Department, ItemKind, Region, ServiceItem
from portal.catalogue.selectors import LIST_KINDS

from . import vocab


def location(region: Region) -> dict[str, Any]:
    return {
        "@id": vocab.location_iri(region.code),
        "@type": "Location",
        "identifier": region.code,
        "prefLabel": vocab.texts(region.name, region.name_en),
    }


def organisation(department: Department) -> dict[str, Any]:
    """A department as the ``cv:PublicOrganisation`` competent for its items."""
    node: dict[str, Any] = {
        "@id": vocab.organisation_iri(department.code),
        "@type": "PublicOrganisation",
        "identifier": department.code,
        "prefLabel": vocab.texts(department.name, department.name_en),
        "spatial": location(department.region),
    }
    if department.parent_id:
        node["subOrganizationOf"] = vocab.organisation_iri(department.parent.code)
    return node


def _description(item: ServiceItem) -> dict[str, str]:
    """The item's description; CPSV-AP requires one, so an item without it is described by its
    kind and name (行政许可：…, Administrative licence: …)."""
    if item.description.strip():
        return {"zh": item.description}
    kind = vocab.in_languages(ItemKind(item.kind).label)
    english = f"{kind['en']}: {item.name_en}" if item.name_en else ""
    return vocab.texts(f"{kind['zh']}：{item.name}", english)


def _channels(item: ServiceItem, iri: str) -> list[dict[str, Any]]:
    return [
        {
            "@id": f"{iri}#channel-{field}",
            "@type": "Channel",
            "identifier": f"{item.code}/channel/{field}",
            "type": vocab.channel_type(field),
        }
        for field in vocab.CHANNEL_FIELDS
        if getattr(item, field)
    ]


def _evidence(item: ServiceItem, iri: str) -> list[dict[str, Any]]:
    nodes = []
    for material in item.materials.all():  # prefetched
        node: dict[str, Any] = {
            "@id": f"{iri}#material-{material.pk}",
            "@type": "Evidence",
            "identifier": f"{item.code}/material/{material.pk}",
            "title": vocab.texts(material.name),
            "type": vocab.evidence_type(material.source),
            "required": material.required,
        }
        note = " ".join(t for t in (material.note, material.commitment_text) if t.strip())
        if note:
            node["description"] = {"zh": note}
        nodes.append(node)
    return nodes


def _costs(item: ServiceItem, iri: str) -> list[dict[str, Any]]:
    if item.fee <= Decimal("0"):
        return []
    cost: dict[str, Any] = {
        "@id": f"{iri}#fee",
        "@type": "Cost",
        "identifier": f"{item.code}/fee",
        "hasValue": str(item.fee),
        "currency": vocab.currency(),
    }
    if item.fee_note.strip():
        cost["description"] = {"zh": item.fee_note}
    return [cost]


def _lists(item: ServiceItem) -> list[str]:
    """The kinds of the lists the item is on now (annotated ``on_<kind>`` by the selector)."""
    return [kind for kind in LIST_KINDS if getattr(item, f"on_{kind}", False)]


def service(item: ServiceItem, landing_page: str = "") -> dict[str, Any]:
    """An implementation as a ``cpsv:PublicService``, identified by its implementation code and
    linked to its basic service (ADR 0121)."""
    iri = vocab.service_iri(item.code)
    node: dict[str, Any] = {
        "@id": iri,
        "@type": "PublicService",
        "identifier": item.code,
        "basicService": vocab.basic_service_iri(item.basic.basic_code),
        "basicCode": item.basic.basic_code,
        "title": vocab.texts(item.name, item.name_en),
        "description": _description(item),
        "hasCompetentAuthority": organisation(item.department),
        "spatial": location(item.department.region),
        "thematicArea": vocab.thematic_area(item.domain),
        "type": vocab.service_type(item.kind),
        "audience": vocab.addressees(item.applicant_kind),
        "language": vocab.languages(["zh", "en"] if item.name_en else ["zh"]),
        "processingTime": f"P{item.promised_limit_days}D",
        "promisedWorkingDays": item.promised_limit_days,
        "legalWorkingDays": item.legal_limit_days,
        "hasChannel": _channels(item, iri),
        "hasInput": _evidence(item, iri),
        "hasCost": _costs(item, iri),
        "isClassifiedBy": vocab.handling_lists(_lists(item)),
    }
    keywords = item.keywords.split()
    if keywords:
        node["keyword"] = keywords
    if item.department.phone:
        node["contactPoint"] = {
            "@id": f"{iri}#contact",
            "@type": "ContactPoint",
            "telephone": item.department.phone,
        }
    if landing_page:
        node["landingPage"] = landing_page
    return node


def document(node: dict[str, Any]) -> dict[str, Any]:
    """One node as a JSON-LD document with the context inline."""
    return {"@context": vocab.context(), **node}


def collection(
    collection_iri: str,
    page_iri: str,
    members: list[dict[str, Any]],
    total: int,
    links: dict[str, str | None],
) -> dict[str, Any]:
    """A page of a collection (Hydra): the members, how many there are, the other pages."""
    view: dict[str, Any] = {"@id": page_iri, "@type": "PartialCollectionView"}
    view.update({name: link for name, link in links.items() if link})
    return {
        "@context": vocab.context(),
        "@id": collection_iri,
        "@type": "Collection",
        "totalItems": total,
        "view": view,
        "member": members,
    }

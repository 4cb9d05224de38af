"""Namespaces, the JSON-LD ``@context``, the portal's IRIs and its code lists as SKOS concepts
(ADR 0116).

IRIs are minted under ``settings.PUBLIC_BASE_URL`` (not the request's host), so a record has the
same IRI whichever address it was read through. Services and organisations dereference (their
``/api/cpsv/`` documents); locations, concepts and concept schemes are identifiers only.

Code lists: languages and the currency come from the EU Publications Office's authority tables
(``http://publications.europa.eu/resource/authority/...``), which CPSV-AP recommends. The rest
(thematic area = the catalogue's domain, type = the item's kind, addressee, channel type, evidence
type = the material's source, classification = the handling lists) are the portal's own schemes:
their labels are the choices' labels in Chinese and English, read from the translation catalogues.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation

from portal.catalogue.models import (
    ApplicantKind,
    Domain,
    ItemKind,
    ListKind,
    MaterialSource,
    ServiceItem,
)

#: JSON-LD language tags of the two languages the catalogue is written in, with the Django
#: language whose catalogue gives each its labels.
LANGUAGES: dict[str, str] = {"zh": "zh-hans", "en": "en"}

#: The EU Publications Office's language authority table (ISO 639-3 codes).
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
LANGUAGE_CODES = {"zh": "ZHO", "en": "ENG"}
#: The EU Publications Office's currency authority table (ISO 4217 codes).
EU_CURRENCY = "http://publications.europa.eu/resource/authority/currency/"
CURRENCY = "CNY"

CHANNEL_FIELDS: tuple[str, ...] = ("online", "service_hall", "self_service", "mobile")

JSONLD = "application/ld+json"


def portal_url(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def base() -> str:
    return portal_url("/api/cpsv")


def _key(value: str) -> str:
    return quote(str(value), safe="")


def service_iri(code: str) -> str:
    return f"{base()}/services/{_key(code)}"


def basic_service_iri(basic_code: str) -> str:
    """The basic service (基本目录, ADR 0121) the implementations of every district share."""
    return f"{base()}/basic-services/{_key(basic_code)}"


def organisation_iri(code: str) -> str:
    return f"{base()}/organisations/{_key(code)}"


def location_iri(code: str) -> str:
    return f"{base()}/locations/{_key(code)}"


def scheme_iri(scheme: str) -> str:
    return f"{base()}/concepts/{scheme}"


def concept_iri(scheme: str, code: str) -> str:
    return f"{scheme_iri(scheme)}/{_key(code)}"


def portal_namespace() -> str:
    return f"{base()}/vocab#"


def context() -> dict[str, Any]:
    """The ``@context`` every document carries inline and ``/api/cpsv/context.jsonld`` serves."""
    ref = {"@type": "@id"}
    return {
        "@version": 1.1,
        "cpsv": "http://purl.org/vocab/cpsv#",
        "cv": "http://data.europa.eu/m8g/",
        "dct": "http://purl.org/dc/terms/",
        "dcat": "http://www.w3.org/ns/dcat#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "org": "http://www.w3.org/ns/org#",
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "portal": portal_namespace(),
        # classes
        "PublicService": "cpsv:PublicService",
        "PublicOrganisation": "cv:PublicOrganisation",
        "Channel": "cv:Channel",
        "Evidence": "cv:Evidence",
        "Cost": "cv:Cost",
        "ContactPoint": "cv:ContactPoint",
        "Location": "dct:Location",
        "LinguisticSystem": "dct:LinguisticSystem",
        "Concept": "skos:Concept",
        "ConceptScheme": "skos:ConceptScheme",
        "Collection": "hydra:Collection",
        "PartialCollectionView": "hydra:PartialCollectionView",
        # properties
        "identifier": "dct:identifier",
        "title": {"@id": "dct:title", "@container": "@language"},
        "description": {"@id": "dct:description", "@container": "@language"},
        "keyword": {"@id": "dcat:keyword", "@language": "zh", "@container": "@set"},
        "landingPage": {"@id": "dcat:landingPage", **ref},
        "hasCompetentAuthority": {"@id": "cv:hasCompetentAuthority", **ref},
        "hasChannel": {"@id": "cv:hasChannel", **ref, "@container": "@set"},
        "hasInput": {"@id": "cpsv:hasInput", **ref, "@container": "@set"},
        "hasCost": {"@id": "cv:hasCost", **ref, "@container": "@set"},
        "contactPoint": {"@id": "cv:contactPoint", **ref},
        "telephone": "cv:telephone",
        "processingTime": {"@id": "cv:processingTime", "@type": "xsd:duration"},
        "hasValue": {"@id": "cv:hasValue", "@type": "xsd:double"},
        "currency": {"@id": "cv:currency", **ref},
        "thematicArea": {"@id": "cv:thematicArea", **ref},
        "type": {"@id": "dct:type", **ref},
        "audience": {"@id": "dct:audience", **ref, "@container": "@set"},
        "isClassifiedBy": {"@id": "cv:isClassifiedBy", **ref, "@container": "@set"},
        "language": {"@id": "dct:language", **ref, "@container": "@set"},
        "spatial": {"@id": "dct:spatial", **ref},
        "subOrganizationOf": {"@id": "org:subOrganizationOf", **ref},
        "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
        "notation": "skos:notation",
        "inScheme": {"@id": "skos:inScheme", **ref},
        # the portal's own terms, where CPSV-AP has none
        "legalWorkingDays": {"@id": "portal:legalWorkingDays", "@type": "xsd:integer"},
        "promisedWorkingDays": {"@id": "portal:promisedWorkingDays", "@type": "xsd:integer"},
        "required": {"@id": "portal:required", "@type": "xsd:boolean"},
        # the basic service an implementation implements (ADR 0121): the implementations of one
        # basic service in every district share it
        "basicService": {"@id": "portal:basicService", **ref},
        "basicCode": "portal:basicCode",
        # paging (Hydra)
        "totalItems": {"@id": "hydra:totalItems", "@type": "xsd:integer"},
        "member": {"@id": "hydra:member", "@container": "@set"},
        "view": {"@id": "hydra:view", **ref},
        "first": {"@id": "hydra:first", **ref},
        "last": {"@id": "hydra:last", **ref},
        "next": {"@id": "hydra:next", **ref},
        "previous": {"@id": "hydra:previous", **ref},
    }


def in_languages(label: Any) -> dict[str, str]:
    """A lazy label in each of the catalogue's languages, as a language map."""
    texts = {}
    for tag, django_language in LANGUAGES.items():
        with translation.override(django_language):
            texts[tag] = str(label)
    return texts


def texts(zh: str, en: str = "") -> dict[str, str]:
    """A language map of the non-empty texts."""
    return {tag: text for tag, text in (("zh", zh), ("en", en)) if text and text.strip()}


#: (scheme, code) -> the concept's labels: the translation catalogues do not change while the
#: process runs, and a page of services names the same few concepts hundreds of times.
_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def concept(scheme: str, code: str, label: Any) -> dict[str, Any]:
    labels = _LABELS.get((scheme, code))
    if labels is None:
        labels = _LABELS[(scheme, code)] = in_languages(label)
    return {
        "@id": concept_iri(scheme, code),
        "@type": "Concept",
        "notation": code,
        "prefLabel": dict(labels),
        "inScheme": scheme_iri(scheme),
    }


def choice(scheme: str, choices: type[TextChoices], value: str) -> dict[str, Any]:
    return concept(scheme, value, choices(value).label)


def thematic_area(domain: str) -> dict[str, Any]:
    return choice("domain", Domain, domain)


def service_type(kind: str) -> dict[str, Any]:
    return choice("item-kind", ItemKind, kind)


def addressees(applicant_kind: str) -> list[dict[str, Any]]:
    """Who may apply: a person, a company, or both (each its own concept)."""
    kinds = (
        [ApplicantKind.PERSON, ApplicantKind.COMPANY]
        if applicant_kind == ApplicantKind.BOTH
        else [ApplicantKind(applicant_kind)]
    )
    return [choice("addressee", ApplicantKind, kind) for kind in kinds]


def channel_type(field: str) -> dict[str, Any]:
    return concept("channel", field, ServiceItem._meta.get_field(field).verbose_name)


def evidence_type(source: str) -> dict[str, Any]:
    return choice("material-source", MaterialSource, source)


def handling_lists(kinds: Iterable[str]) -> list[dict[str, Any]]:
    return [choice("handling-list", ListKind, kind) for kind in kinds]


def languages(tags: Iterable[str]) -> list[dict[str, Any]]:
    return [{"@id": EU_LANGUAGE + LANGUAGE_CODES[tag], "@type": "LinguisticSystem"} for tag in tags]


def currency() -> dict[str, Any]:
    return {"@id": EU_CURRENCY + CURRENCY, "@type": "Concept", "notation": CURRENCY}

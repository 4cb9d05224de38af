"""The catalogue as CPSV-AP 3.x JSON-LD (``/api/cpsv/``, ADR 0116), checked with SEMIC's SHACL
shapes of CPSV-AP 3.2.0 (``cpsv_shapes/``, provenance in the ADR) and by hand where the shapes
say nothing: the code lists, the languages of the texts, the paging, the query count."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH, SKOS

from portal.catalogue.cpsv import vocab
from portal.catalogue.models import (
    ApplicantKind,
    Domain,
    ItemKind,
    ListKind,
    MaterialSource,
    ServiceItem,
)
from tests.catalogue.factories import ListEntryFactory, MaterialFactory
from tests.factories import DepartmentFactory, ServiceItemFactory

# rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib 7 deprecates; not ours.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

SHAPES_FILE = Path(__file__).parent / "cpsv_shapes" / "cpsv-ap-SHACL.ttl"
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
JSONLD = "application/ld+json"


@functools.cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def graph_of(content: bytes | str) -> Graph:
    return Graph().parse(data=content, format="json-ld")


def check(graph: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = validate(graph, shacl_graph=shapes(), inference="none")
    return conforms, report, text


def violations(report: Graph) -> set[tuple[str, str]]:
    """(path, constraint component) of each violation, in compact form."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        found.add((str(path).rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(component).rsplit("#")[-1]))
    return found


def get(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == JSONLD
    return response


@pytest.fixture
def item(db):
    """An item with everything a document can show: both languages, a fee, materials of each
    source, keywords, a phone, two channels, on two lists."""
    department = DepartmentFactory(
        code="370202-GA", name="市南区公安分局", name_en="Shinan Public Security", phone="0532-110"
    )
    item = ServiceItemFactory(
        code="370202-GA-001",
        name="居民身份证换领",
        name_en="Renewal of the resident ID card",
        description="身份证有效期满前办理换领。",
        department=department,
        kind=ItemKind.PUBLIC_SERVICE,
        domain=Domain.OTHER,
        applicant_kind=ApplicantKind.PERSON,
        keywords="身份证 换证",
        fee=Decimal("20.00"),
        fee_note="按国家规定收取工本费",
        promised_limit_days=3,
        legal_limit_days=15,
        online=True,
        service_hall=True,
        mobile=False,
        self_service=False,
    )
    MaterialFactory(item=item, name="原居民身份证", position=1)
    MaterialFactory(item=item, name="户口簿", source=MaterialSource.SHARED, position=2)
    MaterialFactory(
        item=item,
        name="承诺书",
        source=MaterialSource.COMMITMENT,
        required=False,
        commitment_text="本人承诺所填信息真实。",
        position=3,
    )
    ListEntryFactory(item=item, handling_list__kind=ListKind.CITY_WIDE)
    ListEntryFactory(item=item, handling_list__kind=ListKind.TOWN)
    return item


# The shapes -------------------------------------------------------------------------------------


def test_the_stored_shapes_are_semics_cpsv_ap_3_2_0():
    # upstream's length (SEMICeu/CPSV-AP at da532f1, ADR 0116), carriage returns included
    assert len(SHAPES_FILE.read_bytes().decode("utf-8")) == 96431
    graph = shapes()
    assert len(set(graph.subjects(RDF.type, SH.NodeShape))) == 32
    public_service = URIRef(
        "https://semiceu.github.io/CPSV-AP/releases/3.2.0//shacl/cpsv-ap-SHACL.ttl"
        "#PublicServiceShape"
    )
    assert graph.value(public_service, SH.targetClass) == CPSV.PublicService


# Conformance ------------------------------------------------------------------------------------


def test_a_page_of_the_demo_catalogue_conforms(demo_db, client):
    response = get(client, "/api/cpsv/services/?page_size=100&page=3")
    graph = graph_of(response.content)
    conforms, _, text = check(graph)
    assert conforms, text
    services = set(graph.subjects(RDF.type, CPSV.PublicService))
    assert len(services) == 100
    # the demo's items bring fees, materials and lists into the page checked
    assert set(graph.subjects(RDF.type, CV.Evidence))
    assert set(graph.subjects(RDF.type, CV.PublicOrganisation))


def test_every_demo_item_with_a_fee_conforms(demo_db, client):
    """The demo's items with a fee, one detail each (the pages above may hold none)."""
    codes = list(
        ServiceItem.objects.filter(is_active=True, fee__gt=0)
        .order_by("code")
        .values_list("code", flat=True)[:5]
    )
    for code in codes:
        graph = graph_of(get(client, f"/api/cpsv/services/{code}").content)
        conforms, _, text = check(graph)
        assert conforms, text
        assert set(graph.subjects(RDF.type, CV.Cost))


def test_a_detail_conforms(item, client):
    graph = graph_of(get(client, f"/api/cpsv/services/{item.code}").content)
    conforms, _, text = check(graph)
    assert conforms, text


def test_organisations_conform(item, client):
    for url in ("/api/cpsv/organisations/", f"/api/cpsv/organisations/{item.department.code}"):
        graph = graph_of(get(client, url).content)
        conforms, _, text = check(graph)
        assert conforms, text
        assert set(graph.subjects(RDF.type, CV.PublicOrganisation))


# What the shapes require, and the code lists, by hand --------------------------------------------


def test_the_service_carries_the_required_properties_with_their_types(item, client):
    graph = graph_of(get(client, f"/api/cpsv/services/{item.code}").content)
    service = URIRef(vocab.service_iri(item.code))
    assert (service, RDF.type, CPSV.PublicService) in graph
    assert graph.value(service, DCTERMS.identifier) == Literal(item.code)
    assert set(graph.objects(service, DCTERMS.title)) == {
        Literal("居民身份证换领", lang="zh"),
        Literal("Renewal of the resident ID card", lang="en"),
    }
    assert set(graph.objects(service, DCTERMS.description)) == {
        Literal("身份证有效期满前办理换领。", lang="zh")
    }
    assert set(graph.objects(service, DCAT.keyword)) == {
        Literal("身份证", lang="zh"),
        Literal("换证", lang="zh"),
    }
    duration = graph.value(service, CV.processingTime)
    assert (str(duration), duration.datatype) == ("P3D", XSD.duration)

    authority = graph.value(service, CV.hasCompetentAuthority)
    assert authority == URIRef(vocab.organisation_iri("370202-GA"))
    assert (authority, RDF.type, CV.PublicOrganisation) in graph
    assert Literal("市南区公安分局", lang="zh") in set(graph.objects(authority, SKOS.prefLabel))
    place = graph.value(authority, DCTERMS.spatial)
    assert (place, RDF.type, DCTERMS.Location) in graph
    assert graph.value(place, DCTERMS.identifier) == Literal(item.department.region_id)

    channels = set(graph.objects(service, CV.hasChannel))
    assert {graph.value(graph.value(c, DCTERMS.type), SKOS.notation) for c in channels} == {
        Literal("online"),
        Literal("service_hall"),
    }
    assert all((c, RDF.type, CV.Channel) in graph for c in channels)

    evidence = set(graph.objects(service, CPSV.hasInput))
    assert len(evidence) == 3
    assert all((e, RDF.type, CV.Evidence) in graph for e in evidence)
    assert {graph.value(e, DCTERMS.title) for e in evidence} == {
        Literal("原居民身份证", lang="zh"),
        Literal("户口簿", lang="zh"),
        Literal("承诺书", lang="zh"),
    }

    [cost] = graph.objects(service, CV.hasCost)
    assert (cost, RDF.type, CV.Cost) in graph
    value = graph.value(cost, CV.hasValue)
    assert value.datatype == XSD.double and value.toPython() == 20.0
    assert graph.value(cost, CV.currency) == URIRef(vocab.EU_CURRENCY + "CNY")

    lists = {graph.value(c, SKOS.notation) for c in graph.objects(service, CV.isClassifiedBy)}
    assert lists == {Literal("city_wide"), Literal("town")}


def test_the_code_lists(item, client):
    """Languages and currency from the EU authority tables; every other concept in one of the
    portal's schemes, with a notation from the model's choices and labels in both languages."""
    graph = graph_of(get(client, f"/api/cpsv/services/{item.code}").content)
    service = URIRef(vocab.service_iri(item.code))
    assert set(graph.objects(service, DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/ZHO"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
    }
    assert all(
        (language, RDF.type, DCTERMS.LinguisticSystem) in graph
        for language in graph.objects(service, DCTERMS.language)
    )
    schemes = {
        "domain": Domain.values,
        "item-kind": ItemKind.values,
        "addressee": [ApplicantKind.PERSON, ApplicantKind.COMPANY],
        "channel": list(vocab.CHANNEL_FIELDS),
        "material-source": MaterialSource.values,
        "handling-list": ListKind.values,
    }
    seen = set()
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        if str(concept).startswith(vocab.EU_CURRENCY):
            continue
        scheme = graph.value(concept, SKOS.inScheme)
        name = str(scheme).rsplit("/", 1)[-1]
        assert name in schemes, concept
        assert str(graph.value(concept, SKOS.notation)) in schemes[name]
        assert {label.language for label in graph.objects(concept, SKOS.prefLabel)} == {"zh", "en"}
        seen.add(name)
    assert seen == set(schemes)
    assert graph.value(service, CV.thematicArea) == URIRef(vocab.concept_iri("domain", "other"))
    assert graph.value(service, DCTERMS.type) == URIRef(
        vocab.concept_iri("item-kind", "public_service")
    )


def test_an_item_without_description_or_english_still_has_both_required_texts(client):
    item = ServiceItemFactory(description="", name_en="", kind=ItemKind.FILING, name="备案事项")
    document = get(client, f"/api/cpsv/services/{item.code}").json()
    assert document["title"] == {"zh": "备案事项"}
    assert document["description"] == {"zh": "备案：备案事项"}
    assert document["language"] == [{"@id": vocab.EU_LANGUAGE + "ZHO", "@type": "LinguisticSystem"}]
    assert "hasCost" in document and document["hasCost"] == []
    conforms, _, text = check(graph_of(json.dumps(document)))
    assert conforms, text


# The check can fail -----------------------------------------------------------------------------


@pytest.fixture
def detail(item, client) -> Graph:
    return graph_of(get(client, f"/api/cpsv/services/{item.code}").content)


def test_a_service_without_title_fails(item, detail):
    detail.remove((URIRef(vocab.service_iri(item.code)), DCTERMS.title, None))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("title", "MinCountConstraintComponent") in violations(report)


def test_a_title_without_language_fails(item, detail):
    service = URIRef(vocab.service_iri(item.code))
    detail.remove((service, DCTERMS.title, None))
    detail.add((service, DCTERMS.title, Literal("居民身份证换领")))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("title", "DatatypeConstraintComponent") in violations(report)


def test_a_processing_time_that_is_not_a_duration_fails(item, detail):
    service = URIRef(vocab.service_iri(item.code))
    detail.set((service, CV.processingTime, Literal("3 working days")))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("processingTime", "DatatypeConstraintComponent") in violations(report)


def test_a_second_identifier_fails(item, detail):
    detail.add((URIRef(vocab.service_iri(item.code)), DCTERMS.identifier, Literal("X")))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("identifier", "MaxCountConstraintComponent") in violations(report)


def test_an_authority_that_is_no_public_organisation_fails(item, detail):
    authority = URIRef(vocab.organisation_iri(item.department.code))
    detail.remove((authority, RDF.type, CV.PublicOrganisation))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("hasCompetentAuthority", "ClassConstraintComponent") in violations(report)


def test_an_organisation_without_place_fails(item, detail):
    authority = URIRef(vocab.organisation_iri(item.department.code))
    detail.remove((authority, DCTERMS.spatial, None))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("spatial", "MinCountConstraintComponent") in violations(report)


def test_a_cost_in_words_fails(item, detail):
    [cost] = detail.subjects(RDF.type, CV.Cost)
    detail.set((cost, CV.hasValue, Literal("二十元")))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("hasValue", "DatatypeConstraintComponent") in violations(report)


def test_a_material_without_name_fails(item, detail):
    evidence = next(iter(detail.subjects(RDF.type, CV.Evidence)))
    detail.remove((evidence, DCTERMS.title, None))
    conforms, report, _ = check(detail)
    assert not conforms
    assert ("title", "MinCountConstraintComponent") in violations(report)


# The API ----------------------------------------------------------------------------------------


def test_pages_link_each_other_and_count_the_members(client):
    for _ in range(5):
        ServiceItemFactory()
    ServiceItemFactory(is_active=False)
    document = get(client, "/api/cpsv/services/?page_size=2&page=2").json()
    base = vocab.base()
    total = ServiceItem.objects.filter(is_active=True).count()  # with the demo's, if loaded
    last = (total + 1) // 2
    assert document["@id"] == f"{base}/services/"
    assert document["@type"] == "Collection"
    assert document["totalItems"] == total
    assert len(document["member"]) == 2
    assert document["view"] == {
        "@id": f"{base}/services/?page=2&page_size=2",
        "@type": "PartialCollectionView",
        "first": f"{base}/services/?page=1&page_size=2",
        "last": f"{base}/services/?page={last}&page_size=2",
        "next": f"{base}/services/?page=3&page_size=2",
        "previous": f"{base}/services/?page=1&page_size=2",
    }
    graph = graph_of(json.dumps(document))
    collection = URIRef(f"{base}/services/")
    assert len(set(graph.objects(collection, HYDRA.member))) == 2


def test_the_context_is_inline_and_served(item, client):
    served = get(client, "/api/cpsv/context.jsonld").json()
    document = get(client, f"/api/cpsv/services/{item.code}").json()
    assert isinstance(document["@context"], dict)  # nothing to fetch from elsewhere
    assert document["@context"] == served["@context"]
    assert served["@context"]["cpsv"] == "http://purl.org/vocab/cpsv#"


def test_json_ld_whatever_the_client_accepts(item, client):
    get(client, f"/api/cpsv/services/{item.code}", HTTP_ACCEPT="application/json")
    get(client, f"/api/cpsv/services/{item.code}", HTTP_ACCEPT="text/html")


def test_read_only_and_open_to_everyone(item, client):
    assert client.post("/api/cpsv/services/", {}).status_code == 405
    assert client.delete(f"/api/cpsv/services/{item.code}").status_code == 405
    missing = client.get("/api/cpsv/services/NO-SUCH-ITEM")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert client.get("/api/cpsv/organisations/NO-SUCH").status_code == 404
    assert client.get("/api/cpsv/services/?page=100000").status_code == 404
    assert client.get("/api/cpsv/services/?page_size=0").status_code == 400


def test_inactive_items_are_not_published(client):
    item = ServiceItemFactory(is_active=False)
    assert client.get(f"/api/cpsv/services/{item.code}").status_code == 404


@pytest.mark.parametrize("url", ["/api/cpsv/services/?page_size=100", "/api/cpsv/organisations/"])
def test_a_fixed_number_of_queries(url, client, django_assert_max_num_queries):
    def grow(count: int) -> None:
        for _ in range(count):
            item = ServiceItemFactory(department=DepartmentFactory(), fee=Decimal("5"))
            MaterialFactory(item=item)
            MaterialFactory(item=item)
            ListEntryFactory(item=item)

    grow(2)
    with django_assert_max_num_queries(4):
        small = client.get(url)
    grow(30)
    with django_assert_max_num_queries(4):
        large = client.get(url)
    assert large.json()["totalItems"] > small.json()["totalItems"]

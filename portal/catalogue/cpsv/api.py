"""``/api/cpsv/``: the catalogue as CPSV-AP 3.x JSON-LD, read-only and open to everyone
(ADR 0116). Thin: the queries are ``selectors``', the documents ``documents``'.

Every answer is ``application/ld+json`` whatever the ``Accept`` header asks (the documents are
JSON too); errors are problem details as everywhere in the API."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.pagination import PortalPagination
from portal.api.problems import problem_responses
from portal.catalogue.models import Department, ServiceItem

from . import documents, selectors, vocab

TAGS = ["open data"]
ERRORS = problem_responses(
    404, 429, s400="Invalid query parameter.", s404="Not found (or no such page)."
)
NOT_FOUND = problem_responses(404, 429, s404="Not found.")
PAGING = [
    OpenApiParameter("page", int, description="Page number (from 1).", required=False),
    OpenApiParameter("page_size", int, description="Members per page (1 to 100).", required=False),
]
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH)

JSONLD_OBJECT: dict[str, Any] = {
    "type": "object",
    "description": "A JSON-LD 1.1 document with its @context inline (the same as "
    "/api/cpsv/context.jsonld).",
    "properties": {
        "@context": {"type": "object", "additionalProperties": True},
        "@id": {"type": "string", "format": "uri"},
        "@type": {"type": "string"},
    },
    "required": ["@context", "@type"],
    "additionalProperties": True,
}


class JSONLDRenderer(JSONRenderer):
    media_type = vocab.JSONLD
    format = "jsonld"
    charset = None  # JSON is UTF-8 (RFC 8259): no charset parameter


class AlwaysJSONLD(BaseContentNegotiation):
    """JSON-LD whatever the client accepts: there is one representation."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CPSVView(APIView):
    renderer_classes = [JSONLDRenderer]
    content_negotiation_class = AlwaysJSONLD
    permission_classes = [AllowAny]


class CollectionView(CPSVView):
    """A paged collection: ``member`` holds this page's nodes, ``view`` links the others."""

    path = ""

    def page(self, request: Request, queryset, build) -> Response:
        paginator = PortalPagination()
        rows = paginator.paginate_queryset(queryset, request, view=self) or []
        page = paginator.page
        collection = f"{vocab.base()}/{self.path}/"
        size = paginator.get_page_size(request)
        sized = f"&page_size={size}" if "page_size" in request.query_params else ""

        def link(number: int | None) -> str | None:
            return f"{collection}?page={number}{sized}" if number else None

        return Response(
            documents.collection(
                collection,
                link(page.number) or collection,
                [build(row) for row in rows],
                page.paginator.count,
                {
                    "first": link(1),
                    "last": link(page.paginator.num_pages),
                    "next": link(page.next_page_number() if page.has_next() else None),
                    "previous": link(page.previous_page_number() if page.has_previous() else None),
                },
            )
        )


class ContextView(CPSVView):
    @extend_schema(
        tags=TAGS,
        operation_id="cpsv_context",
        summary="The JSON-LD @context of the CPSV-AP documents",
        responses={
            (200, vocab.JSONLD): OpenApiResponse(OpenApiTypes.OBJECT),
            **problem_responses(429),
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"@context": vocab.context()})


class ServiceListView(CollectionView):
    path = "services"

    @extend_schema(
        tags=TAGS,
        operation_id="cpsv_services_list",
        summary="Public services (CPSV-AP 3.x): a page of the active service items",
        parameters=PAGING,
        responses={(200, vocab.JSONLD): OpenApiResponse(JSONLD_OBJECT), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.page(request, selectors.services(), lambda item: service(request, item))


class ServiceDetailView(CPSVView):
    @extend_schema(
        tags=TAGS,
        operation_id="cpsv_service",
        summary="One public service (CPSV-AP 3.x) by its item code",
        parameters=[CODE],
        responses={(200, vocab.JSONLD): OpenApiResponse(JSONLD_OBJECT), **NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            item = selectors.get_service(code)
        except ServiceItem.DoesNotExist as exc:
            raise Http404 from exc
        return Response(documents.document(service(request, item)))


class OrganisationListView(CollectionView):
    path = "organisations"

    @extend_schema(
        tags=TAGS,
        operation_id="cpsv_organisations_list",
        summary="Public organisations (CPSV-AP 3.x): a page of the departments",
        parameters=PAGING,
        responses={(200, vocab.JSONLD): OpenApiResponse(JSONLD_OBJECT), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return self.page(request, selectors.organisations(), documents.organisation)


class OrganisationDetailView(CPSVView):
    @extend_schema(
        tags=TAGS,
        operation_id="cpsv_organisation",
        summary="One public organisation (CPSV-AP 3.x) by its department code",
        parameters=[CODE],
        responses={(200, vocab.JSONLD): OpenApiResponse(JSONLD_OBJECT), **NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            department = selectors.get_organisation(code)
        except Department.DoesNotExist as exc:
            raise Http404 from exc
        return Response(documents.document(documents.organisation(department)))


def service(request: Request, item: ServiceItem) -> dict[str, Any]:
    """The item's node, with its page on the portal as the landing page."""
    return documents.service(item, vocab.portal_url(item.get_absolute_url()))

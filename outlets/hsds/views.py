"""The HSDS API (``/api/hsds/``): anonymous, read-only, throttled like every public API list and,
for visitors, cached per day like them (``CachedPublicListMixin``). Paged the HSDS way
(``page``, ``per_page``; ``total_items`` ... ``contents``). Thin: the queries are in
``selectors``, the mapping in ``serializers``."""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.problems import problem_responses
from portal.pagecache import CachedPublicListMixin

from .. import hours as clock
from . import selectors
from . import serializers as hsds

HSDS_VERSION = "3.1"
# operation ids as the HSDS OpenAPI document names them
TAGS = ["open data (HSDS)"]
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # far past any feed's end; an offset the database can always take

PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        description="Page number, from 1 (default 1); past the last page, an empty page.",
        required=False,
    ),
    OpenApiParameter(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        description=f"Entities per page, 1 to {MAX_PER_PAGE} (default {DEFAULT_PER_PAGE}).",
        required=False,
    ),
]
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The HSDS id (a UUID)."
)
LIST_ERRORS = problem_responses(400, 429)
DETAIL_ERRORS = problem_responses(404, 429, s404="No such record in the feed today.")


def _whole_number(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise ValidationError(
            {name: [gettext("Give a whole number from 1 to %(maximum)s.") % {"maximum": maximum}]}
        )
    return int(raw)


class HsdsPagedView(generics.GenericAPIView):
    # Anonymous and read-only; the default throttles apply.
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends: list = []
    serializer_class = serializers.Serializer  # each get() names its own in the schema

    def page_rows(self, start: int, stop: int) -> tuple[int, list[dict]]:
        """The number of entities in the feed and those from ``start`` to ``stop``."""
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = _whole_number(request, "page", 1, MAX_PAGE)
        per_page = _whole_number(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
        start = (page - 1) * per_page
        total, contents = self.page_rows(start, start + per_page)
        total_pages = math.ceil(total / per_page)
        return Response(
            {
                "total_items": total,
                "total_pages": total_pages,
                "page_number": page,
                "size": len(contents),
                "first_page": page == 1,
                "last_page": page >= total_pages,
                "empty": not contents,
                "contents": contents,
            }
        )

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class HsdsListView(CachedPublicListMixin, HsdsPagedView):
    # A list is cached per day for visitors, as the other public lists: the lists in effect
    # change at midnight, or when something is published (a new data version).
    @staticmethod
    def cache_clock():
        return clock.local_now()


class ServiceListView(HsdsListView):
    def page_rows(self, start: int, stop: int) -> tuple[int, list[dict]]:
        qs = selectors.services(selectors.today())
        rows = [hsds.service_basic_data(item, self.request) for item in qs[start:stop]]
        return qs.count(), hsds.HsdsServiceSummarySerializer(rows, many=True).data

    @extend_schema(
        tags=TAGS,
        summary="Services: the items offered at self-service outlets today",
        operation_id="getPaginatedListOfServices",
        parameters=PAGE_PARAMETERS,
        responses={200: hsds.HsdsServicePageSerializer, **LIST_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ServiceAtLocationListView(HsdsListView):
    def page_rows(self, start: int, stop: int) -> tuple[int, list[dict]]:
        qs = selectors.service_at_locations(selectors.today())
        rows = [hsds.service_at_location_data(entry, self.request) for entry in qs[start:stop]]
        return qs.count(), hsds.HsdsServiceAtLocationSummarySerializer(rows, many=True).data

    @extend_schema(
        tags=TAGS,
        summary="Services at locations: each item on each outlet's list in effect",
        operation_id="getPaginatedListOfServiceAtLocation",
        parameters=PAGE_PARAMETERS,
        responses={200: hsds.HsdsServiceAtLocationPageSerializer, **LIST_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OrganizationListView(HsdsListView):
    def page_rows(self, start: int, stop: int) -> tuple[int, list[dict]]:
        # the operators first (a handful), then the departments, paged as one sequence
        operators = selectors.operators()
        departments = selectors.departments(selectors.today())
        rows = [hsds.operator_data(code) for code in operators[start:stop]]
        first, last = max(start - len(operators), 0), stop - len(operators)
        if last > 0:
            rows += [hsds.department_data(department) for department in departments[first:last]]
        total = len(operators) + departments.count()
        return total, hsds.HsdsOrganizationSummarySerializer(rows, many=True).data

    @extend_schema(
        tags=TAGS,
        summary="Organizations: the outlets' operators and the services' departments",
        operation_id="getPaginatedListOfOrganizations",
        parameters=PAGE_PARAMETERS,
        responses={200: hsds.HsdsOrganizationPageSerializer, **LIST_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class HsdsDetailView(APIView):
    permission_classes = [AllowAny]

    def not_found(self) -> NotFound:
        return NotFound(gettext("No such record in the feed today."))


class ServiceDetailView(HsdsDetailView):
    @extend_schema(
        tags=TAGS,
        summary="One service, with the outlets offering it",
        operation_id="getFullyNestedServiceById",
        parameters=[ID_PARAMETER],
        responses={200: hsds.HsdsServiceSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, id: str) -> Response:
        today = selectors.today()
        item = selectors.service_by_id(id, today)
        if item is None:
            raise self.not_found()
        entries = list(selectors.entries_of_service(item, today))
        return Response(hsds.HsdsServiceSerializer(hsds.service_data(item, entries, request)).data)


class ServiceAtLocationDetailView(HsdsDetailView):
    @extend_schema(
        tags=TAGS,
        summary="One service at one location, with the outlet's address, phone and hours",
        operation_id="getServiceAtLocationWithNestedDataById",
        parameters=[ID_PARAMETER],
        responses={200: hsds.HsdsServiceAtLocationSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, id: str) -> Response:
        entry = selectors.service_at_location_by_id(id, selectors.today())
        if entry is None:
            raise self.not_found()
        data = hsds.service_at_location_data(entry, request, detail=True)
        return Response(hsds.HsdsServiceAtLocationSerializer(data).data)


class OrganizationDetailView(HsdsDetailView):
    @extend_schema(
        tags=TAGS,
        summary="One organization",
        operation_id="getOrganizationById",
        parameters=[ID_PARAMETER],
        responses={200: hsds.HsdsOrganizationSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, id: str) -> Response:
        code = selectors.operator_by_id(id)
        if code is not None:
            data = {**hsds.operator_data(code), "phones": []}
        else:
            department = selectors.department_by_id(id, selectors.today())
            if department is None:
                raise self.not_found()
            data = hsds.department_data(department, detail=True)
        return Response(hsds.HsdsOrganizationSerializer(data).data)


class AboutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="About this HSDS feed",
        operation_id="getAPIMetaInformation",
        responses={200: hsds.HsdsAboutSerializer, **problem_responses(429)},
    )
    def get(self, request: Request) -> Response:
        data = {
            "version": HSDS_VERSION,
            "profile": "https://docs.openreferral.org/en/latest/hsds/",
            "openapi_url": request.build_absolute_uri(reverse("api-schema")),
            "description": "Qingdao self-service outlets and the services offered at them, as "
            "HSDS: organizations, services, services at locations.",
        }
        return Response(hsds.HsdsAboutSerializer(data).data)

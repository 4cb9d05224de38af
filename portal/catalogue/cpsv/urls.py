"""The CPSV-AP routes, mounted under ``/api/cpsv/`` (ADR 0116)."""

from django.urls import path

from . import api

urlpatterns = [
    path("context.jsonld", api.ContextView.as_view(), name="cpsv-context"),
    path("services/", api.ServiceListView.as_view(), name="cpsv-services"),
    path("services/<str:code>", api.ServiceDetailView.as_view(), name="cpsv-service"),
    path("organisations/", api.OrganisationListView.as_view(), name="cpsv-organisations"),
    path(
        "organisations/<str:code>",
        api.OrganisationDetailView.as_view(),
        name="cpsv-organisation",
    ),
]

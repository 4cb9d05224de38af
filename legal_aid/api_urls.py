"""API routes of the legal_aid app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("legal-aid/centres/", api.CentreList.as_view(), name="legal_aid_api_centres"),
    path("legal-aid/bodies/", api.BodyList.as_view(), name="legal_aid_api_bodies"),
    path("legal-aid/routing/", api.RoutingView.as_view(), name="legal_aid_api_routing"),
    path(
        "legal-aid/applications/",
        api.ApplicationCreate.as_view(),
        name="legal_aid_api_applications",
    ),
    path(
        "legal-aid/applications/<str:reference>/",
        api.ApplicationDetail.as_view(),
        name="legal_aid_api_application",
    ),
    path(
        "legal-aid/applications/<str:reference>/<str:action>/",
        api.ApplicationAction.as_view(),
        name="legal_aid_api_application_action",
    ),
    path(
        "legal-aid/consultations/",
        api.ConsultationCreate.as_view(),
        name="legal_aid_api_consultations",
    ),
    path("legal-aid/statistics/", api.StatisticsView.as_view(), name="legal_aid_api_statistics"),
]

"""API routes of the approvals app, mounted under /api/v1/."""

from django.urls import path, re_path

from .api import CaseActionView, CaseDetailView, CaseListCreateView
from .bundles.api import BundleApplicationDetailView, BundleApplicationListCreateView
from .workflows import CASE

ACTION_PATTERN = "|".join(step.name for step in CASE.steps)

urlpatterns = [
    path("cases/", CaseListCreateView.as_view(), name="case-list"),
    path(
        "bundle-applications/",
        BundleApplicationListCreateView.as_view(),
        name="bundle-application-list",
    ),
    path(
        "bundle-applications/<str:reference>/",
        BundleApplicationDetailView.as_view(),
        name="bundle-application-detail",
    ),
    path("cases/<str:reference>/", CaseDetailView.as_view(), name="case-detail"),
    re_path(
        rf"^cases/(?P<reference>[^/]+)/(?P<action>{ACTION_PATTERN})/$",
        CaseActionView.as_view(),
        name="case-action",
    ),
]

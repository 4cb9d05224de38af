"""API routes of the approvals app, mounted under /api/v1/."""

from django.urls import path, re_path

from .api import CaseActionView, CaseDetailView, CaseListCreateView
from .models import ACTIONS

ACTION_PATTERN = "|".join(ACTIONS)

urlpatterns = [
    path("cases/", CaseListCreateView.as_view(), name="case-list"),
    path("cases/<str:reference>/", CaseDetailView.as_view(), name="case-detail"),
    re_path(
        rf"^cases/(?P<reference>[^/]+)/(?P<action>{ACTION_PATTERN})/$",
        CaseActionView.as_view(),
        name="case-action",
    ),
]

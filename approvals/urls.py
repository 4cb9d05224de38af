"""Pages of the approvals app."""

from django.urls import path

from . import views
from .bundles import views as bundle_views

app_name = "approvals"

urlpatterns = [
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/apply/<str:code>/", views.apply, name="apply"),
    path("items/<str:code>/apply/", views.apply, name="apply_item"),
    path(
        "items/<str:code>/materials/<int:pk>/blank-form.pdf",
        views.blank_form,
        name="blank_form",
    ),
    path("cases/staff/", views.staff_cases, name="staff_cases"),
    path("cases/staff/walk-in/", views.walk_in, name="walk_in"),
    path("bundles/<str:code>/apply/", bundle_views.apply, name="bundle_apply"),
    path("cases/bundles/<str:reference>/", bundle_views.progress, name="bundle_progress"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/act/<str:action>/", views.case_action, name="case_action"),
    path("cases/<str:reference>/rate/", views.rate, name="rate"),
    path("cases/<str:reference>/materials/add/", views.add_material, name="add_material"),
    path(
        "cases/<str:reference>/acceptance-notice.pdf",
        views.acceptance_notice,
        name="acceptance_notice",
    ),
    path("cases/<str:reference>/decision.pdf", views.decision, name="decision"),
    path("cases/<str:reference>/materials/<int:pk>/", views.material_file, name="material_file"),
]

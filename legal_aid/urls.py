"""Pages of the legal_aid app, under /legal-aid/."""

from django.urls import path

from .views import apply, citizen, documents, lawyer, public, staff, stats

app_name = "legal_aid"

urlpatterns = [
    path("", public.home, name="home"),
    path("check/", public.check, name="check"),
    path("apply/", apply.start, name="apply"),
    path("apply/<int:step>/", apply.step, name="apply_step"),
    path("apply/evidence/<int:pk>/remove/", apply.remove_evidence, name="remove_evidence"),
    path(
        "consultations/<str:reference>/apply/",
        apply.from_consultation,
        name="consultation_apply",
    ),
    path("survey/<str:token>/", public.survey, name="call_survey"),
    path("my/", citizen.my_applications, name="my_applications"),
    path("my/<str:reference>/", citizen.application, name="application"),
    path("my/<str:reference>/materials/", citizen.upload_materials, name="upload_materials"),
    path("my/<str:reference>/<str:action>/", citizen.act, name="citizen_act"),
    path("evidence/<int:pk>/", citizen.evidence_file, name="evidence_file"),
    path("documents/<str:reference>/<str:kind>.pdf", documents.document, name="document"),
    path("lawyer/", lawyer.cases, name="lawyer_cases"),
    path("lawyer/<str:reference>/<str:action>/", lawyer.act, name="lawyer_act"),
    path("staff/", staff.worklist, name="worklist"),
    path("staff/consultations/", staff.consultations, name="consultations"),
    path("staff/walk-in/", staff.walk_in, name="walk_in"),
    path("staff/<str:reference>/", staff.application, name="staff_application"),
    path("staff/<str:reference>/progress/", staff.progress, name="progress"),
    path("staff/<str:reference>/<str:action>/", staff.act, name="staff_act"),
    path("statistics/", stats.page, name="statistics"),
    path("statistics/export.<str:fmt>", stats.export, name="statistics_export"),
]

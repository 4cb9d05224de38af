"""Routes of the HSDS feed, mounted at /api/hsds/ (paths as the HSDS API names them, without a
trailing slash)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.AboutView.as_view(), name="hsds-about"),
    path("services", views.ServiceListView.as_view(), name="hsds-services"),
    path("services/<str:id>", views.ServiceDetailView.as_view(), name="hsds-service"),
    path(
        "service_at_locations",
        views.ServiceAtLocationListView.as_view(),
        name="hsds-service-at-locations",
    ),
    path(
        "service_at_locations/<str:id>",
        views.ServiceAtLocationDetailView.as_view(),
        name="hsds-service-at-location",
    ),
    path("organizations", views.OrganizationListView.as_view(), name="hsds-organizations"),
    path(
        "organizations/<str:id>",
        views.OrganizationDetailView.as_view(),
        name="hsds-organization",
    ),
]

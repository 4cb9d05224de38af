"""API routes mounted under /api/v1/."""

from django.urls import path

from portal.catalogue import api
from portal.catalogue.bundles import api as bundle_api

urlpatterns = [
    path("items/", api.ItemListView.as_view(), name="api-items"),
    path("search/", api.ServiceSearchView.as_view(), name="api-search"),
    path("items/<str:code>/", api.ItemDetailView.as_view(), name="api-item"),
    path("services/", api.ServiceListView.as_view(), name="api-services"),
    path("services/<str:basic_code>/", api.ServiceDetailView.as_view(), name="api-service"),
    path("bundles/", bundle_api.BundleListView.as_view(), name="api-bundles"),
    path("bundles/<str:code>/", bundle_api.BundleDetailView.as_view(), name="api-bundle"),
    path("regions/", api.RegionListView.as_view(), name="api-regions"),
    path("departments/", api.DepartmentListView.as_view(), name="api-departments"),
    path("lists/", api.HandlingListListView.as_view(), name="api-lists"),
    path("lists/<str:kind>/", api.HandlingListDetailView.as_view(), name="api-list"),
]

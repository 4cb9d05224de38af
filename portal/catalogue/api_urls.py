"""API routes mounted under /api/v1/."""

from django.urls import path

from portal.catalogue import api

urlpatterns = [
    path("items/", api.ItemListView.as_view(), name="api-items"),
    path("items/<str:code>/", api.ItemDetailView.as_view(), name="api-item"),
    path("regions/", api.RegionListView.as_view(), name="api-regions"),
    path("departments/", api.DepartmentListView.as_view(), name="api-departments"),
    path("lists/", api.HandlingListListView.as_view(), name="api-lists"),
    path("lists/<str:kind>/", api.HandlingListDetailView.as_view(), name="api-list"),
]

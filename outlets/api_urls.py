"""API routes of the outlets app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("outlets/", api.OutletListView.as_view(), name="api-outlet-list"),
    path("outlets/<str:code>/", api.OutletDetailView.as_view(), name="api-outlet-detail"),
    path("outlets/<str:code>/draft/", api.DraftView.as_view(), name="api-outlet-draft"),
    path(
        "outlets/<str:code>/draft/items/",
        api.DraftItemsView.as_view(),
        name="api-outlet-draft-items",
    ),
    path(
        "outlets/<str:code>/draft/items/<str:item_code>/",
        api.DraftItemView.as_view(),
        name="api-outlet-draft-item",
    ),
    path(
        "outlets/<str:code>/draft/import/",
        api.DraftImportView.as_view(),
        name="api-outlet-draft-import",
    ),
    path("outlets/<str:code>/draft/diff/", api.DraftDiffView.as_view(), name="api-outlet-diff"),
    path("outlets/<str:code>/publish/", api.PublishView.as_view(), name="api-outlet-publish"),
    path("outlets/<str:code>/versions/", api.VersionsView.as_view(), name="api-outlet-versions"),
    path(
        "outlets/<str:code>/versions/<int:number>/withdraw/",
        api.WithdrawView.as_view(),
        name="api-outlet-withdraw",
    ),
]

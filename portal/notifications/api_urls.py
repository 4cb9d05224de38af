"""API routes of notifications, mounted under /api/v1/: the signed-in person's inbox and the
gateway's delivery receipts."""

from django.urls import path

from . import api

urlpatterns = [
    path("inbox/", api.InboxListView.as_view(), name="api-inbox"),
    path("inbox/<int:pk>/", api.InboxMessageView.as_view(), name="api-inbox-message"),
    path("inbox/<int:pk>/read/", api.InboxReadView.as_view(), name="api-inbox-read"),
    path(
        "notifications/receipts/",
        api.ReceiptsView.as_view(),
        name="api-notification-receipts",
    ),
]

"""API routes of proactive approvals, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "approvals/licence-events/",
        api.LicenceEventsView.as_view(),
        name="proactive-licence-events",
    ),
    path(
        "approvals/licence-events/queue/",
        api.LicenceEventsQueueView.as_view(),
        name="proactive-licence-events-queue",
    ),
    path("approvals/rules/", api.RuleList.as_view(), name="proactive-rules"),
    path("approvals/companies/", api.CompanyList.as_view(), name="proactive-companies"),
    path(
        "approvals/companies/<str:uscc>/",
        api.CompanyDetail.as_view(),
        name="proactive-company-detail",
    ),
    path("approvals/offers/", api.OfferList.as_view(), name="proactive-offers"),
    path(
        "approvals/shipments/<str:reference>/",
        api.ShipmentTracking.as_view(),
        name="proactive-shipment-tracking",
    ),
    path(
        "approvals/courier/webhook/", api.CourierWebhook.as_view(), name="proactive-courier-webhook"
    ),
]

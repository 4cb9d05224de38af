"""Pages of proactive approvals (mounted at the site root)."""

from django.urls import path

from . import views

app_name = "proactive"

urlpatterns = [
    path("proactive/offers/<str:signed>/", views.offer_identity, name="offer"),
    path(
        "proactive/offers/<str:signed>/application/",
        views.offer_application,
        name="offer_application",
    ),
    path("proactive/offers/<str:signed>/delivery/", views.offer_delivery, name="offer_delivery"),
    path("proactive/offers/<str:signed>/done/", views.offer_done, name="offer_done"),
    path("proactive/certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("proactive/dashboard/", views.dashboard, name="dashboard"),
    path("proactive/shipments/<int:pk>/<str:step>/", views.shipment_step, name="shipment_step"),
    path("verify/<str:code>/", views.verify_certificate, name="verify"),
]

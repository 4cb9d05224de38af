"""The portal's URL map. Each app owns its pages (``<app>.urls``) and its API routes
(``<app>.api_urls``, mounted under ``/api/v1/``)."""

from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from portal.access.admin import scope_every_admin
from portal.views import admin_sign_in, favicon, healthz

scope_every_admin(admin.site)

api_v1 = [
    path("", include("portal.catalogue.api_urls")),
    path("", include("portal.accounts.api_urls")),
    path("", include("portal.ratings.api_urls")),
    path("", include("portal.notifications.api_urls")),
    path("", include("portal.signing.api_urls")),
    path("", include("outlets.api_urls")),
    path("", include("approvals.api_urls")),
    path("", include("approvals.proactive.api_urls")),
    path("", include("legal_aid.api_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", admin_sign_in, name="admin_sign_in"),  # the portal's sign-in
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # open data: the outlets in the Open Referral HSDS (ADR 0115)
    path("api/hsds/", include("outlets.hsds.urls")),
    # open data: the service catalogue in the EU's CPSV-AP 3.x, JSON-LD (ADR 0116)
    path("api/cpsv/", include("portal.catalogue.cpsv.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # for other systems' developers: what is open and how to call it, then the references
    path("developers/", TemplateView.as_view(template_name="developers.html"), name="developers"),
    path("favicon.ico", favicon),
    # Swagger UI, the API's one documentation page: its start-up script is served as a file (the
    # split view); its syntax highlighter writes inline styles, which this page alone allows (it
    # shows the schema, no personal data). Redoc is gone: it loads its logo from a CDN.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("accounts/", include("portal.accounts.urls")),
    path("inbox/", include("portal.notifications.urls")),
    path("ratings/", include("portal.ratings.urls")),
    path("signing/", include("portal.signing.urls")),
    path("outlets/", include("outlets.urls")),
    path("legal-aid/", include("legal_aid.urls")),
    path("", include("approvals.proactive.urls")),
    path("", include("approvals.urls")),
    path("", include("portal.catalogue.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"

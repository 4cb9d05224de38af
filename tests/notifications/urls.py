"""The portal's URL map with the notifications API mounted under /api/v1/, for tests and matrix
probes while the shared map (portal/urls.py) does not include ``portal.notifications.api_urls``
yet; once it does, the extra include is a harmless duplicate."""

from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("api/v1/", include("portal.notifications.api_urls")),
    *portal_urlpatterns,
]

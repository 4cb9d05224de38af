"""URLconf of the benchmark profile only: the portal's URLs plus a bare view, the baseline the
benchmarks compare their figures with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *portal_urlpatterns]

"""A URLconf for tests only: the portal's URLs plus a tiny DRF view that can fail on demand, so
the problem-details format is checked whatever the apps' endpoints are doing."""

from django.http import Http404
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.urls import urlpatterns as portal_urlpatterns


class EchoSerializer(serializers.Serializer):
    mobile = serializers.RegexField(r"^1\d{10}$")
    count = serializers.IntegerField(min_value=1)


class ProbeView(APIView):
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def get(self, request, kind: str):
        if kind == "missing":
            raise Http404("no such thing")
        return Response({"kind": kind})

    def post(self, request, kind: str):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class PrivateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("api/v1/_probe/private/", PrivateView.as_view()),
    path("api/v1/_probe/<str:kind>/", ProbeView.as_view()),
    *portal_urlpatterns,
]

from django.urls import path

from . import api

urlpatterns = [path("verify/", api.VerifyView.as_view(), name="signing-verify")]

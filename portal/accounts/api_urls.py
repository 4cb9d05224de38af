"""API routes mounted under /api/v1/."""

from django.urls import path

from .api import OtpRequestView, OtpVerifyView

urlpatterns = [
    path("auth/otp/", OtpRequestView.as_view(), name="auth-otp"),
    path("auth/otp/verify/", OtpVerifyView.as_view(), name="auth-otp-verify"),
]

"""API routes mounted under /api/v1/."""

from django.urls import path

from .api import RatingStatisticsView

urlpatterns = [
    path("ratings/statistics/", RatingStatisticsView.as_view(), name="rating-statistics"),
]

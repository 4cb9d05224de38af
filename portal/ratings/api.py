"""Public rating statistics over the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from portal.api.problems import problem_responses

from . import selectors
from .filters import StatisticsFilterSet


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Department id or item code.")
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_blank=True, required=False)
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    good = serializers.IntegerField(help_text="Ratings of 4 or 5.")
    bad = serializers.IntegerField(help_text="Ratings of 1 or 2.")
    good_share = serializers.FloatField(help_text="Per cent of ratings that are good.")
    bad_share = serializers.FloatField(help_text="Per cent of ratings that are bad.")

    def to_representation(self, row):
        if "item__code" in row:
            head = {
                "key": row["item__code"],
                "name": row["item__name"],
                "name_en": row["item__name_en"] or "",
                "department": row["item__department__name"],
            }
        else:
            head = {
                "key": str(row["department_id"]),
                "name": row["department__name"],
                "name_en": row["department__name_en"] or "",
            }
        return {
            **head,
            **{k: row[k] for k in ("count", "average", "good", "bad", "good_share", "bad_share")},
        }


class RatingStatisticsView(ListAPIView):
    """Rating statistics by department (default) or by service item, computed in SQL."""

    permission_classes = [AllowAny]
    serializer_class = StatisticsRowSerializer
    filterset_class = StatisticsFilterSet  # by item, since, until

    @extend_schema(
        tags=["ratings"],
        responses={
            200: StatisticsRowSerializer(many=True),
            **problem_responses(400, s404="No such page."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.statistics_by_department()

"""Public rating statistics over the API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from . import selectors


class StatisticsQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["department", "item"], default="department")
    # A range with since after until is empty: no rows, not an error.
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def to_internal_value(self, data):
        blank = [name for name in ("by", "since", "until") if name in data and data[name] == ""]
        if blank:
            raise serializers.ValidationError(dict.fromkeys(blank, "May not be blank."))
        return super().to_internal_value(data)


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
    filter_backends: list = []

    @extend_schema(
        tags=["ratings"],
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=["department", "item"]),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
        ],
        responses={
            200: StatisticsRowSerializer(many=True),
            400: OpenApiResponse(description="Problem details (RFC 9457)."),
            404: OpenApiResponse(description="Problem details: no such page."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = StatisticsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data["by"] == "item":
            return selectors.statistics_by_item(data.get("since"), data.get("until"))
        return selectors.statistics_by_department(data.get("since"), data.get("until"))

"""The report API's shapes. A run's result is the PublishedReport as JSON: suppressed
exactly as the page shows it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crisis_ops.reports.models import ReportRun


class ReportDefinitionSerializer(serializers.Serializer[Any]):
    figure = serializers.CharField(max_length=60)
    start = serializers.CharField(max_length=7, help_text="First month, YYYY-MM.")
    end = serializers.CharField(max_length=7, help_text="Last month, YYYY-MM.")
    breakdowns = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=5
    )
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=60), max_length=50),
        required=False,
    )
    organisations = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=200
    )
    language = serializers.ChoiceField(choices=["kk", "ru", "en"], required=False)


class ReportRunSerializer(serializers.ModelSerializer[ReportRun]):
    # A plain string in the schema: an enum named "status" collides with the other apps'.
    status = serializers.CharField(read_only=True, help_text="pending, running, done or failed.")

    class Meta:
        model = ReportRun
        fields = ["id", "status", "progress", "definition", "created_at", "finished_at"]
        read_only_fields = fields


class ReportRunDetailSerializer(ReportRunSerializer):
    result = serializers.JSONField(read_only=True)

    class Meta(ReportRunSerializer.Meta):
        fields = [*ReportRunSerializer.Meta.fields, "result"]
        read_only_fields = fields

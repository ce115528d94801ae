from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from crisis_ops.report_exports.models import ReportExport
from crisis_ops.reports.exports.render import FORMATS


class ExportCreateSerializer(serializers.Serializer[None]):
    format = serializers.ChoiceField(choices=sorted(FORMATS))


class DownloadQuerySerializer(serializers.Serializer[None]):
    # Not "format": DRF reads ?format= to choose its own renderer.
    file_format = serializers.ChoiceField(choices=sorted(FORMATS))


class ReportExportSerializer(serializers.ModelSerializer[ReportExport]):
    report = serializers.UUIDField(source="run_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportExport
        fields = [
            "id",
            "report",
            "format",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, export: ReportExport) -> str | None:
        if not export.is_downloadable():
            return None
        path = reverse("api:report-download", kwargs={"run_id": export.run_id})
        return f"{path}?file_format={export.format}"

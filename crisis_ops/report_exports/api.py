"""Report files over the API: status of an export job, and reports/{id}/download.

Only whoever asked for a file may see its job or download it (404 for anyone else).
"""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.core.typing import api_user
from crisis_ops.report_exports import selectors, services
from crisis_ops.report_exports.serializers import (
    DownloadQuerySerializer,
    ExportCreateSerializer,
    ReportExportSerializer,
)
from crisis_ops.report_exports.views import file_response


class ReportExportCreate(APIView):
    """Ask for a file of a finished report run; 202, then poll report-exports/{id}.

    A browser session polling it should send ``X-Background-Refresh: 1``: polls then do not
    count as activity for the 15-minute idle sign-out.
    """

    @extend_schema(request=ExportCreateSerializer, responses={202: ReportExportSerializer})
    def post(self, request: Request, run_id: uuid.UUID) -> Response:
        body = ExportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        export = services.export_request_for_run(
            actor=api_user(request), run_id=run_id, format=body.validated_data["format"]
        )
        return Response(ReportExportSerializer(export).data, status=202)


class ExportDetail(APIView):
    """An export job: status and progress (0-100), polled until it is ready."""

    @extend_schema(responses=ReportExportSerializer)
    def get(self, request: Request, export_id: uuid.UUID) -> Response:
        export = selectors.export_get_for_user(user=api_user(request), export_id=export_id)
        return Response(ReportExportSerializer(export).data)


class ReportDownload(APIView):
    """The newest file of this report in the format asked, for whoever asked for it."""

    @extend_schema(
        parameters=[DownloadQuerySerializer],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The file is still being built."),
            410: OpenApiResponse(description="The file failed or was deleted after 7 days."),
        },
    )
    def get(self, request: Request, run_id: uuid.UUID) -> HttpResponse:
        query = DownloadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = api_user(request)
        export = selectors.export_latest_for_run(
            user=user, run_id=run_id, format=query.validated_data["file_format"]
        )
        try:
            data = services.export_download(actor=user, export=export)
        except services.NotDownloadable:
            if export.is_finished:
                return Response(
                    {"detail": "The file failed or was deleted after 7 days; ask for it again."},
                    status=410,
                )
            return Response(
                {"detail": "The file is still being built.", "progress": export.progress},
                status=409,
            )
        return file_response(export, data)

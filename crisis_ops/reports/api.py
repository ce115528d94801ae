"""Report runs over the API: create one, read its status, progress and published result.

Who may report, and on which organisations, comes from reports.selectors, as on the
pages; a caseworker or shelter manager gets 403, another user's run is 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.core.typing import api_user
from crisis_ops.reports import selectors, services
from crisis_ops.reports.models import ReportRun
from crisis_ops.reports.serializers import (
    ReportDefinitionSerializer,
    ReportRunDetailSerializer,
    ReportRunSerializer,
)


class ReportRunListCreate(generics.ListCreateAPIView[ReportRun]):
    """Your report runs, newest first; POST a definition to run a report."""

    serializer_class = ReportRunSerializer

    def get_queryset(self) -> QuerySet[ReportRun]:
        return selectors.report_run_list_for_user(user=api_user(self.request))

    @extend_schema(request=ReportDefinitionSerializer, responses={201: ReportRunDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ReportDefinitionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = {**given.validated_data}
        data["organisations"] = [str(o) for o in data.get("organisations", [])]
        data.setdefault("language", translation.get_language() or "en")
        run = services.report_run_create(user=api_user(request), data=data)
        return Response(ReportRunDetailSerializer(run).data, status=status.HTTP_201_CREATED)


class ReportRunDetail(APIView):
    """One of your runs: status, progress and, when done, the published result."""

    @extend_schema(responses=ReportRunDetailSerializer)
    def get(self, request: Request, run_id: uuid.UUID) -> Response:
        run = selectors.report_run_get_for_user(user=api_user(request), run_id=run_id)
        return Response(ReportRunDetailSerializer(run).data)

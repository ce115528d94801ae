"""The caller's own reminders and alerts over the API (``reminders``): the same
selectors, subjects and service as the inbox pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.core.typing import api_user
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.selectors import notification_list_for_user
from crisis_ops.notifications.serializers import ReminderFilterSerializer, ReminderSerializer
from crisis_ops.notifications.services import notification_mark_read
from crisis_ops.notifications.subjects import subjects_for


@extend_schema(parameters=[ReminderFilterSerializer])
class ReminderList(generics.ListAPIView[Notification]):
    """The caller's own reminders and alerts, newest first; ``unread=true`` for the unread."""

    serializer_class = ReminderSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        filters = ReminderFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return notification_list_for_user(
            user=api_user(self.request), unread=filters.validated_data.get("unread")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        subjects = subjects_for(user=api_user(request), notifications=page)
        data = ReminderSerializer(page, many=True, context={"subjects": subjects}).data
        return self.get_paginated_response(data)


class ReminderRead(APIView):
    """Mark one of the caller's reminders as read; marking it again changes nothing."""

    @extend_schema(request=None, responses=ReminderSerializer)
    def post(self, request: Request, reminder_id: uuid.UUID) -> Response:
        user = api_user(request)
        notification = notification_mark_read(user=user, notification_id=reminder_id)
        subjects = subjects_for(user=user, notifications=[notification])
        return Response(ReminderSerializer(notification, context={"subjects": subjects}).data)

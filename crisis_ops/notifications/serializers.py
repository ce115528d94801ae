"""The inbox over the API. Class names keep the ``Reminder`` component of the schema."""

from __future__ import annotations

import uuid

from rest_framework import serializers

from crisis_ops.core.api import QueryFilterSerializer
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.subjects import Subject


class ReminderSerializer(serializers.ModelSerializer[Notification]):
    """A notification of the caller; ``case`` is set while the caller may still see it."""

    kind_label = serializers.CharField(read_only=True)
    case = serializers.SerializerMethodField()
    case_reference = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "object_type",
            "object_id",
            "case",
            "case_reference",
            "created_at",
            "read_at",
        ]

    def _subject(self, notification: Notification) -> Subject | None:
        subjects: dict[uuid.UUID, Subject] = self.context.get("subjects", {})
        return subjects.get(notification.pk)

    def get_case(self, notification: Notification) -> str | None:
        subject = self._subject(notification)
        return str(subject.case_id) if subject and subject.case_id else None

    def get_case_reference(self, notification: Notification) -> str | None:
        subject = self._subject(notification)
        return subject.case_reference if subject else None


class ReminderFilterSerializer(QueryFilterSerializer):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)

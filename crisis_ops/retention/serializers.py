from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crisis_ops.retention.models import (
    MAX_YEARS,
    MIN_YEARS,
    ErasureRequest,
    LegalHold,
)


class PolicySerializer(serializers.Serializer[Any]):
    organisation_id = serializers.UUIDField(read_only=True)
    years = serializers.IntegerField(min_value=MIN_YEARS, max_value=MAX_YEARS)
    # kind -> years; a kind left out keeps the default.
    rules = serializers.DictField(
        child=serializers.IntegerField(min_value=MIN_YEARS, max_value=MAX_YEARS), default=dict
    )
    kinds = serializers.ListField(child=serializers.DictField(), read_only=True)


class HeldCaseSerializer(serializers.Serializer[Any]):
    organisation_id = serializers.UUIDField(read_only=True)
    case_reference = serializers.CharField(read_only=True, max_length=24)
    reasons = serializers.ListField(child=serializers.CharField(max_length=500), read_only=True)


class LegalHoldSerializer(serializers.ModelSerializer[LegalHold]):
    reason = serializers.CharField(read_only=True)

    class Meta:
        model = LegalHold
        fields = ["id", "organisation_id", "case_reference", "reason", "created_at"]
        read_only_fields = fields


class LegalHoldCreateSerializer(serializers.Serializer[Any]):
    organisation_id = serializers.UUIDField()
    case_reference = serializers.CharField(max_length=24)
    reason = serializers.CharField(max_length=500)


class ErasureRequestSerializer(serializers.ModelSerializer[ErasureRequest]):
    class Meta:
        model = ErasureRequest
        fields = [
            "id",
            "organisation_id",
            "case_reference",
            "status",
            "requested_by_id",
            "decided_by_id",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class ErasureCreateSerializer(serializers.Serializer[Any]):
    case_reference = serializers.CharField(max_length=24)

"""The case file in the case API (``file`` of GET /api/v1/cases/{id}): the same selector
as the case page, so page and API show the same perpetrators, children and safety flags."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.models import Case, Child, Perpetrator
from cases.models.choices import ViolenceType
from cases.selectors_file import CaseFile, case_file


class PerpetratorSerializer(serializers.ModelSerializer[Perpetrator]):
    full_name = serializers.CharField(read_only=True)
    details = serializers.CharField(read_only=True)

    class Meta:
        model = Perpetrator
        fields = ["id", "full_name", "relationship", "details"]
        read_only_fields = fields


class ChildSerializer(serializers.ModelSerializer[Child]):
    first_name = serializers.CharField(read_only=True)

    class Meta:
        model = Child
        fields = ["id", "first_name", "birth_year"]
        read_only_fields = fields


class SafetyFlagSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]


class CaseFileSerializer(serializers.Serializer[CaseFile]):
    """Read with ``source="*"``: given the case, it reads the file through the selector."""

    safety = SafetyFlagSerializer(many=True, read_only=True)
    perpetrators = PerpetratorSerializer(many=True, read_only=True)
    children = ChildSerializer(many=True, read_only=True)
    violence_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolenceType.choices), read_only=True
    )
    injuries = serializers.BooleanField(read_only=True)
    children_present = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: Any) -> Any:
        if isinstance(instance, Case):
            instance = case_file(case=instance)
        return super().to_representation(instance)

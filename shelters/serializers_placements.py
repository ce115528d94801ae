"""Shapes of holds and stays in the API (shelters/api_placements.py).

The rules of ``shelters.serializers`` hold here too: a shelter manager of another
organisation sees the survivor code and the practical needs, never a name; the case id
only goes to the staff of the case's own center (``case_orgs`` in the context).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models.survivor import Survivor
from crisis_ops.core import text as caps
from crisis_ops.core.api import QueryFilterSerializer
from crisis_ops.core.dates import EVENT, PLAN, api_date
from crisis_ops.core.schema import named_choice_field
from crisis_ops.core.text import model_cap
from shelters.models import Occupancy
from shelters.serializers import (
    BedKindField,
    BedRefSerializer,
    ChangeSerializer,
    OccupancyKindField,
    ShelterRefSerializer,
)

NEEDS_MAX = caps.PARAGRAPH
OutcomeField = named_choice_field(Occupancy.Outcome, "StayOutcome")


# --- output -------------------------------------------------------------------------------


class _OccupancyBase(serializers.ModelSerializer[Occupancy]):
    """What a hold or a stay shows: the survivor code and the practical needs, no name."""

    kind = OccupancyKindField(read_only=True)
    bed = BedRefSerializer(read_only=True)
    shelter = ShelterRefSerializer(source="bed.shelter", read_only=True)
    case = serializers.SerializerMethodField()
    survivor_code = serializers.CharField(source="case.survivor.code", read_only=True)
    placing_center = serializers.CharField(source="case.organisation.name", read_only=True)
    needs = serializers.CharField(read_only=True)

    def get_case(self, occupancy: Occupancy) -> str | None:
        """The case id, only for the staff of the case's own center."""
        if occupancy.case.organisation_id in self.context.get("case_orgs", ()):
            return str(occupancy.case_id)
        return None


class HoldSerializer(_OccupancyBase):
    class Meta:
        model = Occupancy
        fields = [
            "id",
            "kind",
            "bed",
            "shelter",
            "case",
            "survivor_code",
            "placing_center",
            "hold_expires_at",
            "needs",
            "ended_at",
            "end_reason",
        ]


class StaySerializer(_OccupancyBase):
    accompanies = serializers.UUIDField(source="accompanies_id", read_only=True, allow_null=True)
    outcome = serializers.CharField(read_only=True, help_text=_("Blank until discharged."))

    class Meta:
        model = Occupancy
        fields = [
            "id",
            "kind",
            "bed",
            "shelter",
            "case",
            "survivor_code",
            "placing_center",
            "admitted_on",
            "expected_end",
            "needs",
            "accompanies",
            "ended_at",
            "outcome",
        ]


class StayWithWarningsSerializer(StaySerializer):
    """A stay just admitted or changed, with what the caller should know (a stay past 6 months)."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(StaySerializer.Meta):
        fields = [*StaySerializer.Meta.fields, "warnings"]


# --- input --------------------------------------------------------------------------------


class HoldCreateSerializer(serializers.Serializer[Any]):
    """Hold one bed (``bed``), or any free bed of a kind in a shelter (``shelter`` + ``kind``)."""

    case = serializers.UUIDField()
    bed = serializers.UUIDField(
        required=False, help_text=_("Give either a bed, or a shelter and a bed kind.")
    )
    shelter = serializers.UUIDField(
        required=False, help_text=_("Give either a bed, or a shelter and a bed kind.")
    )
    kind = BedKindField(required=False, help_text=_("Needed with shelter."))
    wheelchair_accessible = serializers.BooleanField(required=False, default=False)
    needs = serializers.CharField(
        max_length=NEEDS_MAX, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("bed" in attrs) == ("shelter" in attrs):
            raise serializers.ValidationError(
                {"bed": [_("Give either a bed, or a shelter and a bed kind.")]}
            )
        if "shelter" in attrs and "kind" not in attrs:
            raise serializers.ValidationError({"kind": [_("Which kind of bed is needed?")]})
        return attrs


def _children_beds() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=12
    )


class HoldConfirmSerializer(serializers.Serializer[Any]):
    expected_end = api_date(PLAN, required=False, allow_null=True, default=None)
    children_beds = _children_beds()


class StayAdmitSerializer(serializers.Serializer[Any]):
    bed = serializers.UUIDField()
    survivor_code = serializers.CharField(max_length=model_cap(Survivor, "code"))
    admitted_on = api_date(EVENT, required=False, allow_null=True, default=None)
    expected_end = api_date(PLAN, required=False, allow_null=True, default=None)
    needs = serializers.CharField(
        max_length=NEEDS_MAX, required=False, allow_blank=True, default=""
    )
    children_beds = _children_beds()


class StayUpdateSerializer(ChangeSerializer):
    expected_end = api_date(PLAN, required=False, allow_null=True)
    needs = serializers.CharField(max_length=NEEDS_MAX, required=False, allow_blank=True)


class StayDischargeSerializer(serializers.Serializer[Any]):
    outcome = OutcomeField()


class StayFilterSerializer(QueryFilterSerializer):
    current = serializers.BooleanField(
        required=False, default=True, help_text=_("false to include ended stays.")
    )

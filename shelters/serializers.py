"""Shapes of shelters, beds, holds, stays and turn-aways in the API.

Output serializers read models (and the board's rows); input serializers only check
types, lengths and choices, and the services decide the rest. Encrypted fields are
declared by name, so they are read through the decrypting attribute.

What leaves the shelter's own organisation is decided here, from the context:
``own`` (organisations the caller is a member of) gates the street address;
``case_orgs`` (organisations whose cases the caller works) gates the case id and
the placing center's people. A shelter manager of another organisation sees the
survivor code and the practical needs, never a name, a narrative or a reference.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crisis_ops.core import text as caps
from crisis_ops.core.api import QueryFilterSerializer
from crisis_ops.core.dates import EVENT, PLAN, api_date
from crisis_ops.core.schema import named_choice_field
from crisis_ops.core.text import model_cap
from crisis_ops.organisations.models import Organisation, Region
from shelters.board import BoardRow
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway
from shelters.selectors import GridBed

BedKindField = named_choice_field(Bed.Kind, "BedKind")
OccupancyKindField = named_choice_field(Occupancy.Kind, "OccupancyKind")
TurnAwayReasonField = named_choice_field(TurnAway.Reason, "TurnAwayReason")


@extend_schema_field(
    {"type": "string", "enum": ["free", "held", "occupied", "out_of_service"]},
    component_name="BedState",
)
class BedStateField(serializers.CharField):
    pass


# --- output -------------------------------------------------------------------------------


class RegionRefSerializer(serializers.ModelSerializer[Region]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class OrganisationRefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class ShelterSerializer(serializers.ModelSerializer[Shelter]):
    """A shelter of the network; ``address`` is null outside its own organisation."""

    region = RegionRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    address = serializers.SerializerMethodField()

    class Meta:
        model = Shelter
        fields = [
            "id",
            "name",
            "region",
            "organisation",
            "address",
            "intake_phone",
            "beds_updated_at",
            "is_active",
        ]

    def get_address(self, shelter: Shelter) -> str | None:
        return shelter.address if shelter.organisation_id in self.context["own"] else None


class ShelterRefSerializer(serializers.ModelSerializer[Shelter]):
    class Meta:
        model = Shelter
        fields = ["id", "name"]


class RoomRefSerializer(serializers.ModelSerializer[Room]):
    class Meta:
        model = Room
        fields = ["id", "name"]


_BED_NAME_HELP = _("Room and bed, in words: “Room 2, bed 2”.")


class BedRefSerializer(serializers.ModelSerializer[Bed]):
    room = serializers.CharField(source="room.name", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True, help_text=_BED_NAME_HELP)

    class Meta:
        model = Bed
        fields = ["id", "label", "room", "name"]


class GridOccupancySerializer(serializers.ModelSerializer[Occupancy]):
    kind = OccupancyKindField(read_only=True)
    survivor_code = serializers.CharField(source="case.survivor.code", read_only=True)
    placing_center = serializers.CharField(source="case.organisation.name", read_only=True)
    needs = serializers.CharField(read_only=True)
    accompanies = serializers.UUIDField(source="accompanies_id", read_only=True, allow_null=True)

    class Meta:
        model = Occupancy
        fields = [
            "id",
            "kind",
            "survivor_code",
            "placing_center",
            "needs",
            "hold_expires_at",
            "admitted_on",
            "expected_end",
            "accompanies",
        ]


class GridBedSerializer(serializers.Serializer[GridBed]):
    """One bed of a shelter's grid, with its hold or stay (survivor code, no name)."""

    id = serializers.UUIDField(source="bed.pk", read_only=True)
    room = RoomRefSerializer(source="bed.room", read_only=True)
    label = serializers.CharField(source="bed.label", read_only=True)  # type: ignore[assignment]
    name = serializers.CharField(source="bed.__str__", read_only=True, help_text=_BED_NAME_HELP)
    kind = BedKindField(source="bed.kind", read_only=True)
    wheelchair_accessible = serializers.BooleanField(
        source="bed.wheelchair_accessible", read_only=True
    )
    isolation = serializers.BooleanField(source="bed.isolation", read_only=True)
    out_of_service = serializers.BooleanField(source="bed.out_of_service", read_only=True)
    state = BedStateField(
        read_only=True,
        allow_null=True,
        help_text=_("Null for someone who sets the shelter up but does not run its grid."),
    )
    occupancy = GridOccupancySerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The hold or stay on the bed; only for the shelter's managers."),
    )


class FreeBedsSerializer(serializers.Serializer[dict[str, int]]):
    adult = serializers.IntegerField(read_only=True)
    child = serializers.IntegerField(read_only=True)
    cot = serializers.IntegerField(read_only=True)


class BoardRowSerializer(serializers.Serializer[BoardRow]):
    """One shelter on the availability board: counts only, the address for its own people."""

    id = serializers.UUIDField(source="shelter.pk", read_only=True)
    name = serializers.CharField(source="shelter.name", read_only=True)
    region = RegionRefSerializer(source="shelter.region", read_only=True)
    organisation = OrganisationRefSerializer(source="shelter.organisation", read_only=True)
    intake_phone = serializers.CharField(source="shelter.intake_phone", read_only=True)
    address = serializers.SerializerMethodField()
    free = FreeBedsSerializer(read_only=True)
    free_total = serializers.IntegerField(read_only=True)
    free_accessible = serializers.IntegerField(read_only=True)
    free_isolation = serializers.IntegerField(read_only=True)
    in_service = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    beds_updated_at = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        allow_null=True,
        help_text=_("Null until a bed of the shelter changes."),
    )

    def get_address(self, row: BoardRow) -> str | None:
        return row.shelter.address if row.show_address else None


class TurnAwaySerializer(serializers.ModelSerializer[TurnAway]):
    shelter = ShelterRefSerializer(read_only=True)
    requesting_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    reason = TurnAwayReasonField(read_only=True)
    bed_kind = BedKindField(read_only=True)

    class Meta:
        model = TurnAway
        fields = [
            "id",
            "shelter",
            "requesting_organisation",
            "occurred_on",
            "reason",
            "bed_kind",
            "people",
            "created_at",
        ]


# --- input --------------------------------------------------------------------------------


class ShelterCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.UUIDField(
        required=False, help_text=_("Needed when you set up shelters for several organisations.")
    )
    name = serializers.CharField(max_length=model_cap(Shelter, "name"))
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), pk_field=serializers.UUIDField()
    )
    address = serializers.CharField(max_length=caps.ADDRESS)
    intake_phone = serializers.CharField(max_length=model_cap(Shelter, "intake_phone"))


class ChangeSerializer(serializers.Serializer[Any]):
    """A PATCH body: only the fields given change, and at least one must be given."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(_("Give at least one field to change."))
        return attrs


class ShelterUpdateSerializer(ChangeSerializer):
    name = serializers.CharField(max_length=model_cap(Shelter, "name"), required=False)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), pk_field=serializers.UUIDField(), required=False
    )
    address = serializers.CharField(max_length=caps.ADDRESS, required=False)
    intake_phone = serializers.CharField(
        max_length=model_cap(Shelter, "intake_phone"), required=False
    )
    is_active = serializers.BooleanField(required=False)


class BedCreateSerializer(serializers.Serializer[Any]):
    room = serializers.CharField(
        max_length=model_cap(Room, "name"),
        help_text=_("The room's name; a new name adds the room."),
    )
    label = serializers.CharField(max_length=model_cap(Bed, "label"))  # type: ignore[assignment]
    kind = BedKindField(default=Bed.Kind.ADULT)
    wheelchair_accessible = serializers.BooleanField(default=False)
    isolation = serializers.BooleanField(default=False)


class BedUpdateSerializer(ChangeSerializer):
    out_of_service = serializers.BooleanField(required=False)
    isolation = serializers.BooleanField(required=False)
    wheelchair_accessible = serializers.BooleanField(required=False)
    kind = BedKindField(required=False)


class AvailabilityFilterSerializer(QueryFilterSerializer):
    region = serializers.UUIDField(required=False)
    kind = BedKindField(required=False)
    accessible = serializers.BooleanField(required=False, default=False)


class TurnAwayCreateSerializer(serializers.Serializer[Any]):
    shelter = serializers.UUIDField()
    reason = TurnAwayReasonField()
    bed_kind = BedKindField()
    people = serializers.IntegerField(required=False, default=1)
    occurred_on = api_date(EVENT, required=False, allow_null=True, default=None)


_RANGE = "From the day the center's records begin to a year from today"
_TO_HELP = f"{_RANGE}; on or after from."
_FROM_HELP = f"{_RANGE}; on or before to."


class TurnAwayFilterSerializer(QueryFilterSerializer):
    # "from" is a Python keyword: the field is declared below under its public name.
    to = api_date(PLAN, required=False, help_text=_TO_HELP)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = api_date(PLAN, required=False, help_text=_FROM_HELP)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and end < start:
            raise serializers.ValidationError({"to": [_("The end comes before the start.")]})
        return attrs

"""The anonymous hotline call over the API: categories only, and nothing else taken.

A body with a field this serializer does not know (``caller_phone``, ``name``,
``notes``...) is refused whole, naming the field but never echoing its value: an
integration that tries to send a caller's number learns at once that it cannot.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from cases.models import HotlineCall
from cases.models.choices import (
    AgeBand,
    Disability,
    GBVIMSClass,
    Relationship,
    Sex,
    ViolenceType,
)
from cases.models.hotline import HOTLINE_SOURCE_CHOICES
from crisis_ops.core.dates import EVENT, api_date
from crisis_ops.organisations.models import Region


class HotlineCallCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.UUIDField(
        required=False,
        help_text="The center she acts for; required when she works for more than one.",
    )
    # A field named "source" shadows Field.source in the stubs; DRF declares it like any other.
    source = serializers.ChoiceField(choices=HOTLINE_SOURCE_CHOICES)  # type: ignore[assignment]
    received_on = api_date(EVENT)
    region = serializers.PrimaryKeyRelatedField[Region](
        queryset=Region.objects.all(), pk_field=serializers.UUIDField()
    )
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    disability = serializers.ChoiceField(choices=Disability.choices)
    violence_types = serializers.MultipleChoiceField(
        choices=ViolenceType.choices, allow_empty=False
    )
    gbvims_class = serializers.ChoiceField(choices=GBVIMSClass.choices)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    statistics_consent = serializers.BooleanField(
        help_text="She agreed that the call is counted in anonymised statistics."
    )

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [_("An anonymous call takes no such field; nothing was saved.")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class HotlineCallSerializer(serializers.ModelSerializer[HotlineCall]):
    organisation_id = serializers.UUIDField(read_only=True)
    region = serializers.UUIDField(source="region_id", read_only=True)
    case_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = HotlineCall
        fields = [
            "id",
            "organisation_id",
            "source",
            "received_on",
            "region",
            "age_band",
            "sex",
            "disability",
            "violence_types",
            "gbvims_class",
            "relationship",
            "statistics_consent",
            "case_id",
            "converted_at",
        ]
        read_only_fields = fields


class HotlineCallLinkSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="The case opened for her when she came in.")

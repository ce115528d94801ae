"""Shapes of the case file in the API.

Output serializers read models; input serializers only check types and choices,
and the services decide the rest (dates, transitions, consistency). Encrypted
fields are declared by name, so they are read through the decrypting attribute.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import (
    Case,
    Consent,
    Incident,
    Note,
    RiskAssessment,
    RiskInstrument,
    Survivor,
)
from cases.models.choices import (
    ConsentPart,
    ConsentScope,
    GBVIMSClass,
    Relationship,
    RiskBand,
    ViolenceType,
)
from cases.serializers_file import CaseFileSerializer
from crisis_ops.accounts.models import User
from crisis_ops.core import text as caps
from crisis_ops.core.api import QueryFilterSerializer
from crisis_ops.core.dates import EVENT, PLAN, api_date


# Four fields carry a risk band; one component keeps the schema from naming the set four times.
@extend_schema_field({"type": "string", "enum": RiskBand.values}, component_name="RiskBand")
class RiskBandField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RiskBand.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": [*RiskBand.values, ""]}, component_name="RiskBandOrBlank"
)
class RiskBandOrBlankField(RiskBandField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_blank=True, **kwargs)


# --- output -------------------------------------------------------------------------------


class UserRefSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]


class SurvivorSummarySerializer(serializers.ModelSerializer[Survivor]):
    full_name = serializers.CharField(read_only=True)
    region = serializers.SlugRelatedField[Any](slug_field="code", read_only=True)

    class Meta:
        model = Survivor
        fields = ["code", "full_name", "age_band", "sex", "region"]


class SurvivorIdentitySerializer(SurvivorSummarySerializer):
    iin = serializers.CharField(read_only=True, allow_null=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)
    address = serializers.CharField(read_only=True)
    safe_contact = serializers.CharField(read_only=True)

    class Meta(SurvivorSummarySerializer.Meta):
        fields = [
            *SurvivorSummarySerializer.Meta.fields,
            "iin",
            "birth_date",
            "phone",
            "address",
            "safe_contact",
            "disability",
        ]


class CaseListSerializer(serializers.ModelSerializer[Case]):
    risk_band = RiskBandOrBlankField(read_only=True)
    organisation_id = serializers.UUIDField(read_only=True)
    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    survivor = SurvivorSummarySerializer(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "risk_band",
            "opened_on",
            "source",
            "organisation_id",
            "assigned_to",
            "survivor",
            "never_disclose_location",
            "no_contact_by_phone",
            "is_restricted",
        ]
        read_only_fields = fields


class _BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice stored blank (not chosen yet) leaves the API as null, which the schema
    documents beside the enum; "" is no member of the enum."""

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)


class CaseDetailSerializer(CaseListSerializer):
    survivor = SurvivorIdentitySerializer(read_only=True)
    file = CaseFileSerializer(source="*", read_only=True)
    closed_reason = _BlankAsNullChoiceField(
        choices=Case.ClosedReason.choices,
        read_only=True,
        allow_null=True,
        help_text=_("Null unless the case is closed."),
    )

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "closed_reason",
            "closed_at",
            "court_case_pending",
            "file",
        ]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    violence_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolenceType.choices), read_only=True
    )
    narrative = serializers.CharField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "occurred_on",
            "violence_types",
            "gbvims_class",
            "relationship",
            "children_present",
            "injuries",
            "reported_to_police",
            "forensic_exam_needed",
            "forensic_exam_done",
            "narrative",
            "created_at",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer[Note]):
    author = UserRefSerializer(read_only=True)
    text = serializers.CharField(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    recorded_by = UserRefSerializer(read_only=True)
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPart.choices), read_only=True
    )
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "scope",
            "granted_on",
            "expires_on",
            "revoked_at",
            "parts",
            "is_current",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_current(self, consent: Consent) -> bool:
        return consent.is_valid_on(timezone.localdate())


class RiskInstrumentSerializer(serializers.ModelSerializer[RiskInstrument]):
    class Meta:
        model = RiskInstrument
        fields = ["id", "code", "version", "name"]
        read_only_fields = fields


class RiskAssessmentSerializer(serializers.ModelSerializer[RiskAssessment]):
    instrument = RiskInstrumentSerializer(read_only=True)
    assessed_by = UserRefSerializer(read_only=True)
    band = RiskBandField(read_only=True)
    override_band = RiskBandOrBlankField(read_only=True)
    final_band = RiskBandField(read_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "score",
            "band",
            "override_band",
            "final_band",
            "instrument",
            "assessed_by",
            "created_at",
        ]
        read_only_fields = fields


class RiskAssessmentDetailSerializer(RiskAssessmentSerializer):
    """With the answers and the override's reason, which lists leave out."""

    answers = serializers.DictField(child=serializers.BooleanField(), read_only=True)
    override_reason = serializers.CharField(read_only=True)

    class Meta(RiskAssessmentSerializer.Meta):
        fields = [*RiskAssessmentSerializer.Meta.fields, "override_reason", "answers"]
        read_only_fields = fields


# --- input --------------------------------------------------------------------------------


class CaseFilterSerializer(QueryFilterSerializer):
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    risk_band = RiskBandField(required=False)
    assigned_to_me = serializers.BooleanField(default=False)
    has_overdue = serializers.BooleanField(
        default=False, help_text=_("Only cases with a consent that expired unrevoked.")
    )
    organisation = serializers.UUIDField(
        required=False,
        help_text=_("Only the cases of this center, one you work for as case staff."),
    )


class CaseSearchSerializer(CaseFilterSerializer):
    """The body of ``POST /api/v1/cases/search``: the list's filters and what to look for,
    which never goes in a URL (access logs, proxies and histories keep URLs)."""

    search = serializers.CharField(
        max_length=caps.SEARCH,
        help_text=_(
            "The survivor's exact IIN or phone number, or whole words of her name "
            "(one word is enough)."
        ),
    )


class CaseUpdateSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    # A legal hold: while a court case about her is pending, her file is never purged.
    court_case_pending = serializers.BooleanField(required=False)
    closed_reason = serializers.ChoiceField(
        choices=Case.ClosedReason.choices, required=False, allow_blank=True
    )
    assigned_to = serializers.PrimaryKeyRelatedField[User](
        queryset=User.objects.filter(is_active=True),
        pk_field=serializers.UUIDField(),
        required=False,
        # The same words as the service's, so a stranger's id reveals nothing more.
        error_messages={"does_not_exist": _("Choose a caseworker of this center.")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "closed_reason" in attrs and "status" not in attrs:
            raise serializers.ValidationError(
                {"closed_reason": [_("Send it together with the status.")]}
            )
        if not attrs.keys() & {"status", "assigned_to", "court_case_pending"}:
            raise serializers.ValidationError(
                _("Send a status, an assignee, whether a court case is pending, or several.")
            )
        return attrs


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": ViolenceType.values},
        "minItems": 1,
        "uniqueItems": True,
    }
)
class _ViolenceTypesField(serializers.MultipleChoiceField):
    """At least one violence type: the schema says so (minItems), as the check does."""


class IncidentCreateSerializer(serializers.Serializer[Any]):
    occurred_on = api_date(EVENT)
    violence_types = _ViolenceTypesField(choices=ViolenceType.choices, allow_empty=False)
    gbvims_class = serializers.ChoiceField(choices=GBVIMSClass.choices)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    children_present = serializers.BooleanField(default=False)
    injuries = serializers.BooleanField(default=False)
    reported_to_police = serializers.BooleanField(default=False)
    forensic_exam_needed = serializers.BooleanField(default=False)
    forensic_exam_done = serializers.BooleanField(default=False)
    narrative = serializers.CharField(allow_blank=True, default="", max_length=caps.LONG)


class NoteCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=caps.LONG)


class ConsentCreateSerializer(serializers.Serializer[Any]):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    granted_on = api_date(EVENT, default=timezone.localdate)
    expires_on = api_date(PLAN, allow_null=True, default=None)
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPart.choices), default=list
    )


class AnswersField(serializers.DictField):
    """Question number -> yes/no.

    One message for the whole field: the error format has a flat list per
    field, and a per-key dict would arrive there as its Python repr.
    """

    child = serializers.BooleanField()

    def to_internal_value(self, data: Any) -> dict[Any, Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                raise serializers.ValidationError(
                    _("Answer each question, by its number, with true or false.")
                ) from exc
            raise


class RiskAssessmentCreateSerializer(serializers.Serializer[Any]):
    answers = AnswersField(allow_empty=False)
    override_band = RiskBandOrBlankField(default="")
    override_reason = serializers.CharField(allow_blank=True, default="", max_length=caps.REASON)

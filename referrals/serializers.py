"""Shapes of partners and referrals in the API.

What a referral shares is never read from the model here: ``SharedSerializer``
takes the parts that ``services.referral_open`` allowed, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models.choices import ConsentPart
from cases.serializers import UserRefSerializer
from crisis_ops.core import text as caps
from crisis_ops.core.api import QueryFilterSerializer
from crisis_ops.core.schema import named_choice_field
from crisis_ops.core.text import model_cap
from crisis_ops.organisations.models import Region
from referrals.choices import (
    DeclineReason,
    Delivery,
    Language,
    Outcome,
    PartnerStatus,
    Service,
    TransferReason,
)
from referrals.models import Partner, PartnerKind, Referral

_REGION_CODE = model_cap(Region, "code")
_KIND_CODE = model_cap(PartnerKind, "code")

ReferralStatusField = named_choice_field(Referral.Status, "ReferralStatus")
ReferralOutcomeField = named_choice_field(Outcome, "ReferralOutcome")
PartnerStatusField = named_choice_field(PartnerStatus, "PartnerStatus")
DeclineReasonField = named_choice_field(DeclineReason, "DeclineReason")
ServiceField = named_choice_field(Service, "ReferralService")
LanguageField = named_choice_field(Language, "LetterLanguage")
ReferralKindField = named_choice_field(Referral.Kind, "ReferralKind")
TransferReasonField = named_choice_field(TransferReason, "TransferReason")


class PartnerKindSerializer(serializers.ModelSerializer[PartnerKind]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = PartnerKind
        fields = ["code", "name", "consent_scope", "services", "answer_hours"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    """A partner's public facts; a confidential location shows as empty outside its owners."""

    kind = serializers.SlugRelatedField[Any](slug_field="code", read_only=True)
    region = serializers.SlugRelatedField[Any](slug_field="code", read_only=True)
    address_1 = serializers.SerializerMethodField()
    kept_by = serializers.SerializerMethodField()
    is_network_center = serializers.SerializerMethodField()
    languages = serializers.ListField(child=LanguageField())
    services = serializers.ListField(child=ServiceField())
    status = PartnerStatusField(read_only=True)
    letter_language = LanguageField(read_only=True)
    # Plain text out: many partners have no e-mail or site, and "" is no email or uri.
    email = serializers.CharField(read_only=True, help_text=_("Blank when unknown."))
    url = serializers.CharField(read_only=True, help_text=_("Blank when unknown."))

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "region",
            "city",
            "address_1",
            "location_confidential",
            "phone",
            "email",
            "url",
            "hours",
            "languages",
            "letter_language",
            "services",
            "status",
            "kept_by",
            "is_network_center",
        ]
        read_only_fields = fields

    def get_address_1(self, partner: Partner) -> str:
        return partner.address_1 if getattr(partner, "location_visible", False) else ""

    def get_kept_by(self, partner: Partner) -> str:
        return "network" if partner.organisation_id is None else "organisation"

    def get_is_network_center(self, partner: Partner) -> bool:
        return partner.linked_organisation_id is not None


class PartnerWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=model_cap(Partner, "name"))
    kind = caps.SlugLookupField(
        slug_field="code", queryset=PartnerKind.objects.filter(is_network_center=False)
    )
    description = serializers.CharField(allow_blank=True, default="", max_length=caps.PARAGRAPH)
    region = serializers.CharField(max_length=_REGION_CODE)
    city = serializers.CharField(
        max_length=model_cap(Partner, "city"), allow_blank=True, default=""
    )
    address_1 = serializers.CharField(
        max_length=model_cap(Partner, "address_1"), allow_blank=True, default=""
    )
    location_confidential = serializers.BooleanField(default=False)
    phone = serializers.CharField(
        max_length=model_cap(Partner, "phone"), allow_blank=True, default=""
    )
    email = serializers.EmailField(
        max_length=model_cap(Partner, "email"), allow_blank=True, default=""
    )
    url = serializers.URLField(max_length=model_cap(Partner, "url"), allow_blank=True, default="")
    hours = serializers.CharField(
        max_length=model_cap(Partner, "hours"), allow_blank=True, default=""
    )
    languages = serializers.ListField(child=LanguageField(), default=list)
    letter_language = LanguageField(default=Language.RU)
    services = serializers.ListField(child=ServiceField(), default=list)
    status = PartnerStatusField(default=PartnerStatus.ACTIVE)


class PartnerFilterSerializer(QueryFilterSerializer):
    kind = serializers.CharField(required=False, default="", max_length=_KIND_CODE)
    region = serializers.CharField(required=False, default="", max_length=_REGION_CODE)
    service = ServiceField(required=False, default="")
    q = serializers.CharField(required=False, default="", max_length=caps.SEARCH)


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    """The referral's header: no content of the case."""

    case = serializers.SerializerMethodField()
    partner = serializers.SerializerMethodField()
    from_organisation = serializers.SerializerMethodField()
    to_organisation = serializers.SerializerMethodField()
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPart.choices), read_only=True
    )
    sent_by = UserRefSerializer(read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    status = ReferralStatusField(read_only=True)
    purpose = ServiceField(read_only=True)
    outcome = ReferralOutcomeField(
        read_only=True, allow_null=True, help_text=_("Null until completed.")
    )
    decline_reason = DeclineReasonField(
        read_only=True, allow_null=True, help_text=_("Null unless declined.")
    )
    kind = ReferralKindField(read_only=True)
    based_on = serializers.UUIDField(source="based_on_id", read_only=True, allow_null=True)
    request_reason = TransferReasonField(
        read_only=True, allow_null=True, help_text=_("Null unless a transfer request.")
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "kind",
            "based_on",
            "request_reason",
            "case",
            "partner",
            "from_organisation",
            "to_organisation",
            "purpose",
            "is_transfer",
            "status",
            "parts",
            "consent_overridden",
            "consent_revoked_at",
            "delivery",
            "sent_by",
            "sent_at",
            "answer_due_at",
            "is_overdue",
            "answered_by",
            "answered_at",
            "decline_reason",
            "completed_at",
            "outcome",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_case(self, referral: Referral) -> str | None:
        """The case id, to the center whose case it was at sending only: the other
        center never learns it."""
        own = self.context.get("sender_organisations", set())
        return str(referral.case_id) if referral.giving_organisation_id in own else None

    def get_partner(self, referral: Referral) -> dict[str, str]:
        partner = referral.partner
        return {"id": str(partner.pk), "name": partner.name, "kind": partner.kind.code}

    def get_from_organisation(self, referral: Referral) -> dict[str, str]:
        return {"id": str(referral.from_organisation_id), "name": referral.from_organisation.name}

    def get_to_organisation(self, referral: Referral) -> dict[str, str] | None:
        organisation = referral.to_organisation
        return (
            None
            if organisation is None
            else {"id": str(organisation.pk), "name": organisation.name}
        )

    def get_is_overdue(self, referral: Referral) -> bool:
        from django.utils import timezone

        return referral.status == Referral.Status.SENT and referral.answer_due_at < timezone.now()


class _IncidentShared(serializers.Serializer[Any]):
    occurred_on = serializers.DateField()
    violence_types = serializers.ListField(child=serializers.CharField())
    gbvims_class = serializers.CharField()
    relationship = serializers.CharField()
    children_present = serializers.BooleanField()
    injuries = serializers.BooleanField()
    reported_to_police = serializers.BooleanField()
    forensic_exam_needed = serializers.BooleanField()
    forensic_exam_done = serializers.BooleanField()


class _Identity(serializers.Serializer[Any]):
    full_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    iin = serializers.CharField(allow_null=True)
    age_band = serializers.CharField()
    sex = serializers.CharField()


class _Contact(serializers.Serializer[Any]):
    phone = serializers.CharField(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    safe_contact = serializers.CharField(allow_blank=True)
    no_contact_by_phone = serializers.BooleanField()


class _Incidents(serializers.Serializer[Any]):
    incidents = _IncidentShared(many=True)


class _Risk(serializers.Serializer[Any]):
    band = serializers.CharField(allow_null=True)
    assessed_on = serializers.DateField(allow_null=True)


class _Child(serializers.Serializer[Any]):
    first_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)


class _Children(serializers.Serializer[Any]):
    children = _Child(many=True)


class _Order(serializers.Serializer[Any]):
    type = serializers.CharField()
    type_name = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.CharField()


class _Orders(serializers.Serializer[Any]):
    orders = _Order(many=True)


class _Needs(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True)


class SharedSerializer(serializers.Serializer[Any]):
    """The allowed parts only; a part not shared is absent, not empty."""

    identity = _Identity(required=False)
    contact = _Contact(required=False)
    incident_summary = _Incidents(required=False)
    risk_band = _Risk(required=False)
    children = _Children(required=False)
    protection_orders = _Orders(required=False)
    practical_needs = _Needs(required=False)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        parts: dict[str, Any] = instance
        return {
            name: self.fields[name].to_representation(data)
            for name, data in parts.items()
            if name in self.fields
        }


class ReferralDetailSerializer(ReferralSerializer):
    shared = serializers.SerializerMethodField()
    hidden_because = serializers.SerializerMethodField()
    request_note = serializers.CharField(read_only=True, allow_null=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "request_note", "shared", "hidden_because"]
        read_only_fields = fields

    def get_shared(self, referral: Referral) -> dict[str, Any]:
        return SharedSerializer(self.context["shared"].parts).data

    def get_hidden_because(self, referral: Referral) -> str:
        return str(self.context["shared"].hidden_because)


class ReferralFilterSerializer(QueryFilterSerializer):
    box = serializers.ChoiceField(
        choices=[("all", "all"), ("incoming", "incoming"), ("outgoing", "outgoing")],
        required=False,
        default="all",
    )
    status = ReferralStatusField(required=False, default="")
    overdue = serializers.BooleanField(required=False, default=False)
    reference = serializers.CharField(
        required=False, default="", max_length=model_cap(Referral, "reference")
    )
    kind = ReferralKindField(required=False, default="")


class ReferralCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    partner = serializers.UUIDField()
    purpose = ServiceField()
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPart.choices), allow_empty=False
    )
    practical_needs = serializers.CharField(allow_blank=True, default="", max_length=caps.PARAGRAPH)
    is_transfer = serializers.BooleanField(default=False)
    override_reason = serializers.CharField(allow_blank=True, default="", max_length=caps.REASON)
    delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.IN_APP)


class DeclineSerializer(serializers.Serializer[Any]):
    reason = DeclineReasonField()


class CompleteSerializer(serializers.Serializer[Any]):
    outcome = ReferralOutcomeField()


class TransferRequestSerializer(serializers.Serializer[Any]):
    """Ask, on a referral your center accepted, for responsibility for her case."""

    reason = TransferReasonField()
    note = serializers.CharField(allow_blank=True, default="", max_length=caps.PARAGRAPH)


class _HandedOverEntry(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=[(k, k) for k in ("incident", "note", "risk", "service", "consent")],
        read_only=True,
    )
    at = serializers.DateTimeField(read_only=True)
    author = UserRefSerializer(allow_null=True, read_only=True)
    title = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class HandedOverSerializer(serializers.Serializer[Any]):
    """What the giving center wrote while the case was its own, nothing added since."""

    referral = serializers.UUIDField(source="referral.pk", read_only=True)
    since = serializers.DateTimeField(allow_null=True, read_only=True)
    until = serializers.DateTimeField(read_only=True)
    entries = _HandedOverEntry(many=True, read_only=True)

"""Shapes of protection orders and reminders in the API.

Input serializers only check types and choices; the services decide the dates.
Encrypted fields are declared by name, so they are read through the decrypting attribute.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crisis_ops.core import text as caps
from crisis_ops.core.dates import EVENT, PLAN, api_date
from crisis_ops.core.text import model_cap
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder, Violation

# --- output -------------------------------------------------------------------------------


# Cases have a "status" too: a named component keeps the schema's enum names apart.
@extend_schema_field(
    {"type": "string", "enum": ProtectionOrder.Status.values},
    component_name="ProtectionOrderStatus",
)
class OrderStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ProtectionOrder.Status.choices, **kwargs)


class ProtectionOrderSerializer(serializers.ModelSerializer[ProtectionOrder]):
    case = serializers.UUIDField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    order_type = serializers.SlugRelatedField[Any](slug_field="code", read_only=True)
    previous = serializers.UUIDField(source="previous_id", read_only=True, allow_null=True)
    status = OrderStatusField(read_only=True)

    class Meta:
        model = ProtectionOrder
        fields = [
            "id",
            "case",
            "case_reference",
            "order_type",
            "number",
            "issuing_unit",
            "issued_on",
            "expires_on",
            "status",
            "previous",
            "expiry_decision",
            "decided_at",
            "created_at",
        ]


class ProtectionOrderDetailSerializer(ProtectionOrderSerializer):
    conditions = serializers.CharField(read_only=True)
    revoked_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text="Null unless the order was revoked."
    )
    check_due_dates = serializers.ListField(child=serializers.DateField(), read_only=True)

    class Meta(ProtectionOrderSerializer.Meta):
        fields = [
            *ProtectionOrderSerializer.Meta.fields,
            "conditions",
            "revoked_reason",
            "check_due_dates",
        ]


class PoliceCheckSerializer(serializers.ModelSerializer[PoliceCheck]):
    notes = serializers.CharField(read_only=True)

    class Meta:
        model = PoliceCheck
        fields = ["id", "checked_on", "unit_officer", "outcome", "notes", "created_at"]


class ViolationSerializer(serializers.ModelSerializer[Violation]):
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Violation
        fields = ["id", "occurred_on", "description", "reported_to_police", "created_at"]


# --- input --------------------------------------------------------------------------------


class ProtectionOrderCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    order_type = caps.SlugLookupField(
        slug_field="code", queryset=OrderType.objects.filter(is_active=True)
    )
    number = serializers.CharField(max_length=model_cap(ProtectionOrder, "number"))
    issuing_unit = serializers.CharField(max_length=model_cap(ProtectionOrder, "issuing_unit"))
    issued_on = api_date(EVENT)
    expires_on = api_date(PLAN, required=False, allow_null=True)
    conditions = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=caps.PARAGRAPH
    )


class PoliceCheckCreateSerializer(serializers.Serializer[Any]):
    checked_on = api_date(EVENT)
    unit_officer = serializers.CharField(max_length=model_cap(PoliceCheck, "unit_officer"))
    outcome = serializers.ChoiceField(choices=PoliceCheck.Outcome.choices)
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=caps.PARAGRAPH
    )


class ViolationCreateSerializer(serializers.Serializer[Any]):
    occurred_on = api_date(EVENT)
    description = serializers.CharField(max_length=caps.LONG)
    reported_to_police = serializers.BooleanField(required=False, default=False)

"""The partner kinds are reference data: the consent each needs, the services it offers
and the answer time agreed with partners change by decision, not by a release."""

from django.contrib import admin

from referrals.models import PartnerKind


@admin.register(PartnerKind)
class PartnerKindAdmin(admin.ModelAdmin[PartnerKind]):
    list_display = ["code", "name_en", "consent_scope", "answer_hours", "is_network_center"]
    ordering = ["position"]

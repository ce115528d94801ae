from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models.choices import ConsentPart
from crisis_ops.core import text as caps
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


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=caps.SEARCH)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    service = forms.ChoiceField(
        label=_("Service"), choices=[("", _("Any")), *Service.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(k.code, k.name) for k in PartnerKind.objects.all()]
        regions = [(r.code, r.name) for r in Region.objects.all()]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("Any")), *kinds]
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("Any")), *regions]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=model_cap(Partner, "name"))
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=PartnerKind.objects.filter(is_network_center=False)
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    city = forms.CharField(label=_("City"), max_length=model_cap(Partner, "city"), required=False)
    address_1 = forms.CharField(
        label=_("Address"), max_length=model_cap(Partner, "address_1"), required=False
    )
    location_confidential = forms.BooleanField(
        label=_("Confidential location (a shelter, a safe house)"),
        help_text=_("Only your organisation will see the address."),
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=model_cap(Partner, "phone"), required=False
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=model_cap(Partner, "email"), required=False
    )
    url = forms.URLField(
        label=_("Website"),
        max_length=model_cap(Partner, "url"),
        required=False,
        assume_scheme="https",
    )
    hours = forms.CharField(
        label=_("Working hours"), max_length=model_cap(Partner, "hours"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    letter_language = forms.ChoiceField(label=_("Language of letters"), choices=Language.choices)
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=PartnerStatus.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=caps.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartnerImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Service.choices)
    parts = forms.MultipleChoiceField(
        label=_("Parts of the case to share"),
        help_text=_("Only parts her consent for this partner covers can be shared."),
        choices=ConsentPart.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    practical_needs = forms.CharField(
        label=_("Practical needs"),
        required=False,
        max_length=caps.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    delivery = forms.ChoiceField(label=_("How it goes out"), choices=Delivery.choices)
    is_transfer = forms.BooleanField(
        label=_("Full transfer of responsibility (she moves to the other center)"),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Police only, no consent: why her life is in immediate danger"),
        required=False,
        max_length=caps.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Partner]", self.fields["partner"]).queryset = partners


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Referral.Status.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Answer overdue"), required=False)
    reference = forms.CharField(
        label=_("Reference"), required=False, max_length=model_cap(Referral, "reference")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *Referral.Kind.choices], required=False
    )


class TransferRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why you ask"), choices=TransferReason.choices)
    note = forms.CharField(
        label=_("Note to the center (optional)"),
        required=False,
        max_length=caps.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

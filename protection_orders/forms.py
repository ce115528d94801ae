"""Forms only check types and choices; the services decide the dates and say why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crisis_ops.core import text as caps
from crisis_ops.core.dates import EVENT, PLAN, form_date
from crisis_ops.core.text import model_cap
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder
from protection_orders.services import default_expiry

_TEXT = forms.Textarea(attrs={"rows": 2})
_NUMBER = model_cap(ProtectionOrder, "number")
_UNIT = model_cap(ProtectionOrder, "issuing_unit")


def _today() -> Any:
    return timezone.localdate()


class OrderForm(forms.Form):
    order_type = forms.ModelChoiceField(
        label=_("Type"), queryset=OrderType.objects.filter(is_active=True), empty_label=None
    )
    number = forms.CharField(label=_("Number"), max_length=_NUMBER)
    issuing_unit = forms.CharField(label=_("Issuing police unit"), max_length=_UNIT)
    issued_on = form_date(EVENT, label=_("Issued on"), initial=_today)
    expires_on = form_date(PLAN, label=_("Expires on"), required=False)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=caps.PARAGRAPH, widget=_TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        limits = "; ".join(
            gettext("%(type)s: at most %(days)s days (issued today: until %(date)s)")
            % {
                "type": order_type.name,
                "days": order_type.max_duration_days,
                "date": default_expiry(order_type, today).strftime("%d.%m.%Y"),
            }
            for order_type in OrderType.objects.filter(is_active=True)
        )
        self.fields["expires_on"].help_text = (
            gettext("Leave empty for the longest the type allows.") + " " + limits
        )


class PoliceCheckForm(forms.Form):
    checked_on = form_date(EVENT, label=_("Checked on"), initial=_today)
    unit_officer = forms.CharField(
        label=_("Police unit / officer"), max_length=model_cap(PoliceCheck, "unit_officer")
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PoliceCheck.Outcome.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=caps.PARAGRAPH, widget=_TEXT
    )


class ViolationForm(forms.Form):
    occurred_on = form_date(EVENT, label=_("Date of the violation"), initial=_today)
    description = forms.CharField(label=_("What happened"), max_length=caps.LONG, widget=_TEXT)
    reported_to_police = forms.BooleanField(label=_("Reported to the police"), required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision at expiry"), choices=ProtectionOrder.Decision.choices
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the order revoked?"),
        max_length=2000,
        widget=_TEXT,
        help_text=_("Required. Shown on the order, for whoever reads it later."),
    )


class ExtendForm(forms.Form):
    number = forms.CharField(label=_("Number of the new order"), max_length=_NUMBER)
    issued_on = form_date(EVENT, label=_("New order issued on"), initial=_today)
    expires_on = form_date(
        PLAN,
        label=_("New order expires on"),
        required=False,
        help_text=_("Leave empty for the longest the type allows."),
    )
    issuing_unit = forms.CharField(
        label=_("Issuing police unit"),
        max_length=_UNIT,
        required=False,
        help_text=_("Leave empty if it is the same unit."),
    )

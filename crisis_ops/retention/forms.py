from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crisis_ops.retention import registry
from crisis_ops.retention.models import MAX_YEARS, MIN_YEARS


def _years(label: Any, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=MIN_YEARS, max_value=MAX_YEARS, required=required
    )


class PolicyForm(forms.Form):
    """The default years, then one optional field per registered kind of case."""

    years = _years(_("Years a closed case is kept"))

    def __init__(self, *args: Any, rules: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in registry.case_kinds():
            field = _years(kind.label, required=False)
            field.help_text = _("Leave empty to keep these for the default number of years.")
            self.fields[f"rule_{kind.key}"] = field
            if rules and kind.key in rules and not self.is_bound:
                self.initial[f"rule_{kind.key}"] = rules[kind.key]

    def rules(self) -> dict[str, int | None]:
        return {
            name.removeprefix("rule_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("rule_")
        }


class LegalHoldForm(forms.Form):
    case_reference = forms.CharField(label=_("Case reference"), max_length=24)
    reason = forms.CharField(
        label=_("Why the case must be kept"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A court order, an investigation: identifiers only, no names."),
    )


class ErasureRequestForm(forms.Form):
    case_reference = forms.CharField(
        label=_("Case reference"),
        max_length=24,
        help_text=_("Any case of hers: her whole file is erased, every case of hers."),
    )

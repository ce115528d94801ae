"""The report builder's form: it only offers choices; reports.definition decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports.definition import add_months
from crisis_ops.reports.members import dimension_label
from crisis_ops.reports.registry import figures


class ReportForm(forms.Form):
    figure = forms.ChoiceField(label=_("Figure"))
    start = forms.CharField(label=_("First month"), max_length=7, help_text="YYYY-MM")
    end = forms.CharField(label=_("Last month"), max_length=7, help_text="YYYY-MM")
    breakdown_1 = forms.ChoiceField(label=_("Rows"), required=False)
    breakdown_2 = forms.ChoiceField(label=_("Columns"), required=False)
    organisations = forms.MultipleChoiceField(
        label=_("Organisations (none chosen: all you may see)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = figures(listed_only=True)
        fields: dict[str, Any] = self.fields
        fields["figure"].choices = [(f.key, str(f.label)) for f in every]
        dims: dict[str, str] = {}
        for figure in every:
            for dim in figure.dimension_keys():
                dims.setdefault(dim, dimension_label(figure, dim))
        choices = [("", "—"), *dims.items()]
        fields["breakdown_1"].choices = choices
        fields["breakdown_2"].choices = choices
        fields["organisations"].choices = [(str(o.pk), o.name) for o in organisations]
        if not self.is_bound:
            last = add_months(timezone.localdate().replace(day=1), -1)
            self.initial.setdefault("start", add_months(last, -11).strftime("%Y-%m"))
            self.initial.setdefault("end", last.strftime("%Y-%m"))
            self.initial.setdefault("breakdown_1", "month")

    def definition_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "figure": data["figure"],
            "start": data["start"],
            "end": data["end"],
            "breakdowns": [b for b in (data["breakdown_1"], data["breakdown_2"]) if b],
            "organisations": data["organisations"],
            "language": data["language"],
        }


class SaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)

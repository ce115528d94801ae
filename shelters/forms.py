"""Forms only check types and choices; the services decide the rules and say why."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.models.survivor import Survivor
from crisis_ops.core import text as caps
from crisis_ops.core.dates import EVENT, PLAN, form_date
from crisis_ops.core.text import model_cap
from crisis_ops.organisations.models import Organisation, Region
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway

_TEXT = forms.Textarea(attrs={"rows": 2})
_KINDS = [("", _("Any kind")), *Bed.Kind.choices]


def _today() -> datetime.date:
    return timezone.localdate()


class BoardFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    kind = forms.ChoiceField(label=_("Bed kind"), choices=_KINDS, required=False)
    accessible = forms.BooleanField(label=_("Wheelchair-accessible"), required=False)


class _CaseChoice(forms.ModelChoiceField[Case]):
    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.reference} · {obj.survivor.code}"


class HoldForm(forms.Form):
    case = _CaseChoice(label=_("Case"), queryset=Case.objects.none())
    kind = forms.ChoiceField(label=_("Bed kind"), choices=Bed.Kind.choices)
    wheelchair_accessible = forms.BooleanField(
        label=_("Needs a wheelchair-accessible bed"), required=False
    )
    needs = forms.CharField(
        label=_("Practical needs"),
        required=False,
        max_length=caps.PARAGRAPH,
        widget=_TEXT,
        help_text=_("Diet, medicine, mobility: only what the shelter must know."),
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Case]", self.fields["case"]).queryset = cases


class _BedChoices(forms.ModelMultipleChoiceField[Bed]):
    def label_from_instance(self, obj: Bed) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class ConfirmHoldForm(forms.Form):
    expected_end = form_date(PLAN, label=_("Expected end"), required=False)
    children_beds = _BedChoices(
        label=_("Beds for her children"),
        queryset=Bed.objects.none(),
        required=False,
        help_text=_("Free beds of this shelter; leave empty if she comes alone."),
    )

    def __init__(
        self,
        *args: Any,
        free: QuerySet[Bed],
        offered: Sequence[Bed] | None = None,
        **kwargs: Any,
    ) -> None:
        """``free`` checks what is posted; ``offered`` is that list already read, for a
        page that shows this form once per hold and reads the free beds once."""
        super().__init__(*args, **kwargs)
        beds = list(free) if offered is None else offered
        if not beds:
            # No bed left to offer: an empty list box only puzzles.
            del self.fields["children_beds"]
            return
        field = self.fields["children_beds"]
        assert isinstance(field, _BedChoices)
        field.queryset = free
        # The list box shows the beds read once, not a query of its own per form.
        field.choices = [(bed.pk, field.label_from_instance(bed)) for bed in beds]


class AdmitForm(ConfirmHoldForm):
    survivor_code = forms.CharField(
        label=_("Survivor code"), max_length=model_cap(Survivor, "code")
    )
    admitted_on = form_date(EVENT, label=_("Admitted on"), initial=_today)
    needs = forms.CharField(
        label=_("Practical needs"), required=False, max_length=caps.PARAGRAPH, widget=_TEXT
    )

    field_order = ["survivor_code", "admitted_on", "expected_end", "needs", "children_beds"]


class DischargeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Occupancy.Outcome.choices)


class StayEditForm(forms.Form):
    expected_end = form_date(PLAN, label=_("Expected end"), required=False)


class ToggleForm(forms.Form):
    field = forms.ChoiceField(
        choices=[("out_of_service", _("Out of service")), ("isolation", _("Isolation"))]
    )


class ShelterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=model_cap(Shelter, "name"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    address = forms.CharField(
        label=_("Street address"),
        max_length=caps.ADDRESS,
        widget=_TEXT,
        help_text=_("Shown only to staff of your organisation."),
    )
    intake_phone = forms.CharField(
        label=_("Intake phone"), max_length=model_cap(Shelter, "intake_phone")
    )


class ShelterCreateForm(ShelterForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    field_order = ["organisation", "name", "region", "address", "intake_phone"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Organisation]", self.fields["organisation"]
        ).queryset = organisations


class ShelterEditForm(ShelterForm):
    is_active = forms.BooleanField(label=_("Taking residents"), required=False)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room name or number"), max_length=model_cap(Room, "name"))


class BedForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), empty_label=None)
    label = forms.CharField(label=_("Bed label or number"), max_length=model_cap(Bed, "label"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Bed.Kind.choices)
    wheelchair_accessible = forms.BooleanField(label=_("Wheelchair-accessible"), required=False)
    isolation = forms.BooleanField(label=_("Isolation / quarantine"), required=False)

    def __init__(self, *args: Any, shelter: Shelter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Room]", self.fields["room"]).queryset = shelter.rooms.all()


class TurnAwayForm(forms.Form):
    shelter = forms.ModelChoiceField(label=_("Shelter"), queryset=Shelter.objects.none())
    reason = forms.ChoiceField(label=_("Reason"), choices=TurnAway.Reason.choices)
    bed_kind = forms.ChoiceField(label=_("Bed needed"), choices=Bed.Kind.choices)
    people = forms.IntegerField(label=_("People"), min_value=1, initial=1)
    occurred_on = form_date(EVENT, label=_("Date"), initial=_today)

    def __init__(self, *args: Any, shelters: QuerySet[Shelter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Shelter]", self.fields["shelter"]).queryset = shelters


class PeriodForm(forms.Form):
    start = form_date(PLAN, label=_("From"), required=False)
    end = form_date(PLAN, label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, RiskInstrument
from cases.models.choices import (
    AgeBand,
    ConsentPart,
    ConsentScope,
    Disability,
    GBVIMSClass,
    Relationship,
    RiskBand,
    ServiceType,
    Sex,
    Source,
    ViolenceType,
)
from cases.models.incident import Child
from cases.models.survivor import Survivor
from cases.validation import clean_birth_date_against_iin
from crisis_ops.accounts.models import User
from crisis_ops.core import text as caps
from crisis_ops.core.dates import BIRTH, EVENT, PLAN, form_date
from crisis_ops.core.text import model_cap
from crisis_ops.encryption.normalise import normalise_iin, normalise_phone
from crisis_ops.organisations.models import Region


class SurvivorForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=model_cap(Survivor, "full_name"))
    iin = forms.CharField(
        label=_("IIN"),
        required=False,
        max_length=caps.IDENTIFIER,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = form_date(BIRTH, label=_("Birth date"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=caps.IDENTIFIER,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    safe_contact = forms.CharField(
        label=_("How to contact her safely"),
        required=False,
        max_length=caps.SAFE_CONTACT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. only call her sister; never leave a voice message."),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=caps.ADDRESS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    disability = forms.ChoiceField(label=_("Disability"), choices=Disability.choices)

    def clean_iin(self) -> str | None:
        value = self.cleaned_data["iin"]
        if not value:
            return None
        try:
            return normalise_iin(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_phone(self) -> str | None:
        value = self.cleaned_data["phone"]
        if not value:
            return None
        try:
            return normalise_phone(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            clean_birth_date_against_iin(
                iin=cleaned.get("iin"), birth_date=cleaned.get("birth_date")
            )
        except ValidationError as exc:
            self.add_error(None, exc)  # lands on the birth date field it names
        return cleaned


class IncidentForm(forms.Form):
    occurred_on = form_date(EVENT, label=_("Date of the incident"))
    violence_types = forms.MultipleChoiceField(
        label=_("Types of violence"),
        choices=ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    gbvims_class = forms.ChoiceField(label=_("GBVIMS class"), choices=GBVIMSClass.choices)
    relationship = forms.ChoiceField(
        label=_("Relationship to the perpetrator"), choices=Relationship.choices
    )
    children_present = forms.BooleanField(label=_("Children were present"), required=False)
    injuries = forms.BooleanField(label=_("Injuries"), required=False)
    reported_to_police = forms.BooleanField(label=_("Reported to the police"), required=False)
    forensic_exam_needed = forms.BooleanField(
        label=_("Forensic examination needed"), required=False
    )
    forensic_exam_done = forms.BooleanField(label=_("Forensic examination done"), required=False)
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=caps.LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class IntakeIncidentForm(IncidentForm):
    perpetrator_name = forms.CharField(
        label=_("Perpetrator's name"), max_length=caps.LINE, required=False
    )
    perpetrator_details = forms.CharField(
        label=_("About the perpetrator (address, work, weapons)"),
        required=False,
        max_length=caps.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RiskForm(forms.Form):
    override_band = forms.ChoiceField(
        label=_("Set the band yourself (optional)"),
        choices=[("", "—"), *RiskBand.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=caps.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, instrument: RiskInstrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(instrument.questions.all())
        question_fields = {
            f"q{q.number}": forms.BooleanField(label=f"{q.number}. {q.text}", required=False)
            for q in self.questions
        }
        self.fields = {**question_fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("override_band") and not (cleaned.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Say why you set a band different from the score."))
        return cleaned

    def answers(self) -> dict[str, bool]:
        return {str(q.number): bool(self.cleaned_data.get(f"q{q.number}")) for q in self.questions}


class IntakeCaseForm(forms.Form):
    source = forms.ChoiceField(label=_("How she came to us"), choices=Source.choices)
    consents = forms.MultipleChoiceField(
        label=_("She agrees to"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    never_disclose_location = forms.BooleanField(
        label=_("Never disclose her location to family"), required=False
    )
    no_contact_by_phone = forms.BooleanField(label=_("Do not call her phone"), required=False)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("IIN, phone or name"), required=False, max_length=caps.SEARCH)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Case.Status.choices], required=False
    )
    risk_band = forms.ChoiceField(
        label=_("Risk"), choices=[("", _("Any")), *RiskBand.choices], required=False
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("Has an overdue item"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"), max_length=caps.LONG, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    closed_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *Case.ClosedReason.choices],
        required=False,
    )


class CourtPendingForm(forms.Form):
    pending = forms.BooleanField(
        label=_("A court case about her is pending"),
        required=False,
        help_text=_("While it is, her file is never purged (a legal hold)."),
    )


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=ConsentScope.choices)
    granted_on = form_date(EVENT, label=_("Given on"), initial=timezone.localdate)
    expires_on = form_date(PLAN, label=_("Expires on"), required=False)
    parts = forms.MultipleChoiceField(
        label=_("Parts of the case it covers"),
        help_text=_("Only for sharing with the police or a referral partner."),
        choices=ConsentPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ChildForm(forms.Form):
    first_name = forms.CharField(
        label=_("Child's first name"), max_length=model_cap(Child, "first_name")
    )
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation_id=case.organisation_id,
            memberships__role="caseworker",
            memberships__is_active=True,
            is_active=True,
        ).order_by("last_name", "first_name")


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    given_on = form_date(EVENT, label=_("Given on"), initial=timezone.localdate)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=caps.PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HotlineCallForm(forms.Form):
    """An anonymous call: categories only. There is no text box, so no name or number
    typed by mistake can be kept; the API refuses any field it does not know."""

    source = forms.ChoiceField(
        label=_("Line she called"),
        choices=[(s.value, s.label) for s in (Source.HOTLINE_150, Source.POLICE_102)],
    )
    received_on = form_date(EVENT, label=_("Date of the call"), initial=timezone.localdate)
    region = forms.ModelChoiceField(label=_("Region she calls from"), queryset=Region.objects.all())
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    disability = forms.ChoiceField(label=_("Disability"), choices=Disability.choices)
    violence_types = forms.MultipleChoiceField(
        label=_("Types of violence"),
        choices=ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    gbvims_class = forms.ChoiceField(label=_("GBVIMS class"), choices=GBVIMSClass.choices)
    relationship = forms.ChoiceField(
        label=_("Relationship to the perpetrator"), choices=Relationship.choices
    )
    statistics_consent = forms.TypedChoiceField(
        label=_("May this call be counted in anonymised statistics?"),
        choices=[("yes", _("Yes, she agreed")), ("no", _("No, or not asked"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

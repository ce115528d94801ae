"""Every form and serializer field a person types into has a bound: a cap on text, a
plausible range on dates (crisis_ops/core/dates.py, crisis_ops/core/text.py).

The class test walks every Form and Serializer class of the project, so a field added
tomorrow without a bound fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any, TypeVar

import pytest
from django import forms
from rest_framework import serializers

from crisis_ops.core.dates import date_range_of

pytestmark = pytest.mark.django_db

PACKAGES = ("cases", "shelters", "protection_orders", "referrals", "crisis_ops")

# Response-only serializers: they describe what the API sends, never parse a body. Every
# ModelSerializer of the project is one too (input goes through plain Serializers named
# *Create, *Update, *Write, *Filter); the schema test below catches a body that is not.
OUTPUT_ONLY = {
    "crisis_ops.accounts.api.MembershipSerializer",
    "referrals.serializers._IncidentShared",
    "referrals.serializers._Identity",
    "referrals.serializers._Contact",
    "referrals.serializers._Incidents",
    "referrals.serializers._Risk",
    "referrals.serializers._Child",
    "referrals.serializers._Children",
    "referrals.serializers._Order",
    "referrals.serializers._Orders",
    "referrals.serializers._Needs",
    "referrals.serializers.SharedSerializer",
}


def _import_everything() -> None:
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)


T = TypeVar("T")


def _subclasses(base: type[T]) -> Iterator[type[T]]:
    for cls in base.__subclasses__():
        yield cls
        yield from _subclasses(cls)


def _ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] in PACKAGES and not cls.__name__.startswith("Mock")


def _label(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def project_forms() -> list[type[forms.Form]]:
    _import_everything()
    # Model forms too: not Form subclasses, but they have fields and base_fields alike.
    found: set[Any] = {c for c in _subclasses(forms.BaseForm) if _ours(c)}
    return sorted(found, key=_label)


def project_serializers() -> list[type[serializers.Serializer[Any]]]:
    _import_everything()
    found = {c for c in _subclasses(serializers.Serializer) if _ours(c)}
    return sorted(
        (
            c
            for c in found
            if _label(c) not in OUTPUT_ONLY and not issubclass(c, serializers.ModelSerializer)
        ),
        key=_label,
    )


def _form_fields(form_class: type[forms.Form]) -> dict[str, forms.Field]:
    try:
        return dict(form_class().fields)  # as shown, with what __init__ adds
    except TypeError:  # needs a queryset or an instrument: its declared fields
        return dict(form_class.base_fields)


def _serializer_fields(cls: type[serializers.Serializer[Any]]) -> Iterator[tuple[str, Any]]:
    try:
        fields = cls().get_fields()
    except AssertionError:  # an abstract base (a ModelSerializer without Meta)
        return
    for name, field in fields.items():
        if field.read_only:
            continue
        yield name, field
        child = getattr(field, "child", None)
        if child is not None and not isinstance(child, serializers.Serializer):
            yield f"{name}[]", child


def _text_cap(field: Any) -> int | None:
    cap: int | None = getattr(field, "max_length", None)
    return cap


def test_the_walk_finds_the_forms_and_serializers_of_every_app():
    form_modules = {c.__module__ for c in project_forms()}
    serializer_modules = {c.__module__ for c in project_serializers()}

    for app in ("cases", "shelters", "protection_orders", "referrals", "crisis_ops.accounts"):
        assert any(m.startswith(app) for m in form_modules), app
    for app in ("cases", "shelters", "protection_orders", "referrals", "crisis_ops.organisations"):
        assert any(m.startswith(app) for m in serializer_modules), app


def test_every_text_field_of_every_form_has_a_cap():
    uncapped = [
        f"{_label(form)}.{name}"
        for form in project_forms()
        for name, field in _form_fields(form).items()
        if isinstance(field, forms.CharField) and _text_cap(field) is None
    ]
    assert uncapped == [], uncapped


def test_every_text_field_of_every_serializer_has_a_cap():
    uncapped = [
        f"{_label(serializer)}.{name}"
        for serializer in project_serializers()
        for name, field in _serializer_fields(serializer)
        if isinstance(field, serializers.CharField) and _text_cap(field) is None
    ]
    assert uncapped == [], uncapped


def test_every_date_field_of_every_form_has_a_range():
    unbounded = [
        f"{_label(form)}.{name}"
        for form in project_forms()
        for name, field in _form_fields(form).items()
        if isinstance(field, forms.DateField) and date_range_of(field) is None
    ]
    assert unbounded == []


def test_every_date_field_of_every_serializer_has_a_range():
    unbounded = [
        f"{_label(serializer)}.{name}"
        for serializer in project_serializers()
        for name, field in _serializer_fields(serializer)
        if isinstance(field, serializers.DateField | serializers.DateTimeField)
        and date_range_of(field) is None
    ]
    assert unbounded == []


# Each page form and the serializer of its API twin; names that differ are mapped.
TWINS = [
    ("cases.forms.IncidentForm", "cases.serializers.IncidentCreateSerializer", {}),
    ("cases.forms.NoteForm", "cases.serializers.NoteCreateSerializer", {}),
    ("cases.forms.ConsentForm", "cases.serializers.ConsentCreateSerializer", {}),
    ("cases.forms.RiskForm", "cases.serializers.RiskAssessmentCreateSerializer", {}),
    ("cases.forms.CaseFilterForm", "cases.serializers.CaseSearchSerializer", {"q": "search"}),
    (
        "protection_orders.forms.OrderForm",
        "protection_orders.serializers.ProtectionOrderCreateSerializer",
        {},
    ),
    (
        "protection_orders.forms.PoliceCheckForm",
        "protection_orders.serializers.PoliceCheckCreateSerializer",
        {},
    ),
    (
        "protection_orders.forms.ViolationForm",
        "protection_orders.serializers.ViolationCreateSerializer",
        {},
    ),
    ("shelters.forms.ShelterCreateForm", "shelters.serializers.ShelterCreateSerializer", {}),
    ("shelters.forms.ShelterEditForm", "shelters.serializers.ShelterUpdateSerializer", {}),
    ("shelters.forms.BedForm", "shelters.serializers.BedCreateSerializer", {}),
    ("shelters.forms.HoldForm", "shelters.serializers_placements.HoldCreateSerializer", {}),
    ("shelters.forms.ConfirmHoldForm", "shelters.serializers_placements.HoldConfirmSerializer", {}),
    ("shelters.forms.AdmitForm", "shelters.serializers_placements.StayAdmitSerializer", {}),
    ("shelters.forms.StayEditForm", "shelters.serializers_placements.StayUpdateSerializer", {}),
    ("shelters.forms.TurnAwayForm", "shelters.serializers.TurnAwayCreateSerializer", {}),
    (
        "shelters.forms.PeriodForm",
        "shelters.serializers.TurnAwayFilterSerializer",
        {"start": "from", "end": "to"},
    ),
    ("referrals.forms.PartnerForm", "referrals.serializers.PartnerWriteSerializer", {}),
    ("referrals.forms.PartnerFilterForm", "referrals.serializers.PartnerFilterSerializer", {}),
    ("referrals.forms.ReferralForm", "referrals.serializers.ReferralCreateSerializer", {}),
    ("referrals.forms.ReferralFilterForm", "referrals.serializers.ReferralFilterSerializer", {}),
    (
        "crisis_ops.organisations.forms.MemberCreateForm",
        "crisis_ops.organisations.api.MemberCreateSerializer",
        {},
    ),
    (
        "crisis_ops.accounts.forms.ApiTokenForm",
        "crisis_ops.accounts.token_api.ApiTokenCreateSerializer",
        {},
    ),
]


def _class(label: str) -> Any:
    module, name = label.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(("form_label", "serializer_label", "renamed"), TWINS)
def test_a_form_and_its_api_twin_state_the_same_cap_and_range(
    form_label, serializer_label, renamed
):
    form_fields = _form_fields(_class(form_label))
    api_fields = dict(_serializer_fields(_class(serializer_label)))
    shared = 0
    for form_name, form_field in form_fields.items():
        api_field = api_fields.get(renamed.get(form_name, form_name))
        if isinstance(form_field, forms.CharField) and isinstance(api_field, serializers.CharField):
            assert _text_cap(form_field) == _text_cap(api_field), form_name
            shared += 1
        if isinstance(form_field, forms.DateField) and api_field is not None:
            assert date_range_of(form_field) == date_range_of(api_field), form_name
            shared += 1
    assert shared, "the pair shares no text or date field: is it still a pair?"


def test_a_form_states_its_cap_to_the_browser():
    for form in project_forms():
        for name, field in _form_fields(form).items():
            if isinstance(field, forms.CharField) and field.max_length is not None:
                attrs = field.widget_attrs(field.widget)
                if not isinstance(field.widget, forms.HiddenInput | forms.PasswordInput):
                    assert attrs.get("maxlength") == str(field.max_length), (form, name)


@pytest.mark.django_db
def test_the_schema_states_a_cap_on_every_string_a_client_sends(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    uncapped = []
    for component, body in schema["components"]["schemas"].items():
        if not component.endswith("Request"):
            continue
        for name, prop in body.get("properties", {}).items():
            for item in (prop, prop.get("items", {})):
                if (
                    item.get("type") == "string"
                    and "format" not in item
                    and "enum" not in item
                    and "$ref" not in item
                    and "maxLength" not in item
                    and not item.get("readOnly")
                ):
                    uncapped.append(f"{component}.{name}")
    assert uncapped == [], uncapped

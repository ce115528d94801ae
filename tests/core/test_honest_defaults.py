"""Defaults that do not lie: no categorical field starts on an answer nobody gave."""

import importlib
import pkgutil
import re
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from shelters import services_placements
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = ("cases", "shelters", "protection_orders", "referrals", "crisis_ops")

# A pre-set choice is allowed only where it is not a fact about a survivor: the interface
# language of a new staff member (a preference she can change in one click), and a new
# API token's scope, which starts at the least it can do (read only).
JUSTIFIED = {("MemberCreateForm", "language"), ("ApiTokenForm", "scope")}


def _project_forms() -> list[type[forms.Form]]:
    """Every form class of ours; model forms too (they have base_fields as well)."""
    for package in PROJECT_PACKAGES:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            if module.name.split(".")[-1].startswith("forms"):
                importlib.import_module(module.name)
    found: list[Any] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(PROJECT_PACKAGES):
            found.append(cls)
    return found


def _single_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) and not isinstance(
        field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField
    )


def test_no_choice_field_of_any_form_has_an_initial_answer():
    walked = _project_forms()
    offenders = [
        f"{form.__module__}.{form.__name__}.{name} = {field.initial!r}"
        for form in walked
        for name, field in form.base_fields.items()
        if _single_choice(field)
        and field.initial not in (None, "")
        and (form.__name__, name) not in JUSTIFIED
    ]
    assert len(walked) > 20  # the walk found the forms
    assert offenders == []


def _selects(html: str) -> dict[str, str]:
    """Each single <select>'s name and the value it shows (the first option if none is
    selected, as a browser shows it)."""
    shown = {}
    for attrs, body in re.findall(r"<select([^>]*)>(.*?)</select>", html, re.S):
        if "multiple" in attrs:
            continue
        name = re.search(r'name="([^"]+)"', attrs).group(1)
        options = re.findall(r'<option value="([^"]*)"([^>]*)>', body)
        selected = [value for value, rest in options if "selected" in rest]
        shown[name] = selected[0] if selected else (options[0][0] if options else "")
    return shown


def _assert_all_start_empty(html: str, *, except_for=()):
    shown = {n: v for n, v in _selects(html).items() if n not in except_for}
    assert shown, "no select on the page"
    assert {n: v for n, v in shown.items() if v} == {}


@pytest.mark.parametrize("step", [1, 2, 4])
def test_the_intake_steps_start_with_nothing_chosen(client_for, step):
    client = client_for("caseworker")
    html = client.get(reverse("cases:intake") + f"?step={step}").content.decode()
    _assert_all_start_empty(html)
    assert "— choose —" in html
    assert 'class="required-note">required<' in html


def test_the_case_page_forms_start_with_nothing_chosen(client_for, personas):
    case = intake(personas.caseworker, personas.center)
    html = client_for("caseworker").get(reverse("cases:case_detail", args=[case.pk]))
    # The status form shows the case's status now, which is a fact.
    _assert_all_start_empty(html.content.decode(), except_for={"status"})


def test_the_order_page_decision_starts_with_nothing_chosen(client_for, personas):
    from tests.protection_orders.factories import record_order

    order = record_order(personas.caseworker, intake(personas.caseworker, personas.center))
    html = client_for("caseworker").get(reverse("protection_orders:order_detail", args=[order.pk]))
    _assert_all_start_empty(html.content.decode())


def test_the_hold_form_does_not_guess_the_bed_kind(client_for, personas):
    shelter = shelter_with_beds(personas.center, beds=1)
    intake(personas.caseworker_other_center, personas.other_center)
    html = client_for("caseworker_other_center").get(
        reverse("shelters:hold_place", args=[shelter.pk])
    )
    _assert_all_start_empty(html.content.decode())


def test_the_discharge_outcome_starts_with_nothing_chosen(client_for, personas):
    shelter = shelter_with_beds(personas.center, beds=1)
    case = intake(personas.caseworker, personas.center)
    services_placements.stay_admit(
        actor=personas.shelter_manager, bed=shelter.beds.get(), case=case
    )
    html = client_for("shelter_manager").get(reverse("shelters:grid", args=[shelter.pk]))
    assert _selects(html.content.decode())["outcome"] == ""


def test_a_required_choice_left_empty_is_refused(client_for):
    response = client_for("caseworker").post(
        reverse("cases:intake"), {"step": "1", "full_name": "А", "action": "next"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html
    assert "step=2" not in response.get("Location", "")


def test_an_iin_whose_birth_date_disagrees_with_the_typed_one_is_flagged(client_for):
    import datetime

    from crisis_ops.encryption.normalise import build_iin

    iin = build_iin(datetime.date(1990, 3, 14), female=True, serial=7)
    step1 = {
        "step": "1",
        "full_name": "Айгуль Тест",
        "iin": iin,
        "birth_date": "1991-03-14",
        "sex": "female",
        "age_band": "35-44",
        "disability": "none",
        "action": "next",
    }

    response = client_for("caseworker").post(reverse("cases:intake"), step1)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The IIN says she was born on 14.03.1990" in html
    assert "14.03.1991" in html


def test_the_case_service_refuses_the_disagreement_too(personas):
    import datetime

    from django.core.exceptions import ValidationError

    from crisis_ops.encryption.normalise import build_iin

    with pytest.raises(ValidationError) as raised:
        intake(
            personas.caseworker,
            personas.center,
            survivor={
                "iin": build_iin(datetime.date(1985, 6, 1), female=True, serial=3),
                "birth_date": datetime.date(1985, 1, 6),
            },
        )
    assert "birth_date" in raised.value.message_dict

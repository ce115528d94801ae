"""An anonymous hotline call is an intake of its own (issue 12, DESIGN.md capability 1):
no name, IIN or caller number is stored anywhere, yet the call counts in the figures,
and it can be turned into a full case later, counted once."""

import datetime
import logging

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services_hotline
from cases.models import Case, HotlineCall, IntakeDraft
from crisis_ops.audit.models import AuditEvent
from crisis_ops.organisations.roles import Role
from crisis_ops.reports.counting import count
from crisis_ops.reports.registry import Scope, figure_excluded, figure_get
from tests.cases.factories import CASES, intake
from tests.factories import MembershipFactory, region, send

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/hotline-calls"
# What a careless caseworker might type about the caller.
CALLER_NAME = "Гульмира Жаксыбекова"
CALLER_PHONE = "+7 701 555 12 34"
CALLER_IIN = "880314400123"


def call(actor, organisation, **overrides):
    fields = {
        "source": "hotline_150",
        "received_on": timezone.localdate(),
        "region": region("almaty-city"),
        "age_band": "25-34",
        "sex": "female",
        "disability": "none",
        "violence_types": ["physical", "psychological"],
        "gbvims_class": "physical_assault",
        "relationship": "spouse",
        "statistics_consent": True,
        **overrides,
    }
    return services_hotline.hotline_call_record(actor=actor, organisation=organisation, **fields)


def form_data(**overrides):
    return {
        "source": "hotline_150",
        "received_on": timezone.localdate().isoformat(),
        "region": str(region("almaty-city").pk),
        "age_band": "25-34",
        "sex": "female",
        "disability": "none",
        "violence_types": ["physical"],
        "gbvims_class": "physical_assault",
        "relationship": "spouse",
        "statistics_consent": "yes",
        **overrides,
    }


def api_data(**overrides):
    return {**form_data(statistics_consent=True), **overrides}


def _month(personas):
    today = timezone.localdate()
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Scope((str(personas.center.pk),), first, last)


def everything_stored_as_text() -> str:
    """Every value of every row of every model, decrypted through the ORM."""
    chunks = []
    for model in apps.get_models():
        for row in model._default_manager.all():
            for field in model._meta.concrete_fields:
                chunks.append(str(getattr(row, field.attname, "")))
    return "\n".join(chunks)


# --- the service ------------------------------------------------------------------------------


def test_a_call_keeps_categories_and_an_audit_row_that_names_only_its_id(personas):
    recorded = call(personas.caseworker, personas.center)

    assert (recorded.source, recorded.age_band, recorded.relationship) == (
        "hotline_150",
        "25-34",
        "spouse",
    )
    event = AuditEvent.objects.get(action="hotline_call.recorded")
    assert event.object_id == str(recorded.pk)
    assert not IntakeDraft.objects.exists()
    assert {f.name for f in HotlineCall._meta.get_fields()}.isdisjoint(
        {"full_name", "iin", "phone", "caller_number", "notes", "narrative"}
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": "self"}, "source"),
        ({"age_band": "40"}, "age_band"),
        ({"violence_types": []}, "violence_types"),
        ({"received_on": timezone.localdate() + datetime.timedelta(days=1)}, "received_on"),
    ],
)
def test_a_bad_call_saves_nothing_and_names_the_field(personas, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        call(personas.caseworker, personas.center, **overrides)

    assert field in excinfo.value.message_dict
    assert not HotlineCall.objects.exists()


# --- the figures ------------------------------------------------------------------------------


def test_calls_count_among_intakes_and_incidents_by_source(personas):
    # police_102, with statistics consent; the incident this month, like the calls
    intake(personas.caseworker, personas.center, incident={"occurred_on": timezone.localdate()})
    call(personas.caseworker, personas.center)
    call(personas.caseworker, personas.center, source="police_102", age_band="18-24")
    call(personas.caseworker, personas.center, statistics_consent=False)
    scope = _month(personas)

    by_source = count(figure_get("new_cases"), scope, ("source",))
    incidents = count(figure_get("incidents"), scope, ("violence_type",))
    by_age = count(figure_get("incidents"), scope, ("age_band",))

    assert by_source == {("police_102",): 2, ("hotline_150",): 1}
    assert incidents[("physical",)] == 3 and incidents[("psychological",)] == 3
    assert by_age[("18-24",)] == 1 and by_age[("35-44",)] == 1 and by_age[("25-34",)] == 1
    # The call without consent is left out, and counted as left out.
    assert figure_excluded(figure_get("new_cases"), scope) == 1


def test_calls_count_by_region_and_relationship_filters_apply(personas):
    call(personas.caseworker, personas.center, relationship="former_spouse")
    call(personas.caseworker, personas.center)
    scope = _month(personas)

    counted = count(
        figure_get("incidents"),
        scope,
        ("region", "relationship"),
        {"relationship": ("former_spouse",)},
    )

    assert counted == {("almaty-city", "former_spouse"): 1}


def test_a_call_turned_into_a_case_is_counted_once(personas):
    recorded = call(personas.caseworker, personas.center)
    case = intake(
        personas.caseworker,
        personas.center,
        case={"source": "hotline_150"},
        incident={"occurred_on": timezone.localdate()},
    )
    scope = _month(personas)
    assert count(figure_get("new_cases"), scope, ("source",)) == {("hotline_150",): 2}

    services_hotline.hotline_call_link(actor=personas.caseworker, call_id=recorded.pk, case=case)

    assert count(figure_get("new_cases"), scope, ("source",)) == {("hotline_150",): 1}
    assert count(figure_get("incidents"), scope, ("source",)) == {("hotline_150",): 1}


def test_the_intake_from_a_call_knows_its_categories_and_links_on_completion(personas):
    recorded = call(personas.caseworker, personas.center, age_band="18-24")

    draft = services_hotline.hotline_call_start_intake(actor=personas.caseworker, call=recorded)

    assert draft.data["step1"]["age_band"] == "18-24"
    assert draft.data["step4"] == {"source": "hotline_150"}
    case = intake(personas.caseworker, personas.center, hotline_call_id=recorded.pk)
    recorded.refresh_from_db()
    assert recorded.case == case and recorded.converted_at is not None
    with pytest.raises(ValidationError):
        services_hotline.hotline_call_start_intake(actor=personas.caseworker, call=recorded)


def test_a_call_of_another_center_is_never_linked(personas):
    theirs = call(personas.caseworker_other_center, personas.other_center)
    case = intake(personas.caseworker, personas.center)

    assert (
        services_hotline.hotline_call_link(actor=personas.caseworker, call_id=theirs.pk, case=case)
        is None
    )
    theirs.refresh_from_db()
    assert theirs.case is None


# --- the pages --------------------------------------------------------------------------------


def test_the_call_page_has_no_box_to_type_into(client_for):
    response = client_for("caseworker").get(reverse("cases:hotline_call_new"))

    html = response.content.decode()
    form = html[
        html.index('<form class="card"') : html.index("</form>", html.index('<form class="card"'))
    ]
    assert response.status_code == 200
    assert "<textarea" not in form
    assert 'type="text"' not in form and 'type="tel"' not in form


def test_a_careless_caseworker_s_name_and_number_are_stored_nowhere(client_for, personas, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for("caseworker")
    careless = {
        "full_name": CALLER_NAME,
        "caller_phone": CALLER_PHONE,
        "iin": CALLER_IIN,
        "notes": f"{CALLER_NAME}, {CALLER_PHONE}",
    }

    page = client.post(reverse("cases:hotline_call_new"), form_data(**careless))
    api = send(client, "post", CALLS, api_data(**careless))
    good_api = send(client, "post", CALLS, api_data())

    assert page.status_code == 302
    assert api.status_code == 400
    assert set(api.json()["errors"]) == set(careless)
    assert good_api.status_code == 201
    assert HotlineCall.objects.count() == 2
    stored = everything_stored_as_text()
    logged = caplog.text + api.content.decode()
    for secret in (CALLER_NAME, CALLER_PHONE, CALLER_IIN, "555 12 34"):
        assert secret not in stored, secret
        assert secret not in logged, secret
    audit = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    assert CALLER_PHONE not in audit and CALLER_NAME not in audit


def test_recording_a_call_on_the_page_lists_it(client_for):
    client = client_for("caseworker")

    response = client.post(reverse("cases:hotline_call_new"), form_data(), follow=True)

    assert response.status_code == 200
    assert HotlineCall.objects.count() == 1
    assert "Hotline 150" in response.content.decode()


def test_a_missing_answer_is_a_400_that_says_so_and_saves_nothing(client_for):
    response = client_for("caseworker").post(
        reverse("cases:hotline_call_new"), form_data(statistics_consent="", relationship="")
    )

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not HotlineCall.objects.exists()


@pytest.mark.parametrize("persona", ["shelter_manager", "coordinator", "org_admin"])
def test_who_does_no_case_work_records_no_call(client_for, persona):
    assert client_for(persona).get(reverse("cases:hotline_call_new")).status_code == 403
    assert (
        client_for(persona).post(reverse("cases:hotline_call_new"), form_data()).status_code == 403
    )
    assert not HotlineCall.objects.exists()


def test_she_came_in_the_intake_starts_from_the_call_and_finishing_links_it(client_for, personas):
    recorded = call(personas.caseworker, personas.center, age_band="18-24")
    client = client_for("caseworker")

    response = client.post(reverse("cases:hotline_call_convert", args=[recorded.pk]))

    assert response.status_code == 302 and response.url == reverse("cases:intake")
    page = client.get(reverse("cases:intake")).content.decode()
    assert 'value="18-24" selected' in page
    draft = IntakeDraft.objects.get(author=personas.caseworker)
    assert draft.data["hotline_call"] == str(recorded.pk)


def test_converting_over_an_unfinished_intake_asks_first(client_for, personas):
    recorded = call(personas.caseworker, personas.center)
    client = client_for("caseworker")
    client.post(reverse("cases:intake_autosave"), {"step": "1", "full_name": "Айгуль"})
    url = reverse("cases:hotline_call_convert", args=[recorded.pk])

    asked = client.post(url)

    assert asked.status_code == 200
    assert "Replace your unfinished intake?" in asked.content.decode()
    assert "hotline_call" not in IntakeDraft.objects.get().data
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert IntakeDraft.objects.get().data["hotline_call"] == str(recorded.pk)


def test_another_center_s_call_cannot_be_converted(client_for, personas):
    theirs = call(personas.caseworker_other_center, personas.other_center)

    response = client_for("caseworker").post(
        reverse("cases:hotline_call_convert", args=[theirs.pk])
    )

    assert response.status_code == 404
    assert not IntakeDraft.objects.exists()


# --- the API ----------------------------------------------------------------------------------


def test_the_api_records_a_call_and_lists_only_her_centers(client_for, personas):
    call(personas.caseworker_other_center, personas.other_center)

    created = send(client_for("caseworker"), "post", CALLS, api_data())
    listed = client_for("caseworker").get(CALLS).json()["results"]

    assert created.status_code == 201
    body = created.json()
    assert body["organisation_id"] == str(personas.center.pk)
    assert body["region"] == str(region("almaty-city").pk) and body["case_id"] is None
    assert [row["id"] for row in listed] == [body["id"]]
    assert client_for("shelter_manager").get(CALLS).json()["results"] == []


def test_the_api_refuses_a_call_from_who_does_no_case_work(client_for):
    response = send(client_for("shelter_manager"), "post", CALLS, api_data())

    assert response.status_code == 403
    assert not HotlineCall.objects.exists()


def test_the_api_needs_the_center_from_a_caseworker_of_two_and_refuses_a_stranger_s(
    client_for, personas
):
    MembershipFactory.create(
        user=personas.caseworker, organisation=personas.other_center, role=Role.CASEWORKER
    )
    client = client_for("caseworker")
    stranger = MembershipFactory.create(role=Role.CASEWORKER).organisation

    unsaid = send(client, "post", CALLS, api_data())
    foreign = send(client, "post", CALLS, api_data(organisation=str(stranger.pk)))
    said = send(client, "post", CALLS, api_data(organisation=str(personas.other_center.pk)))

    assert unsaid.status_code == 400 and set(unsaid.json()["errors"]) == {"organisation"}
    assert foreign.status_code == 400 and set(foreign.json()["errors"]) == {"organisation"}
    assert said.status_code == 201
    assert said.json()["organisation_id"] == str(personas.other_center.pk)
    assert HotlineCall.objects.count() == 1


def test_the_api_links_a_call_to_her_case_once(client_for, personas):
    recorded = call(personas.caseworker, personas.center)
    case = intake(personas.caseworker, personas.center)
    other = intake(personas.caseworker, personas.center)
    client = client_for("caseworker")
    url = f"{CALLS}/{recorded.pk}/link"

    linked = send(client, "post", url, {"case": str(case.pk)})
    again = send(client, "post", url, {"case": str(other.pk)})

    assert linked.status_code == 200 and linked.json()["case_id"] == str(case.pk)
    assert again.status_code == 400
    recorded.refresh_from_db()
    assert recorded.case == case
    assert send(client, "get", f"{CALLS}/{recorded.pk}").json()["case_id"] == str(case.pk)


def test_the_api_hides_another_center_s_call(client_for, personas):
    theirs = call(personas.caseworker_other_center, personas.other_center)

    assert client_for("caseworker").get(f"{CALLS}/{theirs.pk}").status_code == 404


def test_cases_api_still_answers(client_for):
    assert client_for("caseworker").get(CASES).status_code == 200


def test_no_case_is_made_by_a_call(personas):
    call(personas.caseworker, personas.center)

    assert not Case.objects.exists()

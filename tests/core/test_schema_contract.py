"""The schema says what the API does (issue 10, finding 4): every status it can answer,
strict paging and filters, and the rules a body must follow."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture(scope="module")
def schema():
    from django.utils import translation

    with translation.override("en"):
        document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_the_errors_it_can_answer(schema):
    operations = list(_operations(schema))
    assert len(operations) >= 50
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"401", "403", "406", "429"}
        if "{" in path or "requestBody" in operation:
            expected.add("404")
        if method != "get" or operation.get("parameters"):
            expected.add("400")
        if method != "get":
            expected |= {"409", "415"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            content = responses[status]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]


def test_the_schema_states_the_rules_of_the_bodies(schema):
    components = schema["components"]["schemas"]
    assert components["IncidentCreateRequest"]["properties"]["violence_types"]["minItems"] == 1
    hold = components["HoldCreateRequest"]["properties"]
    assert "either a bed, or a shelter and a bed kind" in hold["bed"]["description"]
    turn_aways = schema["paths"]["/api/v1/turn-aways"]["get"]["parameters"]
    descriptions = {p["name"]: p.get("description", "") for p in turn_aways}
    assert "after from" in descriptions["to"]
    limit = next(p for p in turn_aways if p["name"] == "limit")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, 200)


def test_closed_reason_is_null_or_one_of_its_enum(schema):
    field = schema["components"]["schemas"]["CaseDetail"]["properties"]["closed_reason"]
    assert field.get("nullable") or any("NullEnum" in str(x) for x in field.get("oneOf", []))
    assert "" not in schema["components"]["schemas"]["ClosedReasonEnum"]["enum"]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "-1.8e-107"},
        {"limit": "0"},
        {"limit": "201"},
        {"limit": "abc"},
        {"limit": "٣"},  # an Arabic-Indic digit: isdigit() alone would take it
        {"offset": "null"},
        {"offset": "-5"},
        {"offset": "1.5"},
    ],
)
@pytest.mark.parametrize("url", ["/cases", "/partners", "/turn-aways", "/referrals"])
def test_a_bad_limit_or_offset_is_a_400_that_names_it(client_for, query, url):
    response = client_for("caseworker").get(f"{V1}{url}", query)

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == list(query)


def test_a_good_limit_and_offset_still_page(client_for):
    response = client_for("caseworker").get(f"{V1}/cases", {"limit": "200", "offset": "0"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "url", "name"),
    [
        ("caseworker", "/availability", "region"),
        ("caseworker", "/availability", "kind"),
        ("caseworker", "/cases", "status"),
        ("caseworker", "/cases", "risk_band"),
        ("caseworker", "/partners", "kind"),
        ("caseworker", "/partners", "region"),
        ("caseworker", "/referrals", "status"),
        ("caseworker", "/referrals", "box"),
        ("shelter_manager", "/turn-aways", "from"),
        ("caseworker", "/stays", "current"),
        ("caseworker", "/reminders", "unread"),
    ],
)
def test_an_empty_filter_is_a_400_not_everything(client_for, persona, url, name):
    response = client_for(persona).get(f"{V1}{url}", {name: ""})

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [name]

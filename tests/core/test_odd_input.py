"""Odd input is a clear 400 and changes nothing, never a 500 (issue 10, finding 3).

Three classes of defect: JSON nested too deep for the parser, a body that is not an
object where one is spread, and date arithmetic on a date at the calendar's ends.
"""

import datetime
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.views import APIView

from crisis_ops.audit.models import AuditEvent
from crisis_ops.core.api import JSONParser
from protection_orders import services as order_services
from protection_orders.models import OrderType
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"


def send(client, method, url, raw):
    return getattr(client, method)(url, raw, content_type="application/json")


def api_views(resolver=None, prefix=""):
    """(pattern, view class) for every API operation the URLconf serves."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from api_views(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("api/v1/"):
            view = getattr(entry.callback, "cls", None) or getattr(
                entry.callback, "view_class", None
            )
            if view is not None:
                yield pattern, view


def writes():
    """Audit rows of changes (reading a case to check access is audited too)."""
    return AuditEvent.objects.exclude(action__endswith=".viewed").count()


def deep(depth):
    return "[" * depth + "]" * depth


# --- JSON nested too deep -------------------------------------------------------------------


def test_every_api_view_parses_json_with_the_depth_limited_parser():
    views = list(api_views())
    assert len(views) >= 30
    for pattern, view in views:
        assert issubclass(view, APIView), pattern
        parsers = view.parser_classes
        assert parsers and all(issubclass(p, JSONParser) for p in parsers), (pattern, parsers)


def write_calls(client_for, personas):
    """(persona, client, method, url) for every writing API operation with real ids,
    as the roles that may reach its body."""
    case = intake(personas.caseworker, personas.center)
    shelter = shelter_with_beds(personas.center, beds=2)
    ids = {
        "case_id": case.pk,
        "shelter_id": shelter.pk,
        "bed_id": shelter.beds.first().pk,
        "pk": personas.caseworker.memberships.get().pk,
    }
    clients = {p: client_for(p) for p in ("caseworker", "shelter_manager", "org_admin")}
    calls = []
    for pattern, view in api_views():
        url = "/" + pattern
        for name, value in ids.items():
            url = url.replace(f"<uuid:{name}>", str(value))
        if "<" in url:
            continue
        for method in ("post", "patch"):
            if method in view.http_method_names and hasattr(view, method):
                calls += [(persona, client, method, url) for persona, client in clients.items()]
    return calls


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_deeply_nested_json_is_a_400_on_every_write(client_for, personas, depth):
    calls = write_calls(client_for, personas)
    events = writes()
    parsed_as_400 = 0
    for persona, client, method, url in calls:
        response = send(client, method, url, deep(depth))
        assert response.status_code < 500, (method, url, persona)
        if response.status_code == 400:
            parsed_as_400 += 1
            assert "nested" in response.json()["detail"], response.json()
    assert parsed_as_400 >= 15
    assert writes() == events


def test_json_as_deep_as_the_limit_is_still_read(client_for, personas):
    """The limit is a bound on nesting, not on ordinary bodies: a 400 about the fields."""
    case = intake(personas.caseworker, personas.center)
    body = {"text": json.loads(deep(JSONParser.max_depth - 1))}

    response = send(
        client_for("caseworker"), "post", f"{V1}/cases/{case.pk}/notes", json.dumps(body)
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["text"]


# --- a body that is not an object ---------------------------------------------------------------


@pytest.mark.parametrize("raw", ["[]", '["role", "org_admin"]', '"org_admin"', "null", "7", "true"])
def test_a_member_change_that_is_not_an_object_is_400(client_for, personas, raw):
    membership = personas.caseworker.memberships.get()

    response = send(client_for("org_admin"), "patch", f"{V1}/members/{membership.pk}", raw)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [response.json()["errors"]["non_field_errors"][0]]
    }
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("caseworker", True)


@pytest.mark.parametrize("raw", ["[]", '"x"', "null", "[1, 2]"])
def test_no_write_accepts_a_body_that_is_not_an_object(client_for, personas, raw):
    calls = write_calls(client_for, personas)
    events = writes()
    for persona, client, method, url in calls:
        response = send(client, method, url, raw)
        assert response.status_code in (400, 403, 404, 405), (method, url, persona)
    assert writes() == events


# --- dates at the calendar's ends ---------------------------------------------------------------


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def order(personas, case):
    return order_services.order_create(
        actor=personas.caseworker,
        case=case,
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-1",
        issuing_unit="УП",
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
    )


def order_body(case, **dates):
    base = {
        "case": str(case.pk),
        "order_type": "police-protection",
        "number": "9",
        "issuing_unit": "УП",
    }
    return {**base, **dates}


def assert_refused_on_dates_or_readable(client, response, fields, detail_url):
    """A 400 on the date fields, or (where the date is only implausible, finding 6's
    ranges) saved with every page of it still readable: never a 500."""
    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert set(response.json()["errors"]) <= set(fields), response.json()
    else:
        assert client.get(detail_url(response.json())).status_code == 200


@pytest.mark.parametrize(
    "dates",
    [
        {"issued_on": LAST_DAY},
        {"issued_on": FIRST_DAY},
        {"issued_on": FIRST_DAY, "expires_on": FIRST_DAY},
        {"issued_on": FIRST_DAY, "expires_on": "0001-01-03"},
        {"issued_on": "2026-01-01", "expires_on": LAST_DAY},
    ],
    ids=lambda dates: "-".join(dates.values()),
)
def test_an_order_dated_at_the_calendars_ends_never_500s(client_for, case, dates):
    client = client_for("caseworker")

    response = send(
        client, "post", f"{V1}/protection-orders", json.dumps(order_body(case, **dates))
    )

    assert_refused_on_dates_or_readable(
        client, response, {"issued_on", "expires_on"}, lambda o: f"/orders/{o['id']}/"
    )
    if dates["issued_on"] == LAST_DAY:
        assert response.status_code == 400
        assert not case.protection_orders.exists()


@pytest.mark.parametrize("day", [FIRST_DAY, LAST_DAY])
@pytest.mark.parametrize("kind", ["police-checks", "violations"])
def test_a_check_or_violation_at_the_calendars_ends_never_500s(client_for, order, day, kind):
    client = client_for("caseworker")
    body = {"checked_on": day, "unit_officer": "x", "outcome": "complied"}
    if kind == "violations":
        body = {"occurred_on": day, "description": "x"}

    response = send(client, "post", f"{V1}/protection-orders/{order.pk}/{kind}", json.dumps(body))

    assert_refused_on_dates_or_readable(
        client, response, set(body), lambda _: f"/orders/{order.pk}/"
    )
    assert client.get(f"/cases/{order.case_id}/").status_code == 200


@pytest.mark.parametrize(
    "dates",
    [
        {"granted_on": FIRST_DAY, "expires_on": "0001-01-02"},
        {"granted_on": FIRST_DAY, "expires_on": FIRST_DAY},
        {"expires_on": LAST_DAY},
    ],
)
def test_a_consent_at_the_calendars_ends_never_500s(client_for, case, dates):
    client = client_for("caseworker")
    body = {"scope": "referral_legal", "parts": ["identity"], **dates}

    response = send(client, "post", f"{V1}/cases/{case.pk}/consents", json.dumps(body))

    assert_refused_on_dates_or_readable(
        client, response, set(dates), lambda _: f"/cases/{case.pk}/"
    )


def test_consent_reminders_skip_days_off_the_calendar(personas, case):
    from cases.models import Consent
    from referrals.models import Referral
    from referrals.reminders import referral_plans

    consent = Consent(case=case, scope="referral_legal", granted_on=datetime.date(1, 1, 1))
    consent.expires_on = datetime.date(1, 1, 2)
    referral = Referral(
        case=case,
        sent_by=personas.caseworker,
        consent=consent,
        from_organisation_id=personas.center.pk,
        answer_due_at=timezone.now(),
    )

    plans = referral_plans(referral)

    assert [p.day for p in plans if p.kind == "consent_expiring"] == [datetime.date(1, 1, 1)]


@pytest.mark.parametrize(
    "dates",
    [
        {"admitted_on": FIRST_DAY},
        {"admitted_on": FIRST_DAY, "expected_end": "0001-01-02"},
        {"admitted_on": FIRST_DAY, "expected_end": FIRST_DAY},
        {"expected_end": LAST_DAY},
    ],
    ids=lambda dates: "-".join(dates.values()),
)
def test_a_stay_at_the_calendars_ends_never_500s(client_for, personas, case, dates):
    shelter = shelter_with_beds(personas.center, beds=1)
    body = {"bed": str(shelter.beds.get().pk), "survivor_code": case.survivor.code, **dates}
    client = client_for("shelter_manager")

    response = send(client, "post", f"{V1}/stays", json.dumps(body))

    assert_refused_on_dates_or_readable(
        client, response, set(dates), lambda _: f"/shelters/{shelter.pk}/"
    )


@pytest.mark.parametrize("day", ["0001-01-02", FIRST_DAY, LAST_DAY])
def test_a_stay_moved_to_the_calendars_ends_never_500s(client_for, personas, case, day):
    from shelters import services_placements as shelter_services

    shelter = shelter_with_beds(personas.center, beds=1)
    stay, _ = shelter_services.stay_admit(
        actor=personas.shelter_manager, bed=shelter.beds.get(), case=case
    )
    client = client_for("shelter_manager")

    response = send(client, "patch", f"{V1}/stays/{stay.pk}", json.dumps({"expected_end": day}))

    assert_refused_on_dates_or_readable(
        client, response, {"expected_end"}, lambda _: f"/shelters/{shelter.pk}/"
    )


@pytest.mark.parametrize(
    "query", [{"from": FIRST_DAY}, {"to": LAST_DAY}, {"from": FIRST_DAY, "to": LAST_DAY}]
)
def test_turn_away_filters_at_the_calendars_ends_never_500(client_for, query):
    response = client_for("shelter_manager").get(f"{V1}/turn-aways", query)

    assert response.status_code in (200, 400), response.content

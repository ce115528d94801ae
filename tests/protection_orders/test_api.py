"""The protection-order API: who sees and changes what, and bad input."""

import datetime
import uuid

import pytest
from django.utils import timezone

from crisis_ops.audit.models import AuditEvent
from protection_orders import services
from protection_orders.models import OrderType, PoliceCheck, ProtectionOrder, Violation
from tests.cases.factories import intake
from tests.factories import post
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/protection-orders"
READERS = ["caseworker", "caseworker_same_center", "supervisor"]
OUTSIDERS = ["caseworker_other_center", "shelter_manager", "coordinator", "org_admin"]


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def order(personas, case):
    return services.order_create(
        actor=personas.caseworker,
        case=case,
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-0142",
        issuing_unit="УП Алмалинского района",
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        conditions="Не приближаться",
    )


def today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def order_body(case, **changes):
    return {
        "case": str(case.id),
        "order_type": "police-protection",
        "number": "ЗП-9",
        "issuing_unit": "УП",
        "issued_on": today(),
        **changes,
    }


CHECK = {"checked_on": today(), "unit_officer": "УП, ст. лейтенант Н.", "outcome": "complied"}
VIOLATION = {"occurred_on": today(), "description": "Пришёл ночью", "reported_to_police": True}

READS = {
    "order": lambda order: f"{ORDERS}/{order.id}",
    "police-checks": lambda order: f"{ORDERS}/{order.id}/police-checks",
    "violations": lambda order: f"{ORDERS}/{order.id}/violations",
}
WRITES = {
    "police-checks": (CHECK, PoliceCheck),
    "violations": (VIOLATION, Violation),
}


# --- the ladder --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_case_staff_list_the_orders_of_their_center(client_for, order, persona):
    response = client_for(persona).get(ORDERS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(order.id)]
    assert response.json()["results"][0]["case_reference"] == order.case.reference


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_list_no_order(client_for, order, persona):
    response = client_for(persona).get(ORDERS)

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("endpoint", READS)
@pytest.mark.parametrize("persona", READERS)
def test_case_staff_read_an_order_and_it_is_audited(client_for, personas, order, endpoint, persona):
    response = client_for(persona).get(READS[endpoint](order))

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="case.viewed", object_id=str(order.case_id), actor_id=personas.user(persona).id
    ).exists()


def test_the_order_shows_its_conditions_and_check_dates(client_for, order):
    body = client_for("caseworker").get(f"{ORDERS}/{order.id}").json()

    assert body["conditions"] == "Не приближаться"
    assert body["check_due_dates"][0] == (order.issued_on + datetime.timedelta(days=7)).isoformat()


@pytest.mark.parametrize("endpoint", READS)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_in_the_project_format(client_for, order, endpoint, persona):
    response = client_for(persona).get(READS[endpoint](order))

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("url", [ORDERS, f"{ORDERS}/{uuid.uuid4()}"])
def test_anonymous_gets_401(client_for, url):
    assert client_for("anonymous").get(url).status_code == 401


@pytest.mark.parametrize("url", [f"{ORDERS}/not-a-uuid", f"{ORDERS}/123/police-checks"])
def test_a_malformed_id_is_404_not_500(client_for, url):
    response = client_for("caseworker").get(url)

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_an_unknown_order_is_404(client_for):
    assert client_for("caseworker").get(f"{ORDERS}/{uuid.uuid4()}").status_code == 404


# --- writes ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_case_staff_record_an_order_with_the_longest_expiry(client_for, case, persona):
    response = post(client_for(persona), ORDERS, order_body(case))

    assert response.status_code == 201
    order = ProtectionOrder.objects.get()
    assert response.json()["id"] == str(order.id)
    assert order.expires_on == timezone.localdate() + datetime.timedelta(days=29)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_record_an_order(client_for, case, persona):
    response = post(client_for(persona), ORDERS, order_body(case))

    assert response.status_code == 404
    assert ProtectionOrder.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"expires_on": today(60)}, "expires_on", "lasts at most 30 days"),
        ({"expires_on": today(-1)}, "expires_on", "cannot expire before it was issued"),
        ({"issued_on": today(2), "expires_on": today(5)}, "issued_on", "cannot be in the future"),
        ({"order_type": "no-such-type"}, "order_type", ""),
    ],
)
def test_bad_order_input_saves_nothing_and_says_why(client_for, case, changes, field, message):
    response = post(client_for("caseworker"), ORDERS, order_body(case, **changes))

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request has errors; nothing was saved."
    assert message in " ".join(body["errors"][field])
    assert ProtectionOrder.objects.count() == 0


@pytest.mark.parametrize("endpoint", WRITES)
@pytest.mark.parametrize("persona", READERS)
def test_case_staff_record_checks_and_violations(client_for, order, endpoint, persona):
    body, model = WRITES[endpoint]

    response = post(client_for(persona), f"{ORDERS}/{order.id}/{endpoint}", body)

    assert response.status_code == 201
    assert model._default_manager.count() == 1
    listed = client_for("caseworker").get(f"{ORDERS}/{order.id}/{endpoint}").json()
    assert [row["id"] for row in listed["results"]] == [response.json()["id"]]


@pytest.mark.parametrize("endpoint", WRITES)
@pytest.mark.parametrize("persona", [*OUTSIDERS, "anonymous"])
def test_outsiders_cannot_record_checks_or_violations(client_for, order, endpoint, persona):
    body, model = WRITES[endpoint]

    response = post(client_for(persona), f"{ORDERS}/{order.id}/{endpoint}", body)

    assert response.status_code == (401 if persona == "anonymous" else 404)
    assert model._default_manager.count() == 0


@pytest.mark.parametrize(
    ("checked_on", "message"),
    [(today(-10), "before the order was issued"), (today(1), "cannot be in the future")],
)
def test_a_check_outside_the_order_saves_nothing(client_for, order, checked_on, message):
    response = post(
        client_for("caseworker"),
        f"{ORDERS}/{order.id}/police-checks",
        {**CHECK, "checked_on": checked_on},
    )

    assert response.status_code == 400
    assert message in response.json()["errors"]["checked_on"][0]
    assert PoliceCheck.objects.count() == 0


def test_an_unknown_outcome_saves_nothing(client_for, order):
    response = post(
        client_for("caseworker"), f"{ORDERS}/{order.id}/police-checks", {**CHECK, "outcome": "?"}
    )

    assert response.status_code == 400
    assert "outcome" in response.json()["errors"]
    assert PoliceCheck.objects.count() == 0


def test_the_order_list_reads_a_fixed_number_of_queries(client_for, personas, case, order):
    client = client_for("supervisor")

    def six_more():
        for n in range(6):
            other = intake(personas.caseworker, personas.center)
            post(client, ORDERS, order_body(other, number=f"N{n}"))

    response = assert_queries_do_not_grow(lambda: client.get(ORDERS), six_more, at_most=20)
    assert response.json()["count"] == 7

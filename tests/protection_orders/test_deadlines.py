"""The dashboard's deadlines card, with frozen time."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from protection_orders import services
from tests.cases.factories import intake
from tests.factories import text
from tests.protection_orders.factories import (
    ALMATY,
    record_order,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


# --- the dashboard's deadlines -----------------------------------------------------------

TODAY = datetime.date(2026, 3, 16)


def _at(day, hour=11):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ALMATY)


@pytest.fixture
def deadline_orders(personas):
    """Issued so that, on TODAY, one check is due, one is overdue, one order expires in 3 days."""
    with time_machine.travel(_at(datetime.date(2026, 2, 1)), tick=False):
        mine = intake(personas.caseworker, personas.center)
        bobs = intake(personas.caseworker_same_center, personas.center)
    with time_machine.travel(_at(TODAY), tick=False):
        due_today = record_order(
            personas.caseworker, mine, issued_on=TODAY - datetime.timedelta(days=7), number="D1"
        )
        overdue = record_order(
            personas.caseworker, mine, issued_on=TODAY - datetime.timedelta(days=9), number="D2"
        )
        expiring = record_order(
            personas.caseworker,
            bobs,
            issued_on=TODAY - datetime.timedelta(days=26),
            number="D3",
        )
        services.police_check_record(
            actor=personas.caseworker_same_center,
            order=expiring,
            checked_on=TODAY - datetime.timedelta(days=1),
            unit_officer="УП",
            outcome="complied",
        )
    return due_today, overdue, expiring


def deadlines_card(page):
    start = page.index('id="card-deadlines"')
    return page[start : page.index("</section>", start)]


def test_a_caseworker_sees_deadlines_of_her_own_cases(client_for, deadline_orders):
    due_today, overdue, expiring = deadline_orders
    with time_machine.travel(_at(TODAY), tick=False):
        card = deadlines_card(text(client_for("caseworker").get(reverse("core:dashboard"))))

    assert "Police check due today" in card
    assert due_today.number in card.split("Police check due today")[1]
    assert "Police check overdue" in card
    assert overdue.number in card.split("Police check overdue")[1].split("due today")[0]
    # Bob's case is not hers.
    assert expiring.number not in card


def test_a_supervisor_sees_the_whole_center(client_for, deadline_orders):
    due_today, overdue, expiring = deadline_orders
    with time_machine.travel(_at(TODAY), tick=False):
        card = deadlines_card(text(client_for("supervisor").get(reverse("core:dashboard"))))

    assert "Expiring this week" in card
    assert expiring.number in card.split("Expiring this week")[1]
    assert due_today.number in card
    assert overdue.number in card


def test_a_recorded_check_clears_the_deadline(client_for, personas, deadline_orders):
    due_today, overdue, _expiring = deadline_orders
    with time_machine.travel(_at(TODAY), tick=False):
        for order in (due_today, overdue):
            services.police_check_record(
                actor=personas.caseworker,
                order=order,
                checked_on=TODAY,
                unit_officer="УП",
                outcome="complied",
            )
        card = deadlines_card(text(client_for("caseworker").get(reverse("core:dashboard"))))

    assert "No police checks or order expiries are due." in card


def test_another_center_sees_none_of_the_deadlines(client_for, deadline_orders):
    with time_machine.travel(_at(TODAY), tick=False):
        card = deadlines_card(
            text(client_for("caseworker_other_center").get(reverse("core:dashboard")))
        )

    assert "No police checks or order expiries are due." in card


def test_deadlines_read_a_fixed_number_of_queries(personas, deadline_orders):
    from protection_orders.selectors import deadlines_for

    def five_more_orders():
        extra = intake(personas.caseworker, personas.center)
        for n in range(5):
            record_order(personas.caseworker, extra, number=f"E{n}")

    with time_machine.travel(_at(TODAY), tick=False):
        deadlines = assert_queries_do_not_grow(
            lambda: deadlines_for(user=personas.supervisor), five_more_orders, at_most=4
        )
    assert len(deadlines.expiring) == 1

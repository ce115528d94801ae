"""A write that loses a deadlock is tried again, from a page as from the API; a third
loss, or a loss inside someone else's transaction, is a lost race (409), never a 500."""

import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from django.urls import reverse

from crisis_ops.audit.services import audit_record as audit_record_for_real
from shelters import concurrency
from shelters import services_placements as placements
from shelters.concurrency import BedTaken, retry_on_deadlock
from shelters.models import Occupancy
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

TAKEN = "This bed was just taken. Choose another one."


class _Cause(Exception):
    pgcode = "40P01"


def _lost(pgcode="40P01"):
    """What psycopg's deadlock error looks like once Django has wrapped it."""
    cause = _Cause()
    cause.pgcode = pgcode
    return OperationalError("deadlock detected"), cause


def _failing(times, pgcode="40P01"):
    calls = []

    def write():
        calls.append(1)
        if len(calls) <= times:
            error, cause = _lost(pgcode)
            raise error from cause
        return "done"

    return write, calls


@pytest.fixture
def outside_a_transaction(monkeypatch):
    """As a real request runs: not inside the test's own transaction."""
    monkeypatch.setattr(concurrency, "connection", SimpleNamespace(in_atomic_block=False))


def test_a_deadlock_victim_is_tried_again_then_a_lost_race(outside_a_transaction):
    write, calls = _failing(2)
    assert retry_on_deadlock(write)() == "done"
    assert len(calls) == 3

    write, calls = _failing(5)
    with pytest.raises(BedTaken):
        retry_on_deadlock(write)()
    assert len(calls) == 3


def test_a_lost_connection_is_not_a_race(outside_a_transaction):
    write, calls = _failing(1, pgcode="08006")
    with pytest.raises(OperationalError):
        retry_on_deadlock(write)()
    assert len(calls) == 1


def test_a_service_calling_another_retries_once_not_twice(outside_a_transaction):
    inner, calls = _failing(5)
    outer = retry_on_deadlock(lambda: retry_on_deadlock(inner)())
    with pytest.raises(BedTaken):
        outer()
    assert len(calls) == 3


def test_inside_a_callers_transaction_a_lost_deadlock_is_a_lost_race_at_once():
    write, calls = _failing(1)
    with pytest.raises(BedTaken):
        retry_on_deadlock(write)()
    assert len(calls) == 1


def test_every_write_service_that_takes_or_changes_beds_retries():
    from shelters import services

    writes: list[Callable[..., object]] = [
        services.bed_create,
        services.bed_update,
        placements.hold_place,
        placements.hold_any_free,
        placements.hold_release,
        placements.hold_confirm,
        placements.stay_admit,
        placements.stay_update,
        placements.stay_discharge,
    ]
    assert [w.__name__ for w in writes if not concurrency.retries_on_deadlock(w)] == []


# --- pages and the API alike ---------------------------------------------------------------


@pytest.fixture
def deadlocks(monkeypatch):
    """The hold's audit row loses a deadlock the first ``n`` times it is written."""

    def make(n):
        real = audit_record_for_real
        calls = []

        def audit_record(**kwargs):
            calls.append(1)
            if len(calls) <= n:
                error, cause = _lost()
                raise error from cause
            return real(**kwargs)

        monkeypatch.setattr(placements, "audit_record", audit_record)
        return calls

    return make


def _hold(client, how, shelter, case):
    if how == "page":
        url = reverse("shelters:hold_place", args=[shelter.pk])
        return client.post(url, {"case": case.pk, "kind": "adult"})
    body = {"case": str(case.pk), "shelter": str(shelter.pk), "kind": "adult"}
    return client.post("/api/v1/holds", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("how", ["page", "api"])
def test_a_hold_that_lost_two_deadlocks_is_placed(
    client_for, personas, other_case, outside_a_transaction, deadlocks, how
):
    shelter = shelter_with_beds(personas.center, beds=2)
    calls = deadlocks(2)

    response = _hold(client_for("caseworker_other_center"), how, shelter, other_case)

    assert response.status_code == (302 if how == "page" else 201)
    assert len(calls) == 3
    assert Occupancy.objects.filter(kind="hold", case=other_case).count() == 1


@pytest.mark.parametrize("how", ["page", "api"])
def test_a_hold_that_lost_three_deadlocks_is_a_lost_race_with_nothing_saved(
    client_for, personas, other_case, outside_a_transaction, deadlocks, how
):
    shelter = shelter_with_beds(personas.center, beds=2)
    deadlocks(3)

    response = _hold(client_for("caseworker_other_center"), how, shelter, other_case)

    assert response.status_code == 409
    assert TAKEN in response.content.decode()
    assert not Occupancy.objects.exists()

"""Erasure on request: a supervisor asks, another person, an org admin, confirms; legal holds
block it and one person alone never erases."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases.models import Survivor
from crisis_ops.notifications.models import Notification
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from crisis_ops.retention import services
from crisis_ops.retention.models import (
    ErasureRequest,
    PurgeJob,
)
from tests.cases.factories import intake
from tests.retention.factories import order_on

pytestmark = pytest.mark.django_db


# --- erasure on request ---------------------------------------------------------------------


def test_a_supervisor_asks_and_another_person_an_org_admin_confirms(personas, destroyed_keys):
    case = intake(personas.caseworker, personas.center)

    erasure = services.erasure_request(actor=personas.supervisor, case_reference=case.reference)
    assert Notification.objects.filter(recipient=personas.org_admin, object_id=erasure.pk).exists()
    erasure = services.erasure_confirm(actor=personas.org_admin, erasure=erasure)

    assert erasure.status == ErasureRequest.Status.DONE and erasure.case_reference == ""
    assert destroyed_keys == [case.survivor_id]
    assert not Survivor.objects.filter(pk=case.survivor_id).exists()
    job = PurgeJob.objects.get(erasure=erasure)
    assert job.kind == "erasure" and job.status == "done"


def test_one_person_alone_cannot_erase_even_holding_both_roles(personas, destroyed_keys):
    case = intake(personas.caseworker, personas.center)
    erasure = services.erasure_request(actor=personas.supervisor, case_reference=case.reference)
    # She asked as supervisor, and is made org admin of the center before she confirms.
    Membership.objects.filter(user=personas.supervisor, organisation=personas.center).update(
        role=Role.ORG_ADMIN
    )

    with pytest.raises(ValidationError, match="Another person must confirm"):
        services.erasure_confirm(actor=personas.supervisor, erasure=erasure)

    erasure.refresh_from_db()
    assert erasure.status == "requested" and destroyed_keys == []
    assert Survivor.objects.filter(pk=case.survivor_id).exists()


@pytest.mark.parametrize(
    "persona", ["caseworker", "coordinator", "org_admin", "supervisor_other_center"]
)
def test_only_a_supervisor_of_her_center_asks(personas, persona):
    case = intake(personas.caseworker, personas.center)

    with pytest.raises(ValidationError):
        services.erasure_request(actor=personas.user(persona), case_reference=case.reference)
    assert not ErasureRequest.objects.exists()


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "coordinator"])
def test_only_an_org_admin_confirms(personas, persona, destroyed_keys):
    case = intake(personas.caseworker, personas.center)
    erasure = services.erasure_request(actor=personas.supervisor, case_reference=case.reference)

    with pytest.raises(ValidationError):
        services.erasure_confirm(actor=personas.user(persona), erasure=erasure)
    assert destroyed_keys == []


def test_a_legal_hold_blocks_an_erasure_and_says_why(personas, destroyed_keys):
    case = intake(personas.caseworker, personas.center)
    order_on(case, personas)
    erasure = services.erasure_request(actor=personas.supervisor, case_reference=case.reference)

    with pytest.raises(ValidationError, match="Protection order ЗП-0777 is active"):
        services.erasure_confirm(actor=personas.org_admin, erasure=erasure)

    erasure.refresh_from_db()
    assert erasure.status == "requested" and destroyed_keys == []


def test_a_second_request_for_her_while_one_waits_is_refused(personas):
    case = intake(personas.caseworker, personas.center)
    services.erasure_request(actor=personas.supervisor, case_reference=case.reference)

    with pytest.raises(ValidationError, match="already waiting"):
        services.erasure_request(actor=personas.supervisor, case_reference=case.reference)
    assert ErasureRequest.objects.count() == 1

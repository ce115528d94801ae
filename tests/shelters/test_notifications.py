"""What the caseworker hears about her holds (shelters/notifications.py): confirmed,
released by someone else, expired."""

import datetime

import pytest
import time_machine

from crisis_ops.notifications.models import Notification
from shelters import services_placements as placements
from shelters.tasks import expire_holds
from tests.shelters.factories import ALMATY, first_bed

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(2)]

# --- notifications ----------------------------------------------------------------------


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_caseworker_hears_her_hold_was_confirmed(
    personas, shelter, other_case, mailoutbox, django_capture_on_commit_callbacks
):
    personas.caseworker_other_center.email = "charlie@example.org"
    personas.caseworker_other_center.save()
    hold = placements.hold_place(
        actor=personas.caseworker_other_center, bed=first_bed(shelter), case=other_case
    )

    with django_capture_on_commit_callbacks(execute=True):
        placements.hold_confirm(actor=personas.shelter_manager, hold=hold)

    assert kinds_for(personas.caseworker_other_center) == ["hold_confirmed"]
    assert kinds_for(personas.shelter_manager) == []
    (mail,) = mailoutbox
    assert other_case.reference in mail.subject and "confirmed" in mail.body
    assert other_case.survivor.full_name not in mail.subject + mail.body


def test_a_release_is_told_to_the_caseworker_unless_she_released_it_herself(
    personas, shelter, other_case
):
    beds = list(shelter.beds.order_by("label"))
    by_shelter = placements.hold_place(
        actor=personas.caseworker_other_center, bed=beds[0], case=other_case
    )
    by_herself = placements.hold_place(
        actor=personas.caseworker_other_center, bed=beds[1], case=other_case
    )

    placements.hold_release(actor=personas.shelter_manager, hold=by_shelter)
    placements.hold_release(actor=personas.caseworker_other_center, hold=by_herself)

    assert kinds_for(personas.caseworker_other_center) == ["hold_released"]
    assert Notification.objects.get(kind="hold_released").object_id == by_shelter.pk


def test_an_expired_hold_is_told_once(personas, shelter, other_case):
    start = datetime.datetime(2026, 11, 20, 22, 15, tzinfo=ALMATY)
    with time_machine.travel(start, tick=False):
        placements.hold_place(
            actor=personas.caseworker_other_center, bed=first_bed(shelter), case=other_case
        )
    with time_machine.travel(start + datetime.timedelta(minutes=91), tick=False):
        assert expire_holds() == 1
        assert expire_holds() == 0

    assert kinds_for(personas.caseworker_other_center) == ["hold_expired"]

"""Retention services: what is due and when, the policy, what holds it, and the 30-day notice
before the purge on the day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from cases import services as case_services
from cases.models import Case, Survivor
from crisis_ops.notifications.models import Notification
from crisis_ops.retention import purge, selectors, services
from crisis_ops.retention.models import (
    PurgeNotice,
    PurgeSchedule,
    RetentionPolicy,
)
from crisis_ops.retention.notifications import PURGE_NOTICE
from protection_orders import services as order_services
from protection_orders.models import OrderType
from tests.cases.factories import intake
from tests.retention.factories import at, closed_case, order_on, rows_reaching

pytestmark = pytest.mark.django_db


# --- what is due, and the policy --------------------------------------------------------

TODAY = datetime.date(2026, 12, 2)


def due_ids(organisation, on=TODAY, **kw):
    return {d.survivor_id for d in selectors.survivors_due(organisation=organisation, on=on, **kw)}


def test_a_closed_case_is_due_five_years_after_it_closed_and_not_a_day_before(personas):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2021, 12, 2))

    assert case.survivor_id in due_ids(personas.center, on=TODAY)
    assert case.survivor_id not in due_ids(personas.center, on=TODAY - datetime.timedelta(days=1))


def test_an_open_case_keeps_every_case_of_hers(personas):
    old = closed_case(personas.caseworker, personas.center, datetime.date(2015, 1, 1))
    Case.objects.create(  # her second case, still open
        organisation=personas.center,
        survivor=old.survivor,
        reference="C-OPEN0001",
        source="police_102",
    )

    assert due_ids(personas.center) == set()


def test_a_reopened_case_starts_the_clock_again(personas):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2019, 1, 1))
    assert case.survivor_id in due_ids(personas.center)

    with time_machine.travel(at(datetime.date(2025, 6, 1)), tick=False):
        case = case_services.case_change_status(
            actor=personas.caseworker, case=case, status="active"
        )
    closed_case(personas.caseworker, personas.center, datetime.date(2025, 6, 2), case=case)

    assert due_ids(personas.center) == set()
    assert case.survivor_id in due_ids(personas.center, on=datetime.date(2030, 6, 2))


def test_the_policy_sets_the_years_and_a_kind_of_case_its_own(personas):
    plain = closed_case(personas.caseworker, personas.center, datetime.date(2023, 1, 1))
    with_order = intake(personas.caseworker, personas.center)
    order = order_services.order_create(
        actor=personas.caseworker,
        case=with_order,
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-0142",
        issuing_unit="УП Алмалинского района",
        issued_on=datetime.date(2022, 12, 1),
    )
    order.status = "expired"
    order.save(update_fields=["status"])
    closed_case(personas.caseworker, personas.center, datetime.date(2023, 1, 1), case=with_order)
    assert due_ids(personas.center) == set()

    services.policy_save(
        actor=personas.org_admin,
        organisation=personas.center,
        years=3,
        rules={"with_protection_order": 10},
    )

    assert due_ids(personas.center) == {plain.survivor_id}
    assert with_order.survivor_id in due_ids(personas.center, on=datetime.date(2033, 1, 1))


@pytest.mark.parametrize(
    "years, rules, field",
    [
        (0, {}, "years"),
        (200, {}, "years"),
        ("5", {}, "years"),
        (5, {"nope": 3}, "rules"),
        (5, {"with_children": 0}, "rule_with_children"),
    ],
)
def test_a_bad_policy_is_refused_and_nothing_changes(personas, years, rules, field):
    with pytest.raises(ValidationError) as error:
        services.policy_save(
            actor=personas.org_admin, organisation=personas.center, years=years, rules=rules
        )

    assert field in error.value.message_dict
    assert not RetentionPolicy.objects.exists()


@pytest.mark.parametrize(
    "persona", ["supervisor", "caseworker", "coordinator", "supervisor_other_center"]
)
def test_only_an_org_admin_of_the_center_sets_its_policy(personas, persona):
    with pytest.raises(ValidationError):
        services.policy_save(actor=personas.user(persona), organisation=personas.center, years=2)


# --- legal holds ----------------------------------------------------------------------------


def test_each_legal_hold_blocks_the_purge_and_says_why(personas):
    by_order = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    order_on(by_order, personas)
    by_court = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    Case.objects.filter(pk=by_court.pk).update(court_case_pending=True)
    by_hand = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    services.legal_hold_set(
        actor=personas.org_admin,
        organisation=personas.center,
        case_reference=by_hand.reference,
        reason="Прокуратура запросила дело 2-145/2026",
    )
    free = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))

    found = {
        d.survivor_id: d for d in selectors.survivors_due(organisation=personas.center, on=TODAY)
    }

    assert not found[free.survivor_id].is_held and found[free.survivor_id].is_due(TODAY)
    assert (
        "Protection order ЗП-0777 is active until"
        in found[by_order.survivor_id].holds[by_order.reference][0]
    )
    assert found[by_court.survivor_id].holds == {by_court.reference: ["A court case is pending."]}
    assert found[by_hand.survivor_id].holds == {
        by_hand.reference: ["Прокуратура запросила дело 2-145/2026"]
    }
    assert not any(found[c.survivor_id].is_due(TODAY) for c in (by_order, by_court, by_hand))


def test_a_referral_not_completed_holds_the_case_until_it_is(personas, destroyed_keys):
    from referrals import services as referral_services
    from tests.referrals.factories import helping

    case = intake(personas.caseworker, personas.center)
    referral = helping(personas, case)
    closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1), case=case)

    [due] = selectors.survivors_due(organisation=personas.center, on=TODAY)
    assert due.holds == {case.reference: [f"Referral {referral.reference} is not completed."]}

    referral_services.referral_complete(
        actor=personas.caseworker_other_center, referral=referral, outcome="provided"
    )
    [due] = selectors.survivors_due(organisation=personas.center, on=TODAY)
    assert due.is_due(TODAY)
    purge.purge_survivors(
        organisation_id=personas.center.pk, survivor_ids=[case.survivor_id], kind="retention"
    )
    assert rows_reaching(case.survivor_id) == {}


def test_a_hold_on_a_case_of_another_center_is_refused(personas):
    other = intake(personas.caseworker_other_center, personas.other_center)

    with pytest.raises(ValidationError) as error:
        services.legal_hold_set(
            actor=personas.org_admin,
            organisation=personas.center,
            case_reference=other.reference,
            reason="x",
        )
    assert "case_reference" in error.value.message_dict


# --- the 30-day notice and the purge on the day --------------------------------------------------


def test_admins_are_told_30_days_ahead_with_counts_only_and_it_is_purged_on_the_day(
    personas, destroyed_keys, mailoutbox, django_capture_on_commit_callbacks
):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2021, 12, 2))
    name = case.survivor.full_name
    due_on = datetime.date(2026, 12, 2)

    with time_machine.travel(at(due_on - datetime.timedelta(days=31)), tick=False):
        services.retention_daily()
    assert not PurgeNotice.objects.exists() and not mail.outbox

    with (
        time_machine.travel(at(due_on - datetime.timedelta(days=30)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.retention_daily()
        services.retention_daily()  # a second run the same day tells nobody twice
    notice = PurgeNotice.objects.get()
    assert (notice.survivors, notice.cases, notice.purge_on) == (1, 1, due_on)
    told = Notification.objects.filter(kind=PURGE_NOTICE)
    assert [n.recipient for n in told] == [personas.org_admin]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [personas.org_admin.email]
    text = str(mail.outbox[0].subject) + str(mail.outbox[0].body)
    assert "1 survivor's file (1 case)" in text
    assert name not in text and case.reference not in text and case.survivor.code not in text

    with time_machine.travel(at(due_on - datetime.timedelta(days=1)), tick=False):
        services.retention_daily()
    assert Survivor.objects.filter(pk=case.survivor_id).exists() and destroyed_keys == []

    with time_machine.travel(at(due_on), tick=False):
        result = services.retention_daily()
    assert result["purged"] == 1
    assert destroyed_keys == [case.survivor_id]
    assert not Survivor.objects.filter(pk=case.survivor_id).exists()


def test_a_shortened_policy_still_gives_30_days_notice(personas, destroyed_keys):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2022, 1, 1))
    services.policy_save(actor=personas.org_admin, organisation=personas.center, years=1)

    with time_machine.travel(at(TODAY), tick=False):
        services.retention_daily()
    assert PurgeSchedule.objects.get().purge_on == TODAY + datetime.timedelta(days=30)
    assert Survivor.objects.filter(pk=case.survivor_id).exists()


def test_a_case_reopened_during_the_notice_is_not_purged(personas, destroyed_keys):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2021, 12, 2))
    with time_machine.travel(at(TODAY - datetime.timedelta(days=30)), tick=False):
        services.retention_daily()
    assert PurgeSchedule.objects.exists()

    with time_machine.travel(at(TODAY - datetime.timedelta(days=3)), tick=False):
        case_services.case_change_status(actor=personas.caseworker, case=case, status="active")
    with time_machine.travel(at(TODAY), tick=False):
        services.retention_daily()

    assert Survivor.objects.filter(pk=case.survivor_id).exists() and destroyed_keys == []
    assert not PurgeSchedule.objects.exists()

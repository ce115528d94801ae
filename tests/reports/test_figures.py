"""Each domain figure against data counted by hand: capacity, answer times, compliance.

The data is small on purpose: every expected number below can be counted on the
page, and each test also says what a wrong implementation would have given.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports.definition import parse_definition
from crisis_ops.reports.engine import run_report
from protection_orders.models import PoliceCheck
from referrals.models import Referral
from shelters.models import Occupancy
from tests.cases.factories import intake
from tests.factories import region
from tests.protection_orders.factories import record_order
from tests.referrals.factories import partner, refer
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db
ALMATY = datetime.timezone(datetime.timedelta(hours=5))


@pytest.fixture(autouse=True)
def _april_2026():
    with time_machine.travel("2026-04-15 10:00 +05:00", tick=False):
        yield


def _run(data, organisations=None):
    orgs = organisations or list(Organisation.objects.select_related("region"))
    definition = parse_definition(data, visible_organisation_ids={str(o.pk) for o in orgs})
    return run_report(definition, organisations=orgs)


def _by_row(report):
    return {k: row[0] for k, row in zip(report.rows.keys, report.cells, strict=True)}


def _case(personas, consents=("services", "statistics")):
    return intake(personas.caseworker, personas.center, consents=list(consents))


# --- shelters: beds per 10,000 population, occupancy against capacity ----------------


def test_beds_per_10000_population_divide_beds_in_service_by_the_region_reference_data(
    personas,
):
    almaty = shelter_with_beds(personas.center, beds=24)
    almaty.beds.filter(label="24").update(out_of_service=True)  # 23 in service
    astana = shelter_with_beds(personas.other_center, beds=7, name="Astana shelter")
    astana.region = region("astana")
    astana.save()
    report = _run({"figure": "beds_per_10000", "start": "2026-03", "end": "2026-03"})
    assert report.rows.dimension == "region"  # the only breakdown population has
    cells = _by_row(report)
    pop_almaty, pop_astana = region("almaty-city").population, region("astana").population
    assert cells["almaty-city"].value == round(23 * 10_000 / pop_almaty, 2)
    assert cells["astana"].value == round(7 * 10_000 / pop_astana, 2)
    # The total divides all beds by both regions' people (not a sum of the two rates).
    assert report.grand_total.value == round(30 * 10_000 / (pop_almaty + pop_astana), 2)
    assert not any(c.suppressed for c in cells.values())  # beds identify nobody


def test_beds_per_10000_population_cannot_be_broken_down_by_month(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _run(
            {
                "figure": "beds_per_10000",
                "start": "2026-03",
                "end": "2026-03",
                "breakdowns": ["month"],
            }
        )
    assert "breakdowns" in caught.value.message_dict


def _stay(personas, shelter, label, case, admitted, ended=None):
    return Occupancy.objects.create(
        bed=shelter.beds.get(label=label),
        case=case,
        kind=Occupancy.Kind.STAY,
        placed_by=personas.shelter_manager,
        admitted_on=admitted,
        ended_at=ended,
    )


def test_occupancy_against_capacity_counts_beds_taken_on_the_last_night_of_each_month(
    personas,
):
    shelter = shelter_with_beds(personas.center, beds=10)
    march = datetime.date(2026, 3, 1)
    for label in ("1", "2", "3", "4", "5"):
        _stay(personas, shelter, label, _case(personas), march)
    # Left on the morning of 31 March: not in a bed on the census night.
    left = datetime.datetime(2026, 3, 31, 10, 0, tzinfo=ALMATY)
    _stay(personas, shelter, "6", _case(personas), march, ended=left)
    # In a bed, but her consent does not cover statistics: left out, and said so.
    _stay(personas, shelter, "7", _case(personas, consents=("services",)), march)
    report = _run(
        {"figure": "shelter_occupancy", "start": "2026-02", "end": "2026-03"},
        organisations=[personas.center],
    )
    cells = _by_row(report)
    assert cells["2026-02"].value == 0.0  # 0 of 10 beds on 28 February
    assert cells["2026-03"].value == 50.0  # 5 of 10 beds on 31 March (6 if she counted)
    assert report.grand_total.value == 25.0  # 5 of 20 bed-nights: the mean occupancy
    assert report.excluded_for_consent == 1
    assert report.unit == "percent"


def test_occupancy_under_five_beds_taken_is_hidden_with_its_rate(personas):
    shelter = shelter_with_beds(personas.center, beds=10)
    for label in ("1", "2", "3"):
        _stay(personas, shelter, label, _case(personas), datetime.date(2026, 3, 2))
    report = _run(
        {"figure": "shelter_occupancy", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    cell = _by_row(report)["2026-03"]
    # 3 of 10 would publish "30 %", which with the 10 beds gives the 3 away.
    assert cell.suppressed and cell.value is None
    assert report.grand_total.suppressed


# --- protection orders: police checks done on time ÷ checks due ------------------------


def _check(personas, order, day, outcome=PoliceCheck.Outcome.COMPLIED):
    PoliceCheck.objects.create(
        order=order,
        checked_on=day,
        unit_officer="УП Алмалинского района",
        outcome=outcome,
        recorded_by=personas.caseworker,
    )


def test_police_check_compliance_is_checks_done_on_time_over_checks_due(personas):
    # Police protection: checked every 7 days from issue, so due 8, 15, 22 and 29 March.
    first = record_order(personas.caseworker, _case(personas), datetime.date(2026, 3, 1))
    second = record_order(
        personas.caseworker, _case(personas), datetime.date(2026, 3, 1), number="ЗП-0143"
    )
    d = datetime.date
    _check(personas, first, d(2026, 3, 5))  # covers 8 March (early still counts)
    _check(personas, first, d(2026, 3, 14))  # covers 15 March
    _check(personas, first, d(2026, 3, 20), PoliceCheck.Outcome.NOT_DONE)  # not done
    _check(personas, first, d(2026, 3, 29))  # covers 29 March
    _check(personas, second, d(2026, 3, 8))  # covers 8 March
    _check(personas, second, d(2026, 3, 16))  # covers 22 March, not 15 (late for it)
    without = record_order(
        personas.caseworker,
        _case(personas, consents=("services",)),
        d(2026, 3, 1),
        number="ЗП-0144",
    )
    _check(personas, without, d(2026, 3, 8))
    report = _run(
        {"figure": "police_check_compliance", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    due = _run(
        {"figure": "police_checks_due", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    assert due.grand_total.value == 8  # 4 due dates x 2 consented orders
    # 3 + 2 on time of 8 due; counting recorded checks would give 5 of 6 (83.3 %).
    assert report.grand_total.value == 62.5
    assert report.excluded_for_consent == 1


def test_checks_not_yet_due_are_not_counted_as_missed(personas):
    # Issued 1 April: due 8 and 15 April; on 15 April only the 8th has passed.
    orders = [
        record_order(
            personas.caseworker, _case(personas), datetime.date(2026, 4, 1), number=f"ЗП-{n}"
        )
        for n in range(5)
    ]
    for order in orders:
        _check(personas, order, datetime.date(2026, 4, 7))
    report = _run(
        {"figure": "police_check_compliance", "start": "2026-04", "end": "2026-04"},
        organisations=[personas.center],
    )
    assert report.grand_total.value == 100.0  # 5 of 5, not 5 of 10


def test_compliance_on_fewer_than_five_checks_due_is_hidden(personas):
    order = record_order(personas.caseworker, _case(personas), datetime.date(2026, 3, 1))
    _check(personas, order, datetime.date(2026, 3, 8))
    report = _run(
        {"figure": "police_check_compliance", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    # 1 of 4 due: the 4 is a count of one woman's order; the 25 % is hidden with it.
    assert report.grand_total.suppressed and report.grand_total.value is None


# --- referrals: answer times by partner kind ------------------------------------------


def _referral(personas, to, sent, answered_after=None):
    case = _case(personas)
    referral = refer(personas.caseworker, case, to, ["identity"])
    fields = {"sent_at": sent, "answer_due_at": sent + datetime.timedelta(days=3)}
    if answered_after is not None:
        fields |= {"answered_at": sent + answered_after, "status": Referral.Status.ACCEPTED}
    Referral.objects.filter(pk=referral.pk).update(**fields)


def test_answer_times_are_the_mean_days_to_an_answer_by_partner_kind(personas):
    legal, psychologist = partner("legal"), partner("psychological")
    sent = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)
    for n in (1, 2, 3, 4, 5):
        _referral(personas, legal, sent, datetime.timedelta(days=n))
    _referral(personas, legal, sent)  # never answered: no answer time to count
    for _ in range(5):
        _referral(personas, psychologist, sent, datetime.timedelta(hours=12))
    report = _run(
        {
            "figure": "referral_answer_days",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["partner_kind"],
        },
        organisations=[personas.center],
    )
    cells = _by_row(report)
    assert cells["legal"].value == 3.0  # (1+2+3+4+5) / 5 answered, not / 6 sent
    assert cells["psychological"].value == 0.5
    assert report.grand_total.value == round((15 + 2.5) / 10, 1)  # 1.75 days
    assert cells["police"].value is None and not cells["police"].suppressed  # none sent
    assert report.unit == "days"


def test_answer_times_resting_on_fewer_than_five_answers_are_hidden(personas):
    legal, social = partner("legal"), partner("social")
    sent = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)
    for _ in range(6):
        _referral(personas, legal, sent, datetime.timedelta(days=2))
    _referral(personas, social, sent, datetime.timedelta(days=9))
    report = _run(
        {
            "figure": "referral_answer_days",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["partner_kind"],
        },
        organisations=[personas.center],
    )
    cells = _by_row(report)
    # One answer from social services: its 9 days would be that one referral's answer.
    assert cells["social"].suppressed and cells["social"].value is None
    # Legal's mean with the total would give social's away: it is hidden too.
    assert cells["legal"].suppressed or report.grand_total.suppressed


def test_referrals_by_time_to_an_answer_fall_in_bands_that_never_overlap(personas):
    legal = partner("legal")
    sent = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)
    for hours in (1, 5, 12, 20, 23):
        _referral(personas, legal, sent, datetime.timedelta(hours=hours))
    for hours in (24, 48, 71, 72, 100, 167, 168, 400):  # 24 h is "1 to 3 days", not both
        _referral(personas, legal, sent, datetime.timedelta(hours=hours))
    report = _run(
        {
            "figure": "referrals",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["answer_time"],
        },
        organisations=[personas.center],
    )
    cells = _by_row(report)
    assert cells["under_1_day"].value == 5
    assert report.grand_total.value == 13
    # 3 in 1-3 days, 3 in 3-7 days, 2 of 7 days or more: each under 5, all hidden.
    assert {k: cells[k].suppressed for k in ("1_3_days", "3_7_days", "7_days_plus")} == {
        "1_3_days": True,
        "3_7_days": True,
        "7_days_plus": True,
    }
    assert cells["not_answered"].value == 0


def test_a_transfer_request_is_not_counted_as_a_referral_sent(personas):
    from tests.referrals.factories import ask, helping

    case = _case(personas)
    base = helping(personas, case)
    ask(personas, base)
    sent = _run(
        {"figure": "referrals", "start": "2026-04", "end": "2026-04"},
    )
    assert sent.grand_total.display == "<5"  # the referral; 2 if the request counted
    assert timezone.localdate() == datetime.date(2026, 4, 15)


# --- the figures that were there before, counted by hand too ---------------------------


def test_turn_aways_by_reason_count_each_request_once(personas):
    from shelters.models import TurnAway

    shelter = shelter_with_beds(personas.center, beds=2)
    day = datetime.date(2026, 3, 9)
    for reason, n in (("no_bed", 6), ("quarantine", 2)):
        for _ in range(n):
            TurnAway.objects.create(
                shelter=shelter,
                occurred_on=day,
                reason=reason,
                bed_kind="adult",
                people=3,  # a mother and two children: still one request turned away
                recorded_by=personas.shelter_manager,
            )
    report = _run(
        {
            "figure": "turn_aways",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["turn_away_reason"],
        },
        organisations=[personas.center],
    )
    cells = _by_row(report)
    assert cells["quarantine"].display == "<5"
    assert cells["no_bed"].suppressed  # 8 - 6 would give the 2 away
    assert report.grand_total.value == 8


def test_violation_rate_is_orders_violated_over_orders_issued(personas):
    from protection_orders.services import violation_record

    orders = [
        record_order(
            personas.caseworker, _case(personas), datetime.date(2026, 3, 2), number=f"ЗП-{n}"
        )
        for n in range(10)
    ]
    for order in orders[:5]:
        violation_record(
            actor=personas.caseworker,
            order=order,
            occurred_on=datetime.date(2026, 3, 6),
            description="Пришёл к дому",
            reported_to_police=True,
        )
    violation_record(  # a second violation of the same order: still one order violated
        actor=personas.caseworker,
        order=orders[0],
        occurred_on=datetime.date(2026, 3, 9),
        description="Звонил",
        reported_to_police=False,
    )
    report = _run(
        {"figure": "violation_rate", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    assert report.grand_total.value == 50.0  # 5 of 10 orders (6 violations would be 60 %)


def test_repeat_incident_within_12_months_counts_the_survivor_once(personas):
    from cases.models import Incident

    survivors = [
        intake(personas.caseworker, personas.center, incident={"occurred_on": day})
        for day in [datetime.date(2025, 6, 1)] * 5 + [datetime.date(2025, 2, 20)]
    ]
    for case in survivors[:5]:  # back within 12 months, twice for the first one
        Incident.objects.create(
            case=case,
            occurred_on=datetime.date(2026, 3, 3),
            violence_types=["physical"],
            gbvims_class="physical_assault",
            relationship="spouse",
        )
    Incident.objects.create(
        case=survivors[0],
        occurred_on=datetime.date(2026, 3, 20),
        violence_types=["physical"],
        gbvims_class="physical_assault",
        relationship="spouse",
    )
    # The sixth is back after more than 12 months (20 February 2025): no repeat.
    Incident.objects.create(
        case=survivors[5],
        occurred_on=datetime.date(2026, 3, 3),
        violence_types=["physical"],
        gbvims_class="physical_assault",
        relationship="spouse",
    )
    report = _run(
        {"figure": "repeat_survivors", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    assert report.grand_total.value == 5  # 5 survivors; 6 repeat incidents

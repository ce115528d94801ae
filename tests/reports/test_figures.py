"""Domain figures against data counted by hand: shelter capacity and occupancy, and the
figures that were there before.

The data is small on purpose: every expected number below can be counted on the
page, and each test also says what a wrong implementation would have given."""

import datetime

import pytest

from shelters.models import Occupancy
from tests.cases.factories import intake
from tests.factories import region
from tests.protection_orders.factories import record_order
from tests.reports.factories import ALMATY, by_row, case_with_consents, run_figures
from tests.shelters.factories import shelter_with_beds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_2026")]


# --- shelters: beds per 10,000 population, occupancy against capacity ----------------


def test_beds_per_10000_population_divide_beds_in_service_by_the_region_reference_data(
    personas,
):
    almaty = shelter_with_beds(personas.center, beds=24)
    almaty.beds.filter(label="24").update(out_of_service=True)  # 23 in service
    astana = shelter_with_beds(personas.other_center, beds=7, name="Astana shelter")
    astana.region = region("astana")
    astana.save()
    report = run_figures({"figure": "beds_per_10000", "start": "2026-03", "end": "2026-03"})
    assert report.rows.dimension == "region"  # the only breakdown population has
    cells = by_row(report)
    pop_almaty, pop_astana = region("almaty-city").population, region("astana").population
    assert cells["almaty-city"].value == round(23 * 10_000 / pop_almaty, 2)
    assert cells["astana"].value == round(7 * 10_000 / pop_astana, 2)
    # The total divides all beds by both regions' people (not a sum of the two rates).
    assert report.grand_total.value == round(30 * 10_000 / (pop_almaty + pop_astana), 2)
    assert not any(c.suppressed for c in cells.values())  # beds identify nobody


def test_beds_per_10000_population_cannot_be_broken_down_by_month(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        run_figures(
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
        _stay(personas, shelter, label, case_with_consents(personas), march)
    # Left on the morning of 31 March: not in a bed on the census night.
    left = datetime.datetime(2026, 3, 31, 10, 0, tzinfo=ALMATY)
    _stay(personas, shelter, "6", case_with_consents(personas), march, ended=left)
    # In a bed, but her consent does not cover statistics: left out, and said so.
    _stay(personas, shelter, "7", case_with_consents(personas, consents=("services",)), march)
    report = run_figures(
        {"figure": "shelter_occupancy", "start": "2026-02", "end": "2026-03"},
        organisations=[personas.center],
    )
    cells = by_row(report)
    assert cells["2026-02"].value == 0.0  # 0 of 10 beds on 28 February
    assert cells["2026-03"].value == 50.0  # 5 of 10 beds on 31 March (6 if she counted)
    assert report.grand_total.value == 25.0  # 5 of 20 bed-nights: the mean occupancy
    assert report.excluded_for_consent == 1
    assert report.unit == "percent"


def test_occupancy_under_five_beds_taken_is_hidden_with_its_rate(personas):
    shelter = shelter_with_beds(personas.center, beds=10)
    for label in ("1", "2", "3"):
        _stay(personas, shelter, label, case_with_consents(personas), datetime.date(2026, 3, 2))
    report = run_figures(
        {"figure": "shelter_occupancy", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    cell = by_row(report)["2026-03"]
    # 3 of 10 would publish "30 %", which with the 10 beds gives the 3 away.
    assert cell.suppressed and cell.value is None
    assert report.grand_total.suppressed


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
    report = run_figures(
        {
            "figure": "turn_aways",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["turn_away_reason"],
        },
        organisations=[personas.center],
    )
    cells = by_row(report)
    assert cells["quarantine"].display == "<5"
    assert cells["no_bed"].suppressed  # 8 - 6 would give the 2 away
    assert report.grand_total.value == 8


def test_violation_rate_is_orders_violated_over_orders_issued(personas):
    from protection_orders.services import violation_record

    orders = [
        record_order(
            personas.caseworker,
            case_with_consents(personas),
            datetime.date(2026, 3, 2),
            number=f"ЗП-{n}",
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
    report = run_figures(
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
    report = run_figures(
        {"figure": "repeat_survivors", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    assert report.grand_total.value == 5  # 5 survivors; 6 repeat incidents

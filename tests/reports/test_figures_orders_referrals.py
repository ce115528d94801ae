"""Domain figures against data counted by hand: police checks done on time, and referral
answer times by partner kind.

The data is small on purpose: every expected number below can be counted on the
page, and each test also says what a wrong implementation would have given."""

import datetime

import pytest
from django.utils import timezone

from protection_orders.models import PoliceCheck
from referrals.models import Referral
from tests.protection_orders.factories import record_order
from tests.referrals.factories import partner, refer
from tests.reports.factories import ALMATY, by_row, case_with_consents, run_figures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_2026")]


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
    first = record_order(
        personas.caseworker, case_with_consents(personas), datetime.date(2026, 3, 1)
    )
    second = record_order(
        personas.caseworker,
        case_with_consents(personas),
        datetime.date(2026, 3, 1),
        number="ЗП-0143",
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
        case_with_consents(personas, consents=("services",)),
        d(2026, 3, 1),
        number="ЗП-0144",
    )
    _check(personas, without, d(2026, 3, 8))
    report = run_figures(
        {"figure": "police_check_compliance", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    due = run_figures(
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
            personas.caseworker,
            case_with_consents(personas),
            datetime.date(2026, 4, 1),
            number=f"ЗП-{n}",
        )
        for n in range(5)
    ]
    for order in orders:
        _check(personas, order, datetime.date(2026, 4, 7))
    report = run_figures(
        {"figure": "police_check_compliance", "start": "2026-04", "end": "2026-04"},
        organisations=[personas.center],
    )
    assert report.grand_total.value == 100.0  # 5 of 5, not 5 of 10


def test_compliance_on_fewer_than_five_checks_due_is_hidden(personas):
    order = record_order(
        personas.caseworker, case_with_consents(personas), datetime.date(2026, 3, 1)
    )
    _check(personas, order, datetime.date(2026, 3, 8))
    report = run_figures(
        {"figure": "police_check_compliance", "start": "2026-03", "end": "2026-03"},
        organisations=[personas.center],
    )
    # 1 of 4 due: the 4 is a count of one woman's order; the 25 % is hidden with it.
    assert report.grand_total.suppressed and report.grand_total.value is None


# --- referrals: answer times by partner kind ------------------------------------------


def _referral(personas, to, sent, answered_after=None):
    case = case_with_consents(personas)
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
    report = run_figures(
        {
            "figure": "referral_answer_days",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["partner_kind"],
        },
        organisations=[personas.center],
    )
    cells = by_row(report)
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
    report = run_figures(
        {
            "figure": "referral_answer_days",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["partner_kind"],
        },
        organisations=[personas.center],
    )
    cells = by_row(report)
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
    report = run_figures(
        {
            "figure": "referrals",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["answer_time"],
        },
        organisations=[personas.center],
    )
    cells = by_row(report)
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

    case = case_with_consents(personas)
    base = helping(personas, case)
    ask(personas, base)
    sent = run_figures(
        {"figure": "referrals", "start": "2026-04", "end": "2026-04"},
    )
    assert sent.grand_total.display == "<5"  # the referral; 2 if the request counted
    assert timezone.localdate() == datetime.date(2026, 4, 15)

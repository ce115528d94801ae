"""The long-stay rule, written once: past the law's 6 months a stay warns, never blocks."""

import datetime

import pytest

from shelters.models import LONG_STAY, Occupancy, stay_is_long

DAY = datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("end", "long"),
    [(DAY + LONG_STAY, False), (DAY + LONG_STAY + datetime.timedelta(days=1), True), (None, False)],
)
def test_a_stay_is_long_only_past_six_months(end, long):
    assert stay_is_long(DAY, end) is long
    assert Occupancy(kind="stay", admitted_on=DAY, expected_end=end).is_long_stay is long


def test_a_hold_is_never_a_long_stay():
    far = DAY + LONG_STAY * 2
    assert not Occupancy(kind="hold", admitted_on=DAY, expected_end=far).is_long_stay

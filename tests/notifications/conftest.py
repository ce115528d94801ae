import pytest

from tests.cases.factories import intake
from tests.protection_orders.factories import three_days_old_order


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def order(personas, case):
    """A notification needs something to be about: an order is the commonest subject."""
    return three_days_old_order(personas, case)

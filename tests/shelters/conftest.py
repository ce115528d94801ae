import pytest

from tests.cases.factories import intake


@pytest.fixture
def other_case(personas):
    """A case of the other center (B): the one that holds beds in center A's shelter."""
    return intake(personas.caseworker_other_center, personas.other_center)

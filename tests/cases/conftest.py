import pytest

from tests.cases.factories import intake


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)

import pytest

from tests.cases.factories import intake
from tests.factories import region
from tests.shelters.factories import ADDRESS_B, shelter_with_beds


@pytest.fixture
def other_case(personas):
    """A case of the other center (B): the one that holds beds in center A's shelter."""
    return intake(personas.caseworker_other_center, personas.other_center)


@pytest.fixture
def shelter(personas):
    """Center A's shelter: beds 1-6, adult, child and cot in turn."""
    return shelter_with_beds(personas.center, beds=6, kinds=("adult", "child", "cot"))


@pytest.fixture
def other_shelter(personas):
    shelter = shelter_with_beds(personas.other_center, beds=2, name="Убежище «Тумар»")
    shelter.address = ADDRESS_B
    shelter.region = region("astana")
    shelter.save()
    return shelter


@pytest.fixture
def case_a(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def case_b(personas):
    return intake(personas.caseworker_other_center, personas.other_center)

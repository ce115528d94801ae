import pytest

from tests.cases.factories import intake
from tests.factories import region
from tests.shelters.factories import ADDRESS_B, shelter_with_beds


@pytest.fixture
def other_case(personas):
    """A case of the other center (B): the one that holds beds in center A's shelter."""
    return intake(personas.caseworker_other_center, personas.other_center)


@pytest.fixture
def shelter(request, personas):
    """Center A's shelter: beds 1-6, adult, child and cot in turn; or, in a module marked
    ``pytest.mark.shelter_beds(n)``, beds 1-n, all adult."""
    marker = request.node.get_closest_marker("shelter_beds")
    if marker is not None:
        return shelter_with_beds(personas.center, beds=marker.args[0])
    return shelter_with_beds(personas.center, beds=6, kinds=("adult", "child", "cot"))


@pytest.fixture
def other_shelter(personas):
    shelter = shelter_with_beds(personas.other_center, beds=2, name="Убежище «Тумар»")
    shelter.address = ADDRESS_B
    shelter.region = region("astana")
    shelter.save()
    return shelter


@pytest.fixture
def case(personas):
    """A case of center A, whose shelter it is."""
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def case_a(personas):
    return intake(personas.caseworker, personas.center)


@pytest.fixture
def case_b(personas):
    return intake(personas.caseworker_other_center, personas.other_center)

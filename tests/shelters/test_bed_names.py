"""A bed is named by its room and its number, in one place (issue 12: "bed 2 · 2" said
neither), on every page that names one and in each language."""

import pytest
from django.utils import translation

from shelters import services_placements as placements
from shelters.models import Bed, Room
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db


def _bed(personas, room_name="2", label="2"):
    shelter = shelter_with_beds(personas.center, beds=0)
    room = Room.objects.create(shelter=shelter, name=room_name)
    return Bed.objects.create(shelter=shelter, room=room, label=label)


def test_a_numbered_room_and_its_bed_are_said_in_words(personas):
    bed = _bed(personas)
    assert (str(bed), bed.number_name, str(bed.room)) == ("Room 2, bed 2", "Bed 2", "Room 2")


def test_a_room_with_a_name_is_called_by_it(personas):
    assert str(_bed(personas, room_name="Изолятор", label="1")) == "Изолятор, bed 1"


@pytest.mark.parametrize(
    ("language", "name"), [("ru", "Комната 2, место 2"), ("kk", "2-бөлме, 2-төсек")]
)
def test_the_bed_name_is_translated(personas, language, name):
    bed = _bed(personas)
    with translation.override(language):
        assert str(bed) == name


def test_the_case_page_the_holds_page_and_the_grid_name_the_room_and_the_bed(client_for, personas):
    case = intake(personas.caseworker, personas.center)
    shelter = shelter_with_beds(personas.center, beds=2)
    bed = shelter.beds.get(label="2")
    placements.hold_place(actor=personas.caseworker, bed=bed, case=case)
    caseworker = client_for("caseworker")

    for url in (f"/cases/{case.pk}/", "/shelters/holds/"):
        page = caseworker.get(url).content.decode()
        assert "Room 1, bed 2" in page, url
        assert "1 · 2" not in page, url
    grid = client_for("shelter_manager").get(f"/shelters/{shelter.pk}/").content.decode()
    assert "Room 1, bed 2" in grid  # the hold list above the grid
    assert '<strong class="bed-label">Bed 2</strong>' in grid


def test_the_api_names_the_bed_as_the_pages_do(client_for, personas):
    case = intake(personas.caseworker, personas.center)
    shelter = shelter_with_beds(personas.center, beds=2)
    placements.hold_place(actor=personas.caseworker, bed=shelter.beds.get(label="2"), case=case)

    holds = client_for("caseworker").get("/api/v1/holds").json()["results"]
    beds = client_for("shelter_manager").get(f"/api/v1/shelters/{shelter.pk}/beds").json()

    assert [h["bed"]["name"] for h in holds] == ["Room 1, bed 2"]
    rows = beds["results"] if isinstance(beds, dict) else beds
    assert sorted(b["name"] for b in rows) == ["Room 1, bed 1", "Room 1, bed 2"]

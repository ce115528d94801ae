import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from crisis_ops.encryption.normalise import build_iin
from shelters import services_placements as placements
from shelters.models import Bed, Room, Shelter
from tests.cases.factories import intake
from tests.factories import region


def shelter_with_beds(organisation, *, beds=5, name="Убежище «Шанс»", kinds=("adult",)):
    shelter = Shelter.objects.create(
        organisation=organisation,
        name=name,
        region=region("almaty-city"),
        address="ул. Секретная 7, кв. 3",
        intake_phone="+7 727 000 00 00",
    )
    room = Room.objects.create(shelter=shelter, name="1")
    for n in range(beds):
        Bed.objects.create(shelter=shelter, room=room, label=str(n + 1), kind=kinds[n % len(kinds)])
    return shelter


ALMATY = ZoneInfo("Asia/Almaty")


# --- the shelters API ---------------------------------------------------------------------

V1 = "/api/v1"
ADDRESS_A = "ул. Секретная 7, кв. 3"  # the factory's address, given to shelter A
ADDRESS_B = "пр. Тайный 12"
TAKEN = "This bed was just taken. Choose another one."
BAD_INPUT = "The request has errors; nothing was saved."
CENTER_A = [
    "caseworker",
    "caseworker_same_center",
    "supervisor",
    "shelter_manager",
    "coordinator",
    "org_admin",
]
SIGNED_IN = [*CENTER_A, "caseworker_other_center"]
CASE_STAFF = ["caseworker", "caseworker_same_center", "supervisor", "caseworker_other_center"]
NOT_CASE_STAFF = ["shelter_manager", "coordinator", "org_admin"]  # they hold no bed
NOT_MANAGERS = [p for p in SIGNED_IN if p != "shelter_manager"]


def bed(shelter, label="1"):
    return shelter.beds.get(label=label)


def first_bed(shelter):
    return shelter.beds.order_by("label").first()


def today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def hold_for(personas, case, shelter, label="1"):
    """A hold placed by the case's own caseworker."""
    actor = (
        personas.caseworker
        if case.organisation_id == personas.center.pk
        else personas.caseworker_other_center
    )
    return placements.hold_place(actor=actor, bed=bed(shelter, label), case=case)


def hold_on(personas, shelter, case, label="1"):
    """A hold placed by center A's caseworker, whichever center's the case is."""
    return placements.hold_place(actor=personas.caseworker, bed=bed(shelter, label), case=case)


def stay_for(personas, case, shelter, label="1", **extra):
    stay, _ = placements.stay_admit(
        actor=personas.shelter_manager, bed=bed(shelter, label), case=case, **extra
    )
    return stay


def assert_error_format(response, status):
    assert response.status_code == status, response.content
    assert set(response.json()) == {"detail", "errors"}


def minor_intake(actor, organisation, n=1):
    """A case of a girl under 18: the only survivor a child's bed or a cot takes."""
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - datetime.timedelta(
        days=n
    )
    return intake(
        actor,
        organisation,
        survivor={
            "age_band": "0-17",
            "birth_date": born,
            "iin": build_iin(born, female=True, serial=40 + n),
        },
    )

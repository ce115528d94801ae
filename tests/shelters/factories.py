from shelters.models import Bed, Room, Shelter
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

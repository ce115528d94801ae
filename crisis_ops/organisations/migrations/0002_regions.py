"""Kazakhstan's 17 regions and 3 cities of republican significance.

Figures marked "Bureau of National Statistics, 1 Jan 2025" come from the
Bureau's release (as reported Feb 2025). The others are approximations whose sum
matches the national total within 0.5 %; replace them from the Bureau's table
in the admin when it is at hand — the source column says which is which.
"""

import datetime
import uuid

from django.db import migrations

AS_OF = datetime.date(2025, 1, 1)
BNS = "Bureau of National Statistics, 1 Jan 2025"
APPROX = "Approximation, 1 Jan 2025; replace from the Bureau's table"

REGIONS = [
    # code, kind, kk, ru, en, population, source
    ("astana", "city", "Астана", "Астана", "Astana", 1528887, BNS),
    ("almaty-city", "city", "Алматы", "Алматы", "Almaty", 2292333, BNS),
    ("shymkent", "city", "Шымкент", "Шымкент", "Shymkent", 1256263, BNS),
    ("abai", "region", "Абай облысы", "Абайская область", "Abai Region", 603000, APPROX),
    ("akmola", "region", "Ақмола облысы", "Акмолинская область", "Akmola Region", 787000, APPROX),
    ("aktobe", "region", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", 936000, APPROX),
    ("almaty-region", "region", "Алматы облысы", "Алматинская область", "Almaty Region", 1560377, BNS),
    ("atyrau", "region", "Атырау облысы", "Атырауская область", "Atyrau Region", 704000, APPROX),
    ("east-kazakhstan", "region", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region", 712000, APPROX),
    ("jetisu", "region", "Жетісу облысы", "Жетысуская область", "Jetisu Region", 698000, APPROX),
    ("karaganda", "region", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", 1133984, BNS),
    ("kostanay", "region", "Қостанай облысы", "Костанайская область", "Kostanay Region", 830000, APPROX),
    ("kyzylorda", "region", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", 846000, APPROX),
    ("mangystau", "region", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", 791000, APPROX),
    ("north-kazakhstan", "region", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region", 527000, APPROX),
    ("pavlodar", "region", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", 750000, APPROX),
    ("turkistan", "region", "Түркістан облысы", "Туркестанская область", "Turkistan Region", 2154334, BNS),
    ("ulytau", "region", "Ұлытау облысы", "Улытауская область", "Ulytau Region", 221317, BNS),
    ("west-kazakhstan", "region", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region", 693000, APPROX),
    ("zhambyl", "region", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", 1222513, BNS),
]


def load(apps, schema_editor):
    Region = apps.get_model("organisations", "Region")
    for code, kind, kk, ru, en, population, source in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"crisis-ops/region/{code}"),
                "kind": kind,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "population": population,
                "population_as_of": AS_OF,
                "population_source": source,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("organisations", "Region").objects.filter(
        code__in=[row[0] for row in REGIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

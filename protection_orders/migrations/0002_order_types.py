"""Seeded order types. Reference data: edit them in the admin when the law changes
(a new prevention law came into force in 2026); orders keep the type they had."""

import uuid

from django.db import migrations

TYPES = [
    {
        "code": "police-protection",
        "name_en": "Police protection order",
        "name_ru": "Защитное предписание полиции",
        "name_kk": "Полицияның қорғау нұсқамасы",
        "legal_basis": "Law of the Republic of Kazakhstan on the prevention of domestic violence; "
        "Code of Administrative Offences (protection order issued by the police).",
        "min_duration_days": 1,
        "max_duration_days": 30,
        "check_interval_days": 7,
        "reports_per_month_min": None,
        "reports_per_month_max": None,
    },
    {
        "code": "court-special-requirements",
        "name_en": "Court-ordered special requirements",
        "name_ru": "Особые требования к поведению правонарушителя (суд)",
        "name_kk": "Құқық бұзушының мінез-құлқына ерекше талаптар (сот)",
        "legal_basis": "Code of Administrative Offences: special requirements on the offender's "
        "behaviour set by a court for 3 months to 1 year; the offender reports to the police "
        "1 to 4 times a month.",
        "min_duration_days": 90,
        "max_duration_days": 365,
        "check_interval_days": 30,
        "reports_per_month_min": 1,
        "reports_per_month_max": 4,
    },
]


def load(apps, schema_editor):
    OrderType = apps.get_model("protection_orders", "OrderType")
    for row in TYPES:
        OrderType.objects.update_or_create(
            code=row["code"],
            defaults={**row, "id": uuid.uuid5(uuid.NAMESPACE_URL, f"crisis-ops/order-type/{row['code']}")},
        )


def unload(apps, schema_editor):
    apps.get_model("protection_orders", "OrderType").objects.filter(
        code__in=[row["code"] for row in TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("protection_orders", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

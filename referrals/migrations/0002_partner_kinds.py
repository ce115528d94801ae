"""The partner kinds, with the consent each needs and the answer time agreed with partners.

Reference data, editable by an admin later: these are the seeded defaults.
"""

from django.db import migrations

KINDS = [
    # code, en, ru, kk, consent scope, services, answer hours, network center
    ("police", "Police unit", "Подразделение полиции", "Полиция бөлімшесі", "police",
     ["police_protection", "protection_order"], 24, False),
    ("medical", "Hospital or forensic service", "Больница или судебно-медицинская служба",
     "Аурухана немесе сот-медициналық қызмет", "referral_medical",
     ["forensic_exam", "medical_care"], 24, False),
    ("legal", "Legal aid", "Юридическая помощь", "Заң көмегі", "referral_legal",
     ["legal_aid", "protection_order"], 72, False),
    ("psychological", "Psychologist", "Психолог", "Психолог", "referral_psychological",
     ["psychological_support"], 72, False),
    ("social", "Social services", "Социальные службы", "Әлеуметтік қызметтер", "referral_social",
     ["social_support", "shelter"], 120, False),
    ("center", "Crisis center of the network", "Кризисный центр сети",
     "Желідегі дағдарыс орталығы", "referral_center",
     ["case_management", "shelter", "psychological_support", "legal_aid"], 48, True),
]  # fmt: skip


def seed(apps, schema_editor):
    PartnerKind = apps.get_model("referrals", "PartnerKind")
    for position, (code, en, ru, kk, scope, services, hours, center) in enumerate(KINDS):
        PartnerKind.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_kk": kk,
                "consent_scope": scope,
                "services": services,
                "answer_hours": hours,
                "is_network_center": center,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

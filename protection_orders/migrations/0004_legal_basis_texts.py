from django.db import migrations

TEXTS = {
    "police-protection": (
        "Закон Республики Казахстан «О профилактике бытового насилия»; Кодекс об "
        "административных правонарушениях (защитное предписание, выносимое полицией).",
        "«Тұрмыстық зорлық-зомбылық профилактикасы туралы» Қазақстан Республикасының Заңы; "
        "Әкімшілік құқық бұзушылық туралы кодекс (полиция шығаратын қорғау нұсқамасы).",
    ),
    "court-special-requirements": (
        "Кодекс об административных правонарушениях: особые требования к поведению "
        "правонарушителя, устанавливаемые судом на срок от 3 месяцев до 1 года; "
        "правонарушитель является в полицию от 1 до 4 раз в месяц.",
        "Әкімшілік құқық бұзушылық туралы кодекс: сот 3 айдан 1 жылға дейінгі мерзімге "
        "белгілейтін құқық бұзушының мінез-құлқына ерекше талаптар; құқық бұзушы айына "
        "1-ден 4 ретке дейін полицияға келіп тіркеледі.",
    ),
}


def load(apps, schema_editor):
    OrderType = apps.get_model("protection_orders", "OrderType")
    for code, (ru, kk) in TEXTS.items():
        OrderType.objects.filter(code=code).update(legal_basis_ru=ru, legal_basis_kk=kk)


class Migration(migrations.Migration):
    dependencies = [("protection_orders", "0003_legal_basis_languages")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

# A draft reserves the id of the survivor it will create, so what was typed is sealed
# with her own data key. Each existing draft gets its own id (a callable default on
# AddField would give every row the same one).
import uuid

from django.db import migrations, models


def reserve_ids(apps, schema_editor):
    IntakeDraft = apps.get_model("cases", "IntakeDraft")
    for draft_id in IntakeDraft.objects.values_list("id", flat=True):
        IntakeDraft.objects.filter(id=draft_id).update(survivor_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_court_case_pending"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakedraft",
            name="survivor_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(reserve_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="intakedraft",
            name="survivor_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]

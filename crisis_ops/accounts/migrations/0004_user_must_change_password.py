from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_move_authtoken_keys")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="must choose a new password"),
        ),
    ]

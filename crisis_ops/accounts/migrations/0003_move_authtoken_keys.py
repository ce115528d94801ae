"""Existing DRF authtoken keys become ApiTokens, and their plain-text table goes.

Integrations keep working with the key they have: it is stored as its SHA-256, named
"Token from before expiry", read and write (what it could do until now), and expires
API_TOKEN_LIFETIME after this migration, so no key from before lives for ever. Then
``authtoken_token`` is dropped: nothing should keep a usable key in plain text.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import migrations
from django.utils import timezone

NAME = "Token from before expiry"


def move_keys(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            id=uuid.uuid4(),
            user_id=user_id,
            name=NAME,
            scope="write",
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:10],
            created_at=created,
            expires_at=now + settings.API_TOKEN_LIFETIME,
        )
        for key, user_id, created in rows
    )
    schema_editor.execute("DROP TABLE authtoken_token")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_tokens")]

    # Irreversible on purpose: the plain keys are gone.
    operations = [migrations.RunPython(move_keys, migrations.RunPython.noop)]

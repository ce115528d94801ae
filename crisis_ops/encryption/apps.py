from django.apps import AppConfig
from django.conf import settings


class EncryptionConfig(AppConfig):
    name = "crisis_ops.encryption"
    label = "encryption"

    def ready(self) -> None:
        from crisis_ops.encryption import checks  # noqa: F401
        from crisis_ops.encryption.keys import get_keyring

        if not settings.DEBUG:
            # Production refuses to start without keys rather than failing on first use.
            get_keyring()

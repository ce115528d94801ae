from django.apps import AppConfig


class EncryptionConfig(AppConfig):
    name = "crisis_ops.encryption"
    label = "encryption"

    def ready(self) -> None:
        from crisis_ops.encryption import checks  # noqa: F401

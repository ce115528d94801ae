from django.apps import AppConfig


class KeystoreConfig(AppConfig):
    name = "crisis_ops.keystore"
    label = "keystore"
    verbose_name = "Key store"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crisis_ops.accounts"
    label = "accounts"

    def ready(self) -> None:
        from crisis_ops.accounts import signals  # noqa: F401

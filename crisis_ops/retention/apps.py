from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "crisis_ops.retention"
    label = "retention"
    verbose_name = _("Retention and erasure")

    def ready(self) -> None:
        from crisis_ops.retention import notifications

        notifications.register()

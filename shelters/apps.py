from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheltersConfig(AppConfig):
    name = "shelters"
    verbose_name = _("Shelters")

    def ready(self) -> None:
        from shelters import dashboard, figures, notifications, reminders, retention, timeline

        notifications.register()
        retention.register()
        reminders.register()
        dashboard.register()
        figures.register()
        timeline.register()

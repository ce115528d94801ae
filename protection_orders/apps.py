from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionOrdersConfig(AppConfig):
    name = "protection_orders"
    verbose_name = _("Protection orders")

    def ready(self) -> None:
        from protection_orders import (
            dashboard,
            figures,
            notifications,
            reminders,
            retention,
            timeline,
        )

        notifications.register()
        retention.register()
        reminders.register()
        dashboard.register()
        figures.register()
        timeline.register()

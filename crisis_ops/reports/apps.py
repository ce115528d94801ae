from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "crisis_ops.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from crisis_ops.reports import dashboard

        dashboard.register()

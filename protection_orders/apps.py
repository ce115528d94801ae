from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionOrdersConfig(AppConfig):
    name = "protection_orders"
    verbose_name = _("Protection orders")

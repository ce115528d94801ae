from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from cases.services import register_consent_revoked
        from crisis_ops.organisations.services import register_membership_changed
        from referrals import (
            dashboard,
            figures,
            membership,
            notifications,
            reminders,
            retention,
            services,
        )

        notifications.register()
        retention.register()
        reminders.register()
        dashboard.register()
        figures.register()
        register_consent_revoked(services.on_consent_revoked)
        register_membership_changed(membership.referred_grants_sync)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "crisis_ops.core"
    label = "core"

    def ready(self) -> None:
        from crisis_ops.core.dashboard import register_panel
        from crisis_ops.organisations.roles import Role

        # A placeholder until the reports app registers its own "figures" panel (same name).
        register_panel(
            "figures", roles=[Role.COORDINATOR], template="core/_dashboard_coordinator.html"
        )

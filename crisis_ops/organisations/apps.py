from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "crisis_ops.organisations"
    label = "organisations"

    def ready(self) -> None:
        from crisis_ops.organisations import dashboard

        dashboard.register()

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "crisis_ops.organisations"
    label = "organisations"

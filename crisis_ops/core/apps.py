from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "crisis_ops.core"
    label = "core"

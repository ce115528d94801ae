from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "crisis_ops.reminders"
    label = "reminders"

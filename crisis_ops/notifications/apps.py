from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "crisis_ops.notifications"
    label = "notifications"

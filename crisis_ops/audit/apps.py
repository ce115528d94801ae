from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "crisis_ops.audit"
    label = "audit"

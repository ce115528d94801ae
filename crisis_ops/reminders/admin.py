from django.contrib import admin
from django.http import HttpRequest

from crisis_ops.reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    """Where an admin sees failed deliveries: filter by status, read the error."""

    list_display = ["kind", "due_at", "status", "claims", "attempts", "last_error", "recipient"]
    list_filter = ["status", "kind"]
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

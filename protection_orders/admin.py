from django.contrib import admin

from protection_orders.models import OrderType


@admin.register(OrderType)
class OrderTypeAdmin(admin.ModelAdmin[OrderType]):
    """The law changes: durations, check intervals and legal basis are edited here."""

    list_display = [
        "code",
        "name_en",
        "min_duration_days",
        "max_duration_days",
        "check_interval_days",
        "is_active",
    ]
    list_filter = ["is_active"]

from django.contrib import admin

from shelters.models import Bed, Room, Shelter


class RoomInline(admin.TabularInline[Room, Shelter]):
    model = Room
    extra = 0


@admin.register(Shelter)
class ShelterAdmin(admin.ModelAdmin[Shelter]):
    """Set-up only: stays and holds change through the bed grid, where they are audited."""

    list_display = ["name", "organisation", "region", "is_active", "beds_updated_at"]
    list_filter = ["is_active", "region"]
    fields = ["organisation", "name", "region", "intake_phone", "is_active"]
    inlines = [RoomInline]


@admin.register(Bed)
class BedAdmin(admin.ModelAdmin[Bed]):
    list_display = ["__str__", "shelter", "kind", "wheelchair_accessible", "out_of_service"]
    list_filter = ["kind", "shelter"]

from django.contrib import admin

from crisis_ops.organisations.models import Organisation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    """Populations change every year; each carries its date and source."""

    list_display = ["name_en", "kind", "population", "population_as_of", "population_source"]
    list_filter = ["kind"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]

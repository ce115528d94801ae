from django.contrib import admin

from cases.models import RiskInstrument, RiskQuestion


class RiskQuestionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RiskQuestion
    extra = 0


@admin.register(RiskInstrument)
class RiskInstrumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Checklists are data: a new version is a new instrument, old assessments keep theirs."""

    list_display = ["name", "code", "version", "is_current"]
    inlines = [RiskQuestionInline]

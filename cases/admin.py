from django.contrib import admin

from cases.models import RiskInstrument, RiskQuestion


class RiskQuestionInline(admin.TabularInline[RiskQuestion, RiskInstrument]):
    model = RiskQuestion
    extra = 0


@admin.register(RiskInstrument)
class RiskInstrumentAdmin(admin.ModelAdmin[RiskInstrument]):
    """Checklists are data: a new version is a new instrument, old assessments keep theirs."""

    list_display = ["name", "code", "version", "is_current"]
    inlines = [RiskQuestionInline]

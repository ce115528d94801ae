"""The case file as the case page and the case API show it: who hurt her, her children,
what the incidents were, and the risk factors that matter for her safety, first.

Reads of one case the caller has already been allowed to see (``case_get_for_user``):
a fixed number of queries, whatever the file holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cases.models import Case, Child, Incident, Perpetrator, RiskAssessment
from cases.models.choices import RiskBand, ViolenceType

# The questions of each instrument whose "yes" is a danger to her life, by number, with
# what the safety panel says. DASH's own guidance names these as the strongest signs of
# homicide risk (weapons, threats to kill, strangulation), with stalking, a broken order
# and pregnancy.
SAFETY_QUESTIONS: dict[str, dict[str, tuple[str, object]]] = {
    "dash-24": {
        "13": ("weapons", _("He has used weapons or objects to hurt her")),
        "14": ("threats_to_kill", _("He has threatened to kill her or someone else")),
        "15": ("strangulation", _("He has tried to strangle, choke, suffocate or drown her")),
        "8": ("stalking", _("He calls, follows or stalks her constantly")),
        "23": ("order_broken", _("He has broken a protection order or agreement before")),
        "9": ("pregnancy", _("She is pregnant or has recently had a baby")),
    }
}


@dataclass(frozen=True)
class SafetyFlag:
    key: str
    label: str


@dataclass
class CaseFile:
    perpetrators: list[Perpetrator]
    children: list[Child]
    violence_types: list[str]
    injuries: bool
    children_present: bool
    latest_assessment: RiskAssessment | None
    safety: list[SafetyFlag] = field(default_factory=list)

    @property
    def violence_type_labels(self) -> list[str]:
        labels = dict(ViolenceType.choices)
        return [str(labels[value]) for value in self.violence_types]


def _safety_flags(
    case: Case,
    assessment: RiskAssessment | None,
    incidents: list[Incident],
    children: list[Child],
) -> list[SafetyFlag]:
    flags = []
    if case.risk_band == RiskBand.HIGH:
        flags.append(SafetyFlag("high_risk", str(_("High risk: tell the supervisor"))))
    if assessment is not None:
        questions = SAFETY_QUESTIONS.get(assessment.instrument.code, {})
        for number, (key, label) in questions.items():
            if assessment.answers.get(number):
                flags.append(SafetyFlag(key, str(label)))
    if any(i.children_present for i in incidents):
        flags.append(SafetyFlag("children_present", str(_("Children were present at violence"))))
    elif children:
        flags.append(SafetyFlag("children", str(_("She has children in her care"))))
    if any(i.injuries for i in incidents):
        flags.append(SafetyFlag("injuries", str(_("She was injured"))))
    return flags


def case_file(*, case: Case) -> CaseFile:
    """Five queries: perpetrators, children, incidents, the latest assessment (with its
    instrument)."""
    perpetrators = list(case.perpetrators.order_by("created_at"))
    children = list(case.children.order_by("created_at"))
    incidents = list(case.incidents.order_by("-occurred_on", "-created_at"))
    assessment = case.risk_assessments.select_related("instrument").order_by("-created_at").first()
    seen = {value for i in incidents for value in i.violence_types}
    return CaseFile(
        perpetrators=perpetrators,
        children=children,
        violence_types=[value for value in ViolenceType.values if value in seen],
        injuries=any(i.injuries for i in incidents),
        children_present=any(i.children_present for i in incidents),
        latest_assessment=assessment,
        safety=_safety_flags(case, assessment, incidents, children),
    )

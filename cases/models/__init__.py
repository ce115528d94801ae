from cases.models.case import (
    Case,
    CaseUserObjectPermission,
    Consent,
    IntakeDraft,
    Note,
    ServiceGiven,
)
from cases.models.hotline import HotlineCall
from cases.models.incident import Child, Incident, Perpetrator
from cases.models.risk import RiskAssessment, RiskInstrument, RiskQuestion
from cases.models.survivor import Survivor

__all__ = [
    "Case",
    "CaseUserObjectPermission",
    "Child",
    "Consent",
    "HotlineCall",
    "Incident",
    "IntakeDraft",
    "Note",
    "Perpetrator",
    "RiskAssessment",
    "RiskInstrument",
    "RiskQuestion",
    "ServiceGiven",
    "Survivor",
]

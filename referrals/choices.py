"""Fixed lists of the referral workflow: services a partner offers, answers, outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Service(models.TextChoices):
    """What a referral asks for; a partner kind offers some of these."""

    FORENSIC_EXAM = "forensic_exam", _("Forensic examination")
    MEDICAL_CARE = "medical_care", _("Medical care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    PROTECTION_ORDER = "protection_order", _("Protection order")
    POLICE_PROTECTION = "police_protection", _("Police protection")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    SOCIAL_SUPPORT = "social_support", _("Social support and benefits")
    SHELTER = "shelter", _("Shelter")
    CASE_MANAGEMENT = "case_management", _("Case management by another center")


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")


class PartnerStatus(models.TextChoices):
    """HSDS service.status."""

    ACTIVE = "active", pgettext_lazy("partner status", "Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    OUTSIDE_MANDATE = "outside_mandate", _("Outside what we do")
    OUTSIDE_AREA = "outside_area", _("Outside our area")
    NOT_ELIGIBLE = "not_eligible", _("She does not meet our conditions")
    UNREACHABLE = "unreachable", _("We could not reach her")
    DUPLICATE = "duplicate", _("Already referred to us")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    PROVIDED = "provided", _("Service provided")
    PARTLY_PROVIDED = "partly_provided", _("Service partly provided")
    DID_NOT_COME = "did_not_come", _("She did not come")
    SHE_DECLINED = "she_declined", _("She declined the service")
    TRANSFERRED = "transferred", _("Responsibility taken over")
    OTHER = "other", _("Other")


class Delivery(models.TextChoices):
    """How a referral reached the partner."""

    IN_APP = "in_app", _("Through Crisis Ops")
    HANDED = "handed", _("Letter handed to her or the partner")
    EMAIL = "email", _("Letter sent by e-mail")
    PHONE = "phone", _("Agreed by phone")
    ESCORTED = "escorted", _("She was accompanied there")


class TransferReason(models.TextChoices):
    """Why a center asks for responsibility for a case it is already helping."""

    MOVED = "moved", _("She moved to our area")
    HER_WISH = "her_wish", _("She asked us to take over")
    SERVICES_HERE = "services_here", _("The services she needs are with us")
    OTHER = "other", _("Other")

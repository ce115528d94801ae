"""Categories from the law and from GBVIMS, shared by models, forms and reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    A18_24 = "18-24", _("18–24")
    A25_34 = "25-34", _("25–34")
    A35_44 = "35-44", _("35–44")
    A45_59 = "45-59", _("45–59")
    A60_PLUS = "60+", _("60 and over")
    UNKNOWN = "unknown", _("Unknown")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Disability(models.TextChoices):
    NONE = "none", _("No disability")
    PHYSICAL = "physical", _("Physical")
    SENSORY = "sensory", _("Sensory")
    INTELLECTUAL = "intellectual", _("Intellectual or mental")
    UNKNOWN = "unknown", _("Not known")


class Source(models.TextChoices):
    SELF = "self", _("Came by herself")
    POLICE_102 = "police_102", _("Police (102)")
    HOTLINE_150 = "hotline_150", _("Hotline 150")
    RELATIVE = "relative", _("Relative or friend")
    MEDICAL = "medical", _("Medical service")
    OTHER = "other", _("Other")


class ViolenceType(models.TextChoices):
    """The four types of the Law on Prevention of Domestic Violence."""

    PHYSICAL = "physical", _("Physical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SEXUAL = "sexual", _("Sexual")
    ECONOMIC = "economic", _("Economic")


class GBVIMSClass(models.TextChoices):
    """The six GBVIMS classes, so figures compare with international data."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL_OF_RESOURCES = "denial_of_resources", _("Denial of resources")
    PSYCHOLOGICAL = "psychological", _("Psychological or emotional abuse")


class Relationship(models.TextChoices):
    """The law's scope, plus "other" for cases outside it."""

    SPOUSE = "spouse", _("Spouse")
    FORMER_SPOUSE = "former_spouse", _("Former spouse")
    COHABITANT = "cohabitant", _("Cohabitant")
    FORMER_COHABITANT = "former_cohabitant", _("Former cohabitant")
    CLOSE_RELATIVE = "close_relative", _("Close relative")
    CHILD_IN_COMMON = "child_in_common", _("Person with a child in common")
    OTHER = "other", _("Other (outside the law's scope)")


class ConsentScope(models.TextChoices):
    SERVICES = "services", _("Services of this center")
    POLICE = "police", _("Sharing with the police")
    STATISTICS = "statistics", _("Anonymised statistics")
    REFERRAL_MEDICAL = "referral_medical", _("Referral to hospitals and forensic services")
    REFERRAL_LEGAL = "referral_legal", _("Referral to legal aid")
    REFERRAL_PSYCHOLOGICAL = "referral_psychological", _("Referral to psychologists")
    REFERRAL_SOCIAL = "referral_social", _("Referral to social services")
    REFERRAL_CENTER = "referral_center", _("Referral to another crisis center")


class ConsentPart(models.TextChoices):
    """The parts of a case a consent may cover, and so a referral may share."""

    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact details")
    INCIDENT_SUMMARY = "incident_summary", _("Incident summary")
    RISK_BAND = "risk_band", _("Risk band")
    CHILDREN = "children", _("Children")
    PROTECTION_ORDERS = "protection_orders", _("Protection orders")
    PRACTICAL_NEEDS = "practical_needs", _("Practical needs")


class RiskBand(models.TextChoices):
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ServiceType(models.TextChoices):
    COUNSELLING = "counselling", _("Psychological counselling")
    LEGAL = "legal", _("Legal advice")
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical help arranged")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment (police, court)")
    SOCIAL = "social", _("Social support")
    OTHER = "other", _("Other")

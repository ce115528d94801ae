"""Shelters, their beds, and who is in or promised each bed.

A hold and a stay are both an ``Occupancy`` of a bed: one table, so a single
partial unique index lets PostgreSQL itself guarantee that a bed has at most
one active hold-or-stay, whatever two requests race for it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from cases.models import Case
from crisis_ops.core.models import TimeStampedModel, UUIDModel
from crisis_ops.encryption.fields import EncryptedTextField
from crisis_ops.organisations.models import Organisation, Region

# A room called "2" or "B" is a number on the door; a longer name is a name.
_ROOM_CODE_LENGTH = 3

# The law's 6 months of a crisis-center stay: warn, never block.
LONG_STAY = datetime.timedelta(days=183)


def stay_is_long(admitted_on: datetime.date | None, expected_end: datetime.date | None) -> bool:
    """A stay planned past the law's 6 months (the one place this rule is written)."""
    return bool(admitted_on and expected_end and expected_end - admitted_on > LONG_STAY)


class Shelter(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="shelters"
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    # Never shown outside the owning organisation.
    address = EncryptedTextField(_("street address"))
    intake_phone = models.CharField(_("intake phone"), max_length=32)
    # When a bed last changed: the board shows it so a stale shelter is visible.
    beds_updated_at = models.DateTimeField(_("beds last updated"), null=True, blank=True)
    # A shelter that closed (or stopped intake for good) leaves the board but keeps its history.
    is_active = models.BooleanField(_("taking residents"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ShelterUserObjectPermission(UserObjectPermissionBase):
    """A shelter managed by one named person (direct foreign key, not the generic table)."""

    content_object = models.ForeignKey(Shelter, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class Room(UUIDModel):
    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=50)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        """ "Room 2" for a numbered room; a room with a name ("Изолятор") is called by it."""
        if len(self.name) <= _ROOM_CODE_LENGTH or self.name.isdigit():
            return gettext("Room %(name)s") % {"name": self.name}
        return self.name


class Bed(UUIDModel):
    class Kind(models.TextChoices):
        ADULT = "adult", _("Adult")
        CHILD = "child", _("Child")
        COT = "cot", _("Cot")

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="beds")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ADULT)
    wheelchair_accessible = models.BooleanField(_("wheelchair-accessible"), default=False)
    isolation = models.BooleanField(_("isolation / quarantine"), default=False)
    out_of_service = models.BooleanField(_("out of service"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["room__name", "label"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="one_bed_label_per_room")
        ]

    def __str__(self) -> str:
        """How a bed is named everywhere, pages, messages and forms: "Room 2, bed 2"."""
        return gettext("%(room)s, bed %(label)s") % {"room": self.room, "label": self.label}

    @property
    def number_name(self) -> str:
        """The bed within its room (the grid's tile, under the room's heading): "Bed 2"."""
        return gettext("Bed %(label)s") % {"label": self.label}


class Occupancy(TimeStampedModel):
    """A hold (a bed promised for 90 minutes) or a stay (someone sleeps there)."""

    # Her values are sealed with her own data key (crisis_ops.encryption.data_keys).
    data_key_owner = "case__survivor_id"

    class Kind(models.TextChoices):
        HOLD = "hold", _("Hold")
        STAY = "stay", _("Stay")

    class Outcome(models.TextChoices):
        SAFE_HOUSING = "safe_housing", _("Moved to safe housing")
        FAMILY = "family", _("Went to relatives")
        RETURNED = "returned", _("Returned to the perpetrator")
        OTHER_SHELTER = "other_shelter", _("Moved to another shelter")
        LEFT = "left", _("Left without notice")
        OTHER = "other", _("Other")

    class EndReason(models.TextChoices):
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")
        DISCHARGED = "discharged", _("Discharged")

    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="occupancies")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="occupancies")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    # A child's stay on its own bed, accompanying the mother's stay.
    accompanies = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children_stays"
    )
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    # Practical needs (diet, medicine, mobility): what the shelter must know, nothing more.
    needs = EncryptedTextField(_("practical needs"), blank=True)
    # Set when the hold or stay ends (released, expired, confirmed into a stay, discharged).
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name_plural = "occupancies"
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(ended_at__isnull=True),
                name="one_active_occupancy_per_bed",
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "hold_expires_at"],
                condition=Q(ended_at__isnull=True),
                name="active_holds_by_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.bed_id}"

    @property
    def is_long_stay(self) -> bool:
        """A stay planned past 6 months: the grid warns, it never blocks."""
        return self.kind == self.Kind.STAY and stay_is_long(self.admitted_on, self.expected_end)


class TurnAway(TimeStampedModel):
    """A request for a bed that could not be met: the evidence advocacy letters need."""

    class Reason(models.TextChoices):
        NO_BED = "no_bed", _("No free bed")
        NO_ACCESSIBLE_BED = "no_accessible_bed", _("No accessible bed")
        QUARANTINE = "quarantine", _("Quarantine")
        OTHER = "other", _("Other")

    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="turn_aways")
    # Null when the request did not come through a center of the network (police, a walk-in).
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True
    )
    occurred_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    bed_kind = models.CharField(_("bed needed"), max_length=10, choices=Bed.Kind.choices)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["shelter", "occurred_on"], name="turn_aways_by_day")]

    def __str__(self) -> str:
        return f"{self.shelter} {self.reason}"

"""Roles are fixed by the product; what each may do is decided here, in one place."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    SHELTER_MANAGER = "shelter_manager", _("Shelter manager")
    COORDINATOR = "coordinator", _("Coordinator")
    ORG_ADMIN = "org_admin", _("Organisation admin")


_DASHBOARD = ("core:dashboard", _("Dashboard"))
_CASES = ("cases:case_list", _("Cases"))
_INTAKE = ("cases:intake", _("New intake"))
_SHELTERS = ("shelters:board", _("Shelters"))
# Shelter managers reach their bed grid here, org admins set their shelters up.
_MY_SHELTER = ("shelters:my_shelter", _("My shelter"))
_TURN_AWAYS = ("shelters:turn_aways", _("Turn-aways"))
_REFERRALS = ("referrals:incoming", _("Referrals"))
_PARTNERS = ("referrals:partner_list", _("Partners"))
_REPORTS = ("reports:builder", _("Reports"))
_ERASURE = ("retention:erasure_list", _("Erasure requests"))

NAVIGATION: dict[str, list[tuple[str, str | Promise]]] = {
    # role -> [(url name, label)], in the order the menu shows them.
    Role.CASEWORKER: [_DASHBOARD, _CASES, _INTAKE, _REFERRALS, _SHELTERS, _PARTNERS, _TURN_AWAYS],
    Role.SUPERVISOR: [
        _DASHBOARD,
        _CASES,
        _INTAKE,
        _REFERRALS,
        _SHELTERS,
        _PARTNERS,
        _TURN_AWAYS,
        _REPORTS,
        _ERASURE,
    ],
    Role.SHELTER_MANAGER: [_DASHBOARD, _MY_SHELTER, _SHELTERS, _TURN_AWAYS],
    Role.COORDINATOR: [_DASHBOARD, _REPORTS, _SHELTERS, _TURN_AWAYS],
    Role.ORG_ADMIN: [
        _DASHBOARD,
        ("organisations:member_list", _("Staff")),
        ("retention:overview", _("Retention")),
        _SHELTERS,
        _MY_SHELTER,
        _PARTNERS,
        _TURN_AWAYS,
    ],
}

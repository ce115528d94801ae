"""Roles are fixed by the product; what each may do is decided here, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    SHELTER_MANAGER = "shelter_manager", _("Shelter manager")
    COORDINATOR = "coordinator", _("Coordinator")
    ORG_ADMIN = "org_admin", _("Organisation admin")

    @property
    def sees_personal_data(self) -> bool:
        # The coordinator works with anonymised figures only; every other role
        # sees names of survivors or staff and so must use a second factor.
        return self is not Role.COORDINATOR


NAVIGATION: dict[str, list[tuple[str, str]]] = {
    # role -> [(url name, label msgid)], in the order the menu shows them.
    Role.CASEWORKER: [("core:dashboard", "Dashboard")],
    Role.SUPERVISOR: [("core:dashboard", "Dashboard")],
    Role.SHELTER_MANAGER: [("core:dashboard", "Dashboard")],
    Role.COORDINATOR: [("core:dashboard", "Dashboard")],
    Role.ORG_ADMIN: [("core:dashboard", "Dashboard"), ("organisations:member_list", "Staff")],
}

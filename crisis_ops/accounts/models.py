import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Survivors are never users."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def active_roles(self) -> set[str]:
        """Roles over the user's active memberships; memoised per request-bound instance."""
        cached: set[str] | None = getattr(self, "_active_roles", None)
        if cached is None:
            cached = set(
                self.memberships.filter(is_active=True, organisation__is_active=True).values_list(
                    "role", flat=True
                )
            )
            self._active_roles = cached
        return cached

    def is_verified(self) -> bool:
        # django-otp's OTPMiddleware replaces this per request on session users;
        # anywhere else (a token, a shell) nobody has shown a second factor.
        return False

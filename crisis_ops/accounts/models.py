import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Survivors are never users."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Set when an org admin gives her a password (a new account, a reset): until she
    # chooses her own, pages send her to the password change and the API answers 403.
    must_change_password = models.BooleanField(_("must choose a new password"), default=False)
    # Survivors' names on screen: None (not chosen) hides them on wide screens, which are
    # the shared desktop computers, and shows them on a phone; a choice she made wins.
    show_survivor_names = models.BooleanField(
        _("show survivors' names on screen"), null=True, blank=True, default=None
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


API_TOKEN_NAME_MAX_LENGTH = 100


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A key for an integration, owned by one user, with a scope and an expiry.

    Only the SHA-256 of the key is stored: the key is shown once, at creation. A
    token stands in for its owner's second factor, so it is bounded in time and can be
    revoked by its owner or by an org admin of the owner's organisation. Rows are
    never deleted: audit rows name them (``AuditEvent.token_id``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=API_TOKEN_NAME_MAX_LENGTH)
    scope = models.CharField(
        _("scope"), max_length=8, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so its owner can tell her tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_read_only(self) -> bool:
        return self.scope == ApiTokenScope.READ

    def is_usable(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

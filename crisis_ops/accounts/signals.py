"""Login events become audit rows. Only ids are recorded, never the typed username."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from crisis_ops.audit.services import audit_record


def _account_named(credentials: dict[str, Any] | None) -> Any:
    username = (credentials or {}).get("username")
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.login", actor=user, obj=user)


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user, obj=user)


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    account = _account_named(credentials)
    audit_record(
        action="auth.login_failed",
        object_type="accounts.user" if account else "",
        object_id=str(account.pk) if account else "",
    )


@receiver(user_locked_out)
def _audit_locked_out(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    account = _account_named({"username": username})
    audit_record(
        action="auth.locked_out",
        object_type="accounts.user" if account else "",
        object_id=str(account.pk) if account else "",
    )

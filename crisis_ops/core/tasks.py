from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Expired sessions are dead weight and a record of who was signed in when."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def purge_idempotency_keys() -> int:
    """A key only has to outlive the retries of its request; then it is dead weight."""
    from crisis_ops.core.idempotency import purge_old_keys

    return purge_old_keys()

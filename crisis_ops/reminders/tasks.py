from celery import shared_task
from django.db import OperationalError

from crisis_ops.reminders import services


@shared_task
def sweep() -> int:
    """Run by the one beat every few minutes: claim what is due, enqueue its sends."""
    return len(services.reminders_claim_due())


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
)
def send_reminder(reminder_id: str) -> str:
    """Thin: the service reloads the row under lock and does nothing if it is done."""
    return services.reminder_deliver(reminder_id=reminder_id)

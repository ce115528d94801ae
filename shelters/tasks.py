from celery import shared_task

from shelters import services


@shared_task
def expire_holds() -> int:
    """Holds end by themselves after 90 minutes, even if nobody touches the bed."""
    return services.holds_expire()

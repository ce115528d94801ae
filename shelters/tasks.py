from celery import shared_task

from shelters import services_placements as placements


@shared_task
def expire_holds() -> int:
    """Holds end by themselves after 90 minutes, even if nobody touches the bed."""
    return placements.holds_expire()

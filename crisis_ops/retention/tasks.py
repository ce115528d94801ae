from celery import shared_task


@shared_task(acks_late=True)
def retention_daily() -> dict[str, int]:
    """Daily: finish interrupted purges, announce 30 days ahead, purge what is due."""
    from crisis_ops.retention.services import retention_daily as run

    return run()

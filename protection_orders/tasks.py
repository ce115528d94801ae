from celery import shared_task

from protection_orders import services


@shared_task
def expire_orders() -> int:
    return services.orders_expire()

from __future__ import annotations

from celery import shared_task

from crisis_ops.report_exports import services


@shared_task
def build_export(export_id: str) -> None:
    """Takes an id only (no figures in the broker); the service reloads the job."""
    services.export_build(export_id=export_id)


@shared_task
def delete_expired_exports() -> int:
    return services.exports_delete_expired()

"""The one Celery application; web, worker and beat all import it."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis_ops.settings")

app = Celery("crisis_ops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_work_without_keys(**kwargs: Any) -> None:
    from crisis_ops.encryption.keys import require_keyring_in_production

    require_keyring_in_production()


@task_prerun.connect
@task_postrun.connect
def _retire_unusable_connections(task: Any = None, **kwargs: Any) -> None:
    """What Django's request signals do for a request, around every task a worker runs.

    With CELERY_DB_REUSE_MAX, Celery keeps connections open between tasks; this closes one
    that errored or outlived CONN_MAX_AGE, and makes the next query health-check it. An
    eager task (tests, inline calls) runs inside its caller's transaction: left alone.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


# The schedule lives in code, so exactly one beat process runs exactly this.
app.conf.beat_schedule = {
    "sweep-reminders": {
        "task": "crisis_ops.reminders.tasks.sweep",
        "schedule": crontab(minute="*/5"),
    },
    "expire-shelter-holds": {
        "task": "shelters.tasks.expire_holds",
        "schedule": crontab(minute="*"),
    },
    "expire-protection-orders": {
        "task": "protection_orders.tasks.expire_orders",
        "schedule": crontab(minute=5, hour=0),
    },
    "purge-idempotency-keys": {
        "task": "crisis_ops.core.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=41, hour="*/6"),
    },
    "clear-expired-sessions": {
        "task": "crisis_ops.core.tasks.clear_expired_sessions",
        "schedule": crontab(minute="*/30"),
    },
    "delete-expired-report-exports": {
        "task": "crisis_ops.report_exports.tasks.delete_expired_exports",
        "schedule": crontab(minute=23),
    },
    # Daily at 02:30 Almaty, when nobody works: finish, announce, purge (crisis_ops/retention).
    "retention-daily": {
        "task": "crisis_ops.retention.tasks.retention_daily",
        "schedule": crontab(minute=30, hour=2),
    },
    "publish-audit-head": {
        "task": "crisis_ops.audit.tasks.publish_audit_head",
        "schedule": crontab(minute=50, hour=23),
    },
    "forget-old-login-attempts": {
        "task": "crisis_ops.accounts.tasks.forget_old_login_attempts",
        "schedule": crontab(minute=17, hour="*/6"),
    },
}

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog
from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task
def forget_old_login_attempts() -> int:
    """Failed attempts older than the cool-off no longer lock anyone out; drop them."""
    cutoff = timezone.now() - max(settings.AXES_COOLOFF_TIME, timedelta(days=1))
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return int(attempts) + int(failures)

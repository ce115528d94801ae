from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from crisis_ops.notifications.channels import configured_channels
from crisis_ops.notifications.models import Notification


def _case_reference(notification: Notification) -> str:
    """The reference of the case the notification concerns: an identifier, not a name.

    A shelter manager of another center knows a resident by her survivor code only,
    so a stay's e-mail names the case to its own center's staff and the code to others.
    """
    from cases.models import Case
    from protection_orders.models import ProtectionOrder

    if notification.object_type == "protection_orders.protectionorder":
        orders = ProtectionOrder.objects.filter(pk=notification.object_id)
        return orders.values_list("case__reference", flat=True).first() or ""
    if notification.object_type == "shelters.occupancy":
        from cases.selectors import case_organisations
        from shelters.models import Occupancy

        stay = (
            Occupancy.objects.filter(pk=notification.object_id)
            .values("case__reference", "case__organisation_id", "case__survivor__code")
            .first()
        )
        if stay is None:
            return ""
        staff_of = case_organisations(notification.recipient).values_list(
            "organisation_id", flat=True
        )
        if stay["case__organisation_id"] in set(staff_of):
            return str(stay["case__reference"])
        return str(stay["case__survivor__code"])
    if notification.object_type == "referrals.referral":
        from referrals.models import Referral

        referrals = Referral.objects.filter(pk=notification.object_id)
        return referrals.values_list("reference", flat=True).first() or ""
    if notification.object_type == "cases.consent":
        from cases.models import Consent

        consents = Consent.objects.filter(pk=notification.object_id)
        return consents.values_list("case__reference", flat=True).first() or ""
    if notification.object_type == "cases.case":
        cases = Case.objects.filter(pk=notification.object_id)
        return cases.values_list("reference", flat=True).first() or ""
    return ""


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_notification_email(notification_id: str) -> None:
    """Thin and idempotent: reload, skip if gone or already sent, send, mark.

    ``emailed_at`` marks the notification as gone out through every external channel.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        recipient = notification.recipient
        channels = [c for c in configured_channels() if c.can_reach(recipient)]
        if not channels:
            return
        with translation.override(recipient.language):
            context = {
                "notification": notification,
                "site": settings.SITE_NAME,
                "case_reference": _case_reference(notification),
            }
            subject = render_to_string("notifications/email_subject.txt", context).strip()
            body = render_to_string("notifications/email_body.txt", context)
        for channel in channels:
            channel.send(recipient, subject, body)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])

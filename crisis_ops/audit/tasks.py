from celery import shared_task


@shared_task(acks_late=True)
def publish_audit_head() -> int:
    """Daily: the audit chain's head, appended to the anchor file and e-mailed to org admins."""
    from crisis_ops.audit.anchoring import audit_head_publish

    return audit_head_publish().seq

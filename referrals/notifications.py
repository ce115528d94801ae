"""The referrals' notifications and what they are about.

Registered from ``ReferralsConfig.ready()``; the kind keys live in referrals/reminders.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import register_kind
from crisis_ops.notifications.subjects import Subject, register_subject
from referrals import reminders
from referrals.models import Referral
from referrals.selectors import referral_list_for_user


def _visible_referrals(*, user: User, object_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    """A referral opens for whoever may still open it, at either end. One query."""
    rows = referral_list_for_user(user=user).filter(pk__in=list(object_ids))
    return {
        pk: Subject(label=ref, url=reverse("referrals:referral_detail", args=[pk]))
        for pk, ref in rows.values_list("pk", "reference")
    }


def _referral_reference(*, user: User, object_id: uuid.UUID) -> str:
    referrals = Referral.objects.filter(pk=object_id)
    return referrals.values_list("reference", flat=True).first() or ""


def register() -> None:
    register_subject(
        "referrals.referral", visible=_visible_referrals, reference=_referral_reference
    )
    register_kind(
        reminders.REFERRAL_RECEIVED,
        label=_("Referral received"),
        email_subject=_("Crisis Ops: a referral came to your center (%(case_reference)s)"),
        email_body=_(
            "Referral %(case_reference)s was sent to your center. Open your incoming "
            "referrals to accept or decline it before its deadline."
        ),
    )
    register_kind(
        reminders.TRANSFER_REQUESTED,
        label=_("Transfer requested"),
        email_subject=_("Crisis Ops: a center asks for one of your cases (%(case_reference)s)"),
        email_body=_(
            "Transfer request %(case_reference)s: a center helping her on your referral asks "
            "to take over responsibility for her case. Accept or decline it before its deadline."
        ),
    )
    register_kind(
        reminders.REFERRAL_ANSWERED,
        label=_("Referral answered"),
        email_subject=_("Crisis Ops: your referral was answered (%(case_reference)s)"),
        email_body=_(
            "Referral %(case_reference)s has an answer. Open it to see what the partner decided."
        ),
    )
    register_kind(
        reminders.ANSWER_OVERDUE,
        label=_("Referral answer overdue"),
        email_subject=_("Crisis Ops: a referral is still unanswered (%(case_reference)s)"),
        email_body=_(
            "Referral %(case_reference)s has had no answer past the partner's deadline. Call "
            "the partner today, or refer her elsewhere."
        ),
    )
    register_kind(
        reminders.ANSWER_ESCALATED,
        label=_("Referral still unanswered"),
        email_subject=_("Crisis Ops: a referral is still unanswered (%(case_reference)s)"),
        email_body=_(
            "Referral %(case_reference)s has had no answer past the partner's deadline. Call "
            "the partner today, or refer her elsewhere."
        ),
    )
    register_kind(
        reminders.REFERRAL_CONSENT_REVOKED,
        label=_("Consent of a referral revoked"),
        email_subject=_(
            "Crisis Ops: consent revoked, the referral shares nothing now (%(case_reference)s)"
        ),
        email_body=_(
            "She revoked the consent referral %(case_reference)s relied on. The partner can "
            "no longer see what it shared; tell the partner if it is working with her."
        ),
    )
    register_kind(
        reminders.CONSENT_OVERRIDDEN,
        label=_("Referral without consent (danger to life)"),
        email_subject=_(
            "Crisis Ops: a referral to the police was sent without consent (%(case_reference)s)"
        ),
        email_body=_(
            "Referral %(case_reference)s went to the police without her consent, for "
            "immediate danger to life. Review the reason today."
        ),
    )
    register_kind(
        reminders.CONSENT_EXPIRING,
        label=_("Consent expiring"),
        email_subject=_(
            "Crisis Ops: a consent a referral relies on expires soon (%(case_reference)s)"
        ),
        email_body=_(
            "A consent that a live referral of case %(case_reference)s relies on expires "
            "soon. Renew it with her, or the referral will stop sharing."
        ),
    )

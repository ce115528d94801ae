"""Writes of the referral workflow. Each validates, writes, and audits in one transaction.

- ``send``: a referral from a case, consent checked;
- ``transfers``: a transfer request on a referral the asking center accepted;
- ``answers``: accept, decline, complete, cancel — for both kinds alike;
- ``access``: grants of a referred case, their removal, audited reads.
"""

from referrals.services.access import on_consent_revoked, referral_letter_open, referral_open
from referrals.services.answers import (
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_decline,
)
from referrals.services.send import referral_send
from referrals.services.transfers import transfer_request_send

__all__ = [
    "on_consent_revoked",
    "referral_accept",
    "referral_cancel",
    "referral_complete",
    "referral_decline",
    "referral_letter_open",
    "referral_open",
    "referral_send",
    "transfer_request_send",
]

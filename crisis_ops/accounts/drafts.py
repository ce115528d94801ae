"""The key that encrypts what a signed-in user has typed but not yet sent, in her browser.

Forms keep an encrypted copy of what is typed in the browser (static/js/drafts.js), so
a dropped connection or an idle sign-out loses nothing. The browser holds only the
ciphertext; the key comes with each page of a signed-in session and is never stored,
here or there: it is derived from the server's secret, the user and her password hash.
So a draft left on a shared computer opens only when she signs in again (the same key),
and becomes unreadable when her password changes. Signing out on purpose wipes them.
"""

from __future__ import annotations

import base64
from typing import Any

from django.utils.crypto import salted_hmac


def draft_key_for(*, user: Any) -> str:
    """A 256-bit AES-GCM key (base64) for the user's drafts in the browser."""
    digest = salted_hmac(
        "crisis_ops.accounts.drafts.key", f"{user.pk}:{user.password}", algorithm="sha256"
    ).digest()
    return base64.b64encode(digest).decode()


def draft_owner_for(*, user: Any) -> str:
    """An opaque name for the user's drafts in the browser's storage (not her id)."""
    return salted_hmac(
        "crisis_ops.accounts.drafts.owner", str(user.pk), algorithm="sha256"
    ).hexdigest()[:16]

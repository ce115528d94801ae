"""Anchoring the audit chain's head somewhere the database owner cannot rewrite.

The hash chain shows any row changed or removed in the middle, but not the newest rows
cut off the end: the chain up to the cut still verifies. So once a day the head (its
sequence number and hash) is published outside the database: appended to a separate
append-only file (``AUDIT_ANCHOR_FILE``; put it on another host or an append-only mount)
and e-mailed to every organisation admin. ``verify_audit_log --against FILE`` then checks
that every published head is still in the chain, with the same hash.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crisis_ops.audit.models import AuditEvent


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    published_at: str

    def line(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "published_at": self.published_at},
            sort_keys=True,
        )


def audit_head() -> Anchor:
    """The newest row's position and hash (0 and the genesis hash for an empty log)."""
    from crisis_ops.audit.models import GENESIS_HASH

    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    now = timezone.now().isoformat()
    return Anchor(last.seq, last.hash, now) if last else Anchor(0, GENESIS_HASH, now)


def anchor_append(anchor: Anchor, path: Path | str | None = None) -> Path:
    """Append one line and flush it to disk: the file only ever grows."""
    target = Path(path or settings.AUDIT_ANCHOR_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (anchor.line() + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return target


def _admins() -> list[object]:
    from crisis_ops.accounts.models import User
    from crisis_ops.organisations.roles import Role

    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.ORG_ADMIN,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
        )
        .exclude(email="")
        .distinct()
    )


def audit_head_publish() -> Anchor:
    """The daily publication: to the anchor file, then one e-mail to each org admin."""
    anchor = audit_head()
    anchor_append(anchor)
    for admin in _admins():
        with translation.override(getattr(admin, "language", None) or settings.LANGUAGE_CODE):
            subject = _("Crisis Ops: today's audit log fingerprint")
            body = _(
                "Keep this e-mail. It records the newest entry of the audit log today:\n\n"
                "entry %(seq)s\nfingerprint %(hash)s\n\n"
                "If the audit log is ever checked against these fingerprints and one is"
                " missing, entries were removed."
            ) % {"seq": anchor.seq, "hash": anchor.hash}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [admin.email])  # type: ignore[attr-defined]
    return anchor


@dataclass(frozen=True)
class AnchorProblem:
    seq: int
    reason: str


def anchors_read(path: Path | str) -> list[Anchor]:
    anchors = []
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchors.append(Anchor(int(data["seq"]), str(data["hash"]), str(data["published_at"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number} of the anchor file is not an anchor") from exc
    return anchors


def anchor_problems(anchors: list[Anchor]) -> list[AnchorProblem]:
    """Every published head that the chain no longer holds as it was published."""
    if not anchors:
        return []
    wanted = {a.seq for a in anchors if a.seq > 0}
    found = dict(AuditEvent.objects.filter(seq__in=wanted).values_list("seq", "hash"))
    newest = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    problems = []
    for anchor in anchors:
        if anchor.seq == 0:
            continue
        if anchor.seq not in found:
            reason = (
                f"published on {anchor.published_at} but missing: the log ends at {newest},"
                " so its newest rows were deleted"
                if anchor.seq > newest
                else f"published on {anchor.published_at} but missing"
            )
            problems.append(AnchorProblem(anchor.seq, reason))
        elif found[anchor.seq] != anchor.hash:
            problems.append(
                AnchorProblem(
                    anchor.seq, f"hash differs from the one published on {anchor.published_at}"
                )
            )
    return problems


def published_today(anchors: list[Anchor], day: datetime.date) -> bool:
    return any(a.published_at.startswith(day.isoformat()) for a in anchors)

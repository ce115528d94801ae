"""What retention tells the org admins: a purge 30 days ahead (counts only), and an erasure
request waiting for them. Registered from RetentionConfig.ready()."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import register_kind
from crisis_ops.notifications.subjects import Subject, register_subject
from crisis_ops.organisations.roles import Role

PURGE_NOTICE = "retention_purge_notice"
ERASURE_REQUESTED = "retention_erasure_requested"


def _admin_of(user: User) -> set[uuid.UUID]:
    from crisis_ops.organisations.selectors import organisations_for_user

    return set(organisations_for_user(user=user, role=Role.ORG_ADMIN).values_list("pk", flat=True))


def notice_text(*, survivors: int, cases: int, day: datetime.date) -> str:
    """ "3 survivors' files (4 cases), on 5 January 2027": counts and a day, never a name."""
    files = ngettext("%(count)s survivor's file", "%(count)s survivors' files", survivors) % {
        "count": survivors
    }
    case_count = ngettext("%(count)s case", "%(count)s cases", cases) % {"count": cases}
    return _("%(files)s (%(cases)s), on %(day)s") % {
        "files": files,
        "cases": case_count,
        "day": formats.date_format(day),
    }


def _visible_notices(*, user: User, object_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    from crisis_ops.retention.models import PurgeNotice

    rows = PurgeNotice.objects.filter(pk__in=list(object_ids), organisation_id__in=_admin_of(user))
    url = reverse("retention:overview")
    return {
        notice.pk: Subject(
            label=notice_text(survivors=notice.survivors, cases=notice.cases, day=notice.purge_on),
            url=url,
        )
        for notice in rows
    }


def _notice_reference(*, user: User, object_id: uuid.UUID) -> str:
    from crisis_ops.retention.models import PurgeNotice

    notice = PurgeNotice.objects.filter(pk=object_id).first()
    if notice is None:
        return ""
    return notice_text(survivors=notice.survivors, cases=notice.cases, day=notice.purge_on)


def _visible_erasures(*, user: User, object_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    from crisis_ops.retention.selectors import erasure_requests_for_user

    rows = erasure_requests_for_user(user=user).filter(pk__in=list(object_ids))
    return {
        erasure.pk: Subject(
            label=erasure.case_reference or str(_("Erasure request")),
            url=reverse("retention:erasure_detail", args=[erasure.pk]),
        )
        for erasure in rows
    }


def _erasure_reference(*, user: User, object_id: uuid.UUID) -> str:
    from crisis_ops.retention.models import ErasureRequest

    erasure = ErasureRequest.objects.filter(pk=object_id).first()
    return erasure.case_reference if erasure is not None else ""


def register() -> None:
    register_subject("retention.purgenotice", visible=_visible_notices, reference=_notice_reference)
    register_subject(
        "retention.erasurerequest", visible=_visible_erasures, reference=_erasure_reference
    )
    register_kind(
        PURGE_NOTICE,
        label=_("Files will be purged in 30 days"),
        email_subject=_("Crisis Ops: files will be purged under your retention policy"),
        email_body=_(
            "Under your organisation's retention policy, %(case_reference)s will be purged:"
            " their data key is destroyed and their records deleted. If any of them must be"
            " kept, set a legal hold before then."
        ),
    )
    register_kind(
        ERASURE_REQUESTED,
        label=_("Erasure requested"),
        email_subject=_("Crisis Ops: an erasure request waits for you (%(case_reference)s)"),
        email_body=_(
            "A supervisor asked for the file of case %(case_reference)s to be erased at the"
            " survivor's request. An organisation admin must confirm it before anything is"
            " erased."
        ),
    )

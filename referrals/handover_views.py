"""The giving center's read of what it wrote, as a page and over the API, and the
referral list as a CSV file: both from the selectors and serializers the pages use."""

from __future__ import annotations

import csv
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crisis_ops.audit.services import audit_record
from crisis_ops.core.typing import AuthedHttpRequest, api_user
from referrals import handover, selectors
from referrals.forms import ReferralFilterForm
from referrals.serializers import HandedOverSerializer, ReferralSerializer
from referrals.views import require_case_role

EXPORT_COLUMNS = [
    "reference",
    "kind",
    "status",
    "purpose",
    "is_transfer",
    "sent_at",
    "answer_due_at",
    "is_overdue",
    "answered_at",
    "decline_reason",
    "completed_at",
    "outcome",
    "cancelled_at",
    "consent_revoked_at",
]


@login_required
def handed_over(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    handed = handover.handed_over_open(actor=request.user, referral_id=referral_id)
    return render(request, "referrals/handed_over.html", {"handed": handed})


class ReferralHandedOver(APIView):
    """After a full transfer: what your center wrote in the case while it was yours."""

    @extend_schema(responses={200: HandedOverSerializer})
    def get(self, request: Request, referral_id: uuid.UUID) -> Response:
        handed = handover.handed_over_open(actor=api_user(request), referral_id=referral_id)
        return Response(HandedOverSerializer(handed).data)


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
def referral_export(request: AuthedHttpRequest, box: str) -> HttpResponse:
    """The incoming or sent list as CSV: the list's scope and the API's serializer, the
    referral's header only — never a shared part, and the case only to its own center."""
    require_case_role(request)
    filters = ReferralFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    referrals = selectors.referral_list_for_user(
        user=request.user,
        box=box,
        status=cleaned.get("status", ""),
        overdue=cleaned.get("overdue", False),
        reference=cleaned.get("reference", ""),
        kind=cleaned.get("kind", ""),
    )[:5000]
    context = {"sender_organisations": set(selectors.case_organisation_ids(user=request.user))}
    rows = ReferralSerializer(referrals, many=True, context=context).data
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referrals-{box}.csv"'
    writer = csv.writer(response)
    writer.writerow([*EXPORT_COLUMNS, "partner", "from", "to", "case"])
    for row in rows:
        to = row["to_organisation"] or {}
        writer.writerow(
            [_cell(row[c]) for c in EXPORT_COLUMNS]
            + [
                _cell(row["partner"]["name"]),
                _cell(row["from_organisation"]["name"]),
                _cell(to.get("name", "")),
                row["case"] or "",
            ]
        )
    audit_record(action="referral.list_exported", actor=request.user)
    return response

"""The case list served from the plain twins, for bench-cases only.

A mirror of ``cases.views.case_list`` and ``cases.selectors.case_list_for_user``:
same scope, filters, select_related, ordering, page size, template and context,
so the difference between the two pages is the cost of encryption and nothing else.
Where the real selector searches a blind index and compares after decryption, this
one compares the plain column with the same normal form. Keep it in step with them.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from cases import selectors, views
from cases.forms import CaseFilterForm
from cases.selectors import case_scope_q, overdue_consents, search_kind
from crisis_ops.accounts.models import User
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.encryption.normalise import NORMALISERS
from tests.encryption_app.models import PlainCase, PlainSurvivor

_COLUMNS = {"iin": "iin", "phone": "phone", "name": "full_name"}


def plain_case_list_for_user(
    *,
    user: User,
    status: str = "",
    risk_band: str = "",
    assigned_to_me: bool = False,
    has_overdue: bool = False,
    search: str = "",
) -> QuerySet[PlainCase]:
    if not user.is_authenticated or not user.is_active:
        return PlainCase.objects.none()
    # The twins carry the real cases' ids, so the real scope (own center's
    # unrestricted cases, plus cases granted by object permission) applies as is.
    cases = PlainCase.objects.filter(case_scope_q(user=user)).select_related(
        "survivor", "assigned_to", "organisation"
    )
    if status:
        cases = cases.filter(status=status)
    if risk_band:
        cases = cases.filter(risk_band=risk_band)
    if assigned_to_me:
        cases = cases.filter(assigned_to=user)
    if has_overdue:
        cases = cases.filter(Exists(overdue_consents().filter(case=OuterRef("pk"))))
    if search:
        cases = cases.filter(survivor_id__in=plain_survivor_ids_matching(cases, search))
    return cases.order_by("-opened_on", "-created_at")


def plain_survivor_ids_matching(cases: QuerySet[PlainCase], text: str) -> list[uuid.UUID]:
    """One query, as the blind-index search makes; the plain column holds the normal form.

    Names are stored as typed, not normalised, so they compare case-insensitively
    (the benchmark does not time name search).
    """
    kind = search_kind(text=text)
    wanted = NORMALISERS[kind](text)
    column = _COLUMNS[kind]
    lookup = {f"{column}__iexact": " ".join(text.split())} if kind == "name" else {column: wanted}
    candidates = PlainSurvivor.objects.filter(pk__in=cases.values("survivor_id"), **lookup).only(
        "id", column
    )
    return [s.pk for s in candidates]


@login_required
def case_list_plain(request: AuthedHttpRequest) -> HttpResponse:
    views._require_case_role(request)
    filters = CaseFilterForm(request.POST or request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    # The real page asks which centers she acts for (not encrypted: the same query here).
    centers = selectors.acting_organisation_choices(user=request.user)
    try:
        cases = plain_case_list_for_user(
            user=request.user,
            status=cleaned.get("status", ""),
            risk_band=cleaned.get("risk_band", ""),
            assigned_to_me=cleaned.get("mine", False),
            has_overdue=cleaned.get("overdue", False),
            search=cleaned.get("q", "").strip(),
        )
    except ValueError as exc:
        filters.add_error("q", str(exc))
        cases = plain_case_list_for_user(user=request.user).none()
    # Read at request time, so a benchmark that changes the real page size changes both.
    page = Paginator(cases, views.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "query": request.GET.copy(),
        "acting": None,
        "label_centers": len(centers) > 1,
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "cases/_case_results.html" if partial else "cases/case_list.html"
    return render(request, template, context)

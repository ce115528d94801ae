"""The case list: filters in the address, the search in the body of a POST.

What is typed in the search box (a name, an IIN, a phone number) never goes into a URL,
where the browser's history, the access logs and the next page's Referer would keep it.
The POST finds the survivors and keeps only their ids in the session, under a random
token; the results are then at ``/cases/?found=<token>`` (and the other filters), so
Back, Forward and the pager work as for any page and the address names nobody.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import selectors
from cases.acting_views import acting_for
from cases.forms import CaseFilterForm
from cases.views import PAGE_SIZE, _require_case_role
from crisis_ops.core.privacy import personal_query
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.encryption.fields import preload_data_keys

SESSION_KEY = "case_searches"
# Searches kept per session (the newest), and survivors kept per search.
SEARCHES_KEPT = 10
SURVIVORS_KEPT = 500
_FILTERS = ("status", "risk_band", "mine", "overdue")


@login_required
@personal_query("q")
def case_list(request: AuthedHttpRequest) -> HttpResponse:
    _require_case_role(request)
    if request.method == "POST":
        return _search(request)
    filters = CaseFilterForm(request.GET or None)
    listing = _Listing(request, filters)
    found = request.GET.get("found")
    if found:
        survivors = _remembered(request, found)
        if survivors is None:
            filters.add_error("q", _("That search is no longer kept here: search again."))
        # Nobody for a search no longer kept, rather than every case as if none was made.
        listing.only(survivors or [])
    return listing.render(request.GET.copy())


def _search(request: AuthedHttpRequest) -> HttpResponse:
    filters = CaseFilterForm(request.POST)
    listing = _Listing(request, filters)
    if not filters.is_valid():
        return listing.render(QueryDict(), status=400)
    query = QueryDict(mutable=True)
    for name in _FILTERS:
        if filters.cleaned_data[name]:
            query[name] = "on" if filters.cleaned_data[name] is True else filters.cleaned_data[name]
    text = filters.cleaned_data["q"].strip()
    if text:
        try:
            survivors = selectors.survivor_ids_matching(cases=listing.cases, text=text)
        except ValueError as exc:
            filters.add_error("q", str(exc))
            listing.only([])
            return listing.render(QueryDict(), status=400)
        listing.only(survivors)
        query["found"] = _remember(request, survivors)
    url = reverse("cases:case_list") + (f"?{query.urlencode()}" if query else "")
    if request.headers.get("HX-Request") != "true":
        return redirect(url)  # 302 to a GET: Back and reload never post the search again
    response = listing.render(query)
    response["HX-Push-Url"] = url
    return response


def _remember(request: AuthedHttpRequest, survivors: list[Any]) -> str:
    kept: dict[str, list[str]] = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(12)
    kept[token] = [str(pk) for pk in survivors[:SURVIVORS_KEPT]]
    request.session[SESSION_KEY] = dict(list(kept.items())[-SEARCHES_KEPT:])
    return token


def _remembered(request: AuthedHttpRequest, token: str) -> list[str] | None:
    kept: dict[str, list[str]] = request.session.get(SESSION_KEY, {})
    return kept.get(token)


class _Listing:
    """Her cases under the form's filters and the center she acts for, scoped once."""

    def __init__(self, request: AuthedHttpRequest, filters: CaseFilterForm) -> None:
        self.request, self.filters, self.searched = request, filters, False
        cleaned = filters.cleaned_data if filters.is_valid() else {}
        centers = selectors.acting_organisation_choices(user=request.user)
        self.acting = acting_for(request) if len(centers) > 1 else None
        self.label_centers = len(centers) > 1 and self.acting is None
        self.cases = selectors.case_list_for_user(
            organisation_id=self.acting.pk if self.acting else None,
            user=request.user,
            status=cleaned.get("status", ""),
            risk_band=cleaned.get("risk_band", ""),
            assigned_to_me=cleaned.get("mine", False),
            has_overdue=cleaned.get("overdue", False),
        )

    def only(self, survivors: list[Any]) -> None:
        self.cases = self.cases.filter(survivor_id__in=list(survivors))
        self.searched = True

    def render(self, query: QueryDict, status: int = 200) -> HttpResponse:
        page = Paginator(self.cases, PAGE_SIZE).get_page(query.get("page"))
        # The page's survivors' data keys in one key-store query when they are not cached.
        preload_data_keys(case.survivor for case in page.object_list)
        context = {
            "filters": self.filters,
            "page": page,
            "query": query,
            "searched": self.searched,
            # Two centers: the list is the chosen one's, or (not chosen yet) both, labelled.
            "acting": self.acting,
            "label_centers": self.label_centers,
        }
        # htmx asks for the results only, so filtering does not reload the page.
        partial = self.request.headers.get("HX-Request") == "true"
        template = "cases/_case_results.html" if partial else "cases/case_list.html"
        return render(self.request, template, context, status=status)

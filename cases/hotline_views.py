"""Anonymous hotline calls: record one (categories only), list them, and open a full
case from one when she comes in. No page here has a text box."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors, services_hotline
from cases.acting_views import ACTING_KEY, acting_for, ask_which_center
from cases.forms import HotlineCallForm
from crisis_ops.core.confirm import ask_first
from crisis_ops.core.forms import form_save
from crisis_ops.core.typing import AuthedHttpRequest


@login_required
def hotline_call_new(request: AuthedHttpRequest) -> HttpResponse:
    organisation = acting_for(request)
    if organisation is None:
        return ask_which_center(request)
    form = HotlineCallForm(request.POST or None)
    if request.method == "POST":
        saved = form_save(
            form,
            lambda data: services_hotline.hotline_call_record(
                actor=request.user, organisation=organisation, **data
            ),
        )
        if saved:
            messages.success(
                request, _("The call is recorded, without a name or a number. Thank you.")
            )
            return redirect("cases:hotline_call_list")
    status = 400 if form.is_bound else 200
    context = {"form": form, "organisation": organisation}
    return render(request, "cases/hotline_call_form.html", context, status=status)


@login_required
def hotline_call_list(request: AuthedHttpRequest) -> HttpResponse:
    centers = selectors.acting_organisation_choices(user=request.user)
    if not centers:
        return ask_which_center(request)  # 403 for someone with no case work
    acting = acting_for(request) if len(centers) > 1 else None
    calls = selectors.hotline_calls_for_user(user=request.user)
    if acting is not None:
        calls = calls.filter(organisation=acting)
    context = {"calls": calls[:100], "acting": acting, "label_centers": len(centers) > 1}
    return render(request, "cases/hotline_call_list.html", context)


@require_POST
@login_required
def hotline_call_convert(request: AuthedHttpRequest, call_id: str) -> HttpResponse:
    """She came in: start an intake that already knows what the call said."""
    call = selectors.hotline_call_get_for_user(user=request.user, call_id=call_id)
    back = reverse("cases:hotline_call_list")
    if selectors.intake_draft_for(user=request.user, organisation=call.organisation):
        asking = ask_first(
            request,
            title=_("Replace your unfinished intake?"),
            consequences=[
                _("Your unfinished intake for %(center)s is discarded.")
                % {"center": call.organisation.name},
                _(
                    "A new intake starts with what the call recorded;"
                    " you add her name and the rest."
                ),
            ],
            confirm_label=_("Open a case from this call"),
            cancel_url=back,
        )
        if asking:
            return asking
    try:
        services_hotline.hotline_call_start_intake(actor=request.user, call=call)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    request.session[ACTING_KEY] = str(call.organisation_id)
    messages.info(request, _("The intake starts with what the call recorded."))
    return redirect("cases:intake")

"""Which center a caseworker of two (or more) centers is acting for, chosen once per session.

Nothing is taken silently: the intake and the case list ask until she has chosen; the
header says which center it is, with a link to change it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import selectors
from crisis_ops.core import text as caps
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.models import Organisation

ACTING_KEY = "acting_organisation_id"


def acting_for(request: AuthedHttpRequest) -> Organisation | None:
    """Her chosen center (or her only one); None while a choice is still to make."""
    return selectors.acting_organisation(
        user=request.user, chosen_id=request.session.get(ACTING_KEY)
    )


def ask_which_center(request: AuthedHttpRequest) -> HttpResponse:
    """Send her to choose, and back here after; 403 for someone with no case work."""
    if not selectors.acting_organisation_choices(user=request.user):
        raise PermissionDenied
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('cases:acting_for')}?{query}")


class ActingForForm(forms.Form):
    organisation = forms.ChoiceField(
        label=gettext_lazy("Center you are acting for"), widget=forms.RadioSelect
    )
    next = forms.CharField(required=False, max_length=caps.NEXT_URL, widget=forms.HiddenInput)

    def __init__(self, *args: object, centers: list[Organisation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = [(str(c.pk), c.name) for c in centers]  # type: ignore[attr-defined]


def _next(request: HttpRequest, given: str) -> str:
    if given and url_has_allowed_host_and_scheme(given, allowed_hosts={request.get_host()}):
        return given
    return reverse("cases:case_list")


@login_required
def acting_for_choose(request: AuthedHttpRequest) -> HttpResponse:
    centers = selectors.acting_organisation_choices(user=request.user)
    if not centers:
        raise PermissionDenied
    current = acting_for(request)
    form = ActingForForm(
        request.POST or None,
        centers=centers,
        initial={
            "organisation": str(current.pk) if current else None,
            "next": request.GET.get("next", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        request.session[ACTING_KEY] = form.cleaned_data["organisation"]
        chosen = next(c for c in centers if str(c.pk) == form.cleaned_data["organisation"])
        messages.info(request, _("You are acting for %(center)s.") % {"center": chosen.name})
        return redirect(_next(request, form.cleaned_data["next"]))
    status = 400 if form.is_bound else 200
    return render(request, "cases/acting_for.html", {"form": form}, status=status)

"""Her own settings: how survivors' names are shown on her screen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crisis_ops.accounts import services
from crisis_ops.accounts.forms import NameDisplayForm
from crisis_ops.core.typing import AuthedHttpRequest


@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    form = NameDisplayForm(
        request.POST or None, initial=NameDisplayForm.initial_for(request.user.show_survivor_names)
    )
    if request.method == "POST":
        if form.is_valid():
            services.user_set_name_display(user=request.user, show=form.chosen())
            messages.success(request, _("Saved."))
            return redirect("accounts:profile")
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})

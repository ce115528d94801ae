"""The referral letter, as a printable page and a PDF, in the partner's language.

Generated on each request from the one gate (services.referral_letter_open) and
never stored: the PDF goes to the browser and is gone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from crisis_ops.core.typing import AuthedHttpRequest
from referrals import selectors, services
from referrals.models import Referral


def _context(request: AuthedHttpRequest, referral: Referral) -> dict[str, Any]:
    return {
        "referral": referral,
        "shared": services.referral_letter_open(actor=request.user, referral=referral),
        "sender": request.user,
        "today": timezone.localdate(),
    }


def letter_html(request: AuthedHttpRequest, referral: Referral, *, template: str) -> str:
    """The letter in the partner's language, whatever the caseworker's own."""
    with translation.override(referral.partner.letter_language):
        return render_to_string(template, _context(request, referral))


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


@login_required
def letter_page(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    letter = mark_safe(letter_html(request, referral, template="referrals/_letter_body.html"))  # noqa: S308 - rendered by our template, autoescaped
    context = {
        "referral": referral,
        "letter": letter,
        "letter_language": referral.partner.letter_language,
    }
    return render(request, "referrals/letter_page.html", context)


@login_required
def letter_pdf(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    response = HttpResponse(
        render_pdf(letter_html(request, referral, template="referrals/letter.html")),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{referral.reference}.pdf"'
    return response

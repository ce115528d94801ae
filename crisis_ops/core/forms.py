"""The one way a page runs a write: bound form → service → errors back on the form.

    saved = form_save(form, lambda data: services.note_add(actor=user, case=case, **data))
    if saved:
        return redirect(...)
    return render(...the page again with the bound form, status 400...)

A service's ValidationError lands on the fields it names, the rest on the form; the page
shows the field errors beside the fields and ``form_errors`` at its top, so what she
typed is kept and nothing was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.forms import Form

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What the service returned (truthy even when that is None)."""

    value: T


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def form_save(form: Form, save: Callable[[dict[str, Any]], T]) -> Saved[T] | None:
    """Validate the bound form and hand its cleaned data to the service; ``None`` if the
    form or the service refused, with the reasons on the form."""
    if not form.is_valid():
        return None
    try:
        return Saved(save(form.cleaned_data))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def form_errors(forms: Iterable[Form]) -> list[str]:
    """Errors that name no field, for the top of the page: the form that failed may be
    one the page no longer offers."""
    return [str(error) for form in forms for error in form.non_field_errors()]


def all_form_errors(form: Form) -> list[str]:
    """Every error of the form, labelled, for a page that cannot show the form itself."""
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]

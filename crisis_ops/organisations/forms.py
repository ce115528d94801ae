from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crisis_ops.accounts.models import User
from crisis_ops.core import text as caps
from crisis_ops.core.text import model_cap
from crisis_ops.organisations.roles import Role


class MemberCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=model_cap(User, "username"),
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=model_cap(User, "first_name"))
    last_name = forms.CharField(label=_("Last name"), max_length=model_cap(User, "last_name"))
    email = forms.EmailField(label=_("E-mail"), max_length=model_cap(User, "email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="ru")
    password = forms.CharField(
        label=_("Temporary password"),
        max_length=caps.PASSWORD,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Give it to the person in private."),
    )


class MembershipUpdateForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Can sign in"), required=False)


class TemporaryPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        max_length=caps.PASSWORD,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. Give it to the person in private; they choose their"
            " own when they next sign in."
        ),
    )

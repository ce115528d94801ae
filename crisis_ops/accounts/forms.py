from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from crisis_ops.accounts.models import API_TOKEN_NAME_MAX_LENGTH, ApiTokenScope
from crisis_ops.core import text as caps


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is switched off. Ask your organisation admin."),
    }
    password = forms.CharField(
        strip=False,
        max_length=caps.PASSWORD,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Password")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"\d{6}",
                "maxlength": "6",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class LanguageForm(forms.Form):
    language = forms.CharField(max_length=8)
    next = forms.CharField(required=False, max_length=caps.NEXT_URL)


class NameDisplayForm(forms.Form):
    """Her choice about survivors' names on screen; "" is the default she never chose."""

    CHOICES = {"": None, "yes": True, "no": False}

    show_survivor_names = forms.ChoiceField(
        label=_("Show survivors' names on screen"),
        choices=[
            ("", _("By screen: hidden on a wide screen (a shared computer), shown on a phone")),
            ("yes", _("Always show them")),
            ("no", _("Never show them until I press “Show name”")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_for(cls, show: bool | None) -> dict[str, str]:
        return {"show_survivor_names": {None: "", True: "yes", False: "no"}[show]}

    def chosen(self) -> bool | None:
        return self.CHOICES[self.cleaned_data["show_survivor_names"]]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=API_TOKEN_NAME_MAX_LENGTH,
        help_text=_("What will use it, e.g. “Reporting spreadsheet”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_LIFETIME.days,
        initial=settings.API_TOKEN_LIFETIME.days,
    )


def _password_field(label: StrOrPromise, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=caps.PASSWORD,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class OwnPasswordForm(PasswordChangeForm):
    """The temporary password an admin gave her, then one only she knows (twice)."""

    error_messages = {
        "password_incorrect": _(
            "The temporary password is wrong. Type the one you signed in with."
        ),
        "password_mismatch": _("The two new passwords differ. Type the same one twice."),
    }
    old_password = _password_field(_("Temporary password"), "current-password")
    new_password1 = _password_field(_("New password"), "new-password")
    new_password2 = _password_field(_("New password again"), "new-password")
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 12 characters; not your name, not a common word, not only digits."
        )

    def clean_new_password1(self) -> str:
        new = str(self.cleaned_data.get("new_password1") or "")
        if new and new == self.cleaned_data.get("old_password"):
            raise forms.ValidationError(
                _("Choose a password of your own, not the temporary one."), code="same"
            )
        return new

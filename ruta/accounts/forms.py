from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.lib.permissions import Role


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        # No autofocus: keyboard and screen reader users start at the skip link and heading.
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is not correct, or the account is not active."
        ),
        "inactive": _(
            "The e-mail address or password is not correct, or the account is not active."
        ),
    }

    def clean_username(self) -> str:
        # One spelling per account, so django-axes counts "Ana@x.org" and "ana@x.org"
        # as the same account and changing the case cannot escape a lockout.
        return str(self.cleaned_data["username"]).strip().lower()


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code shown by your authenticator app"),
        max_length=10,
        # No autofocus: the set-up steps and the QR code come before this field.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _role_choices(roles: tuple[str, ...]) -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(role, str(labels[role])) for role in roles]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(active=True),
        to_field_name="uuid",
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, roles: tuple[str, ...], organizations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = _role_choices(roles)
        organization_field = self.fields["organization"]
        assert isinstance(organization_field, forms.ModelChoiceField)
        organization_field.queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: tuple[str, ...], **kwargs: Any):
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = _role_choices(roles)

"""Forms of the transfer pages: request, accept (with the caseworker), decline, packages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.cases.access import caseworkers_of, supervisors_of
from ruta.transfers.models import PeerInstallation

MAX_PACKAGE_BYTES = 20 * 1024 * 1024


class UserChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class OrganizationChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RequestForm(forms.Form):
    to_organization = OrganizationChoiceField(
        label=_("Agency that will take over the case"),
        queryset=Organization.objects.none(),
        to_field_name="uuid",
        help_text=_(
            "The survivor must have consented to share their information with this agency."
        ),
    )
    reason = forms.CharField(
        label=_("Why the case is transferred"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("The receiving agency reads this before deciding. Share only what it needs."),
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_organization"]
        field.queryset = Organization.objects.exclude(pk=organization_id).order_by("name")


class AcceptForm(forms.Form):
    caseworker = UserChoiceField(
        label=_("Caseworker who takes the case"),
        queryset=caseworkers_of(0),
        to_field_name="uuid",
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["caseworker"]
        people = caseworkers_of(organization_id) | supervisors_of(organization_id)
        field.queryset = people.order_by("full_name", "email")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the transfer is declined"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("The sending agency reads this."),
    )


class CancelForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, cancel this transfer request"))


# --- Packages between installations ------------------------------------------------------
class ExportForm(forms.Form):
    peer = forms.ModelChoiceField(
        label=_("Installation that receives the case"),
        queryset=PeerInstallation.objects.filter(active=True),
        to_field_name="uuid",
    )
    partner_organization = OrganizationChoiceField(
        label=_("Receiving agency"),
        queryset=Organization.objects.none(),
        to_field_name="uuid",
        help_text=_(
            "The survivor's consent to share with this agency must be recorded on the case. "
            "An agency not listed yet is added to the organizations first."
        ),
    )
    expires_in_days = forms.IntegerField(
        label=_("Days the package can be imported"), min_value=1, max_value=60, initial=14
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["partner_organization"]
        field.queryset = Organization.objects.exclude(pk=organization_id).order_by("name")


class ImportForm(forms.Form):
    package = forms.FileField(
        label=_("Transfer package (.rutapkg)"),
        help_text=_("The file the other installation sent you."),
    )
    caseworker = UserChoiceField(
        label=_("Caseworker who takes the case"),
        queryset=caseworkers_of(0),
        to_field_name="uuid",
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["caseworker"]
        people = caseworkers_of(organization_id) | supervisors_of(organization_id)
        field.queryset = people.order_by("full_name", "email")

    def clean_package(self) -> bytes:
        upload = self.cleaned_data["package"]
        if not upload.name.lower().endswith((".rutapkg", ".json")):
            raise forms.ValidationError(_("Choose a .rutapkg file."))
        if upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(_("The file is too large for a transfer package."))
        data: bytes = upload.read()
        return data

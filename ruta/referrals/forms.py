"""Forms of the referral pages: service picker filters, send, assign, accept, decline,
complete and revoke. Each keeps what was typed when an action refuses the step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.cases.access import visible_cases
from ruta.cases.models import (
    ASSENT_BANDS,
    Assent,
    Case,
    CaseStatus,
    CaseType,
    Client,
    ConsentGiver,
    ConsentMethod,
)
from ruta.directory.models import TaxonomyTerm
from ruta.places.areas import AREA_COUNTRIES
from ruta.places.choices import AreaCodeField, region_choices
from ruta.referrals.models import SHARE_DEFAULT, DeclineReason, Outcome, ShareField, Urgency


def network_countries() -> set[str]:
    """The countries the network's active organizations work in."""
    listed = Organization.objects.filter(active=True).values_list("countries", flat=True)
    return {str(code).upper() for codes in listed for code in codes or []}


class PickerForm(forms.Form):
    """Filters of the service picker; initial values come from the case's profile and
    region. The region is chosen by name among those of the network's countries (and of
    the case's region); a link naming any known area by its code still works."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    profile = forms.ChoiceField(label=_("Population profile"), required=False)
    admin1 = AreaCodeField(label=_("Region"), required=False)
    accepting = forms.BooleanField(label=_("Accepting new people only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        terms = TaxonomyTerm.objects.filter(
            taxonomy__code__in=("sector", "population"), active=True
        ).select_related("taxonomy")
        by_taxonomy: dict[str, list[tuple[str, str]]] = {"sector": [], "population": []}
        for term in terms.order_by("position", "code"):
            by_taxonomy[term.taxonomy.code].append((term.code, term.name))
        fields["sector"].choices = [("", _("Any sector")), *by_taxonomy["sector"]]
        fields["profile"].choices = [("", _("Any profile")), *by_taxonomy["population"]]
        self._offer_regions(fields["admin1"])

    def _offer_regions(self, field: AreaCodeField) -> None:
        wanted = [str(self.initial.get("admin1") or "")]
        if self.is_bound:
            wanted.append(str(self.data.get(self.add_prefix("admin1")) or ""))
        # A region's ISO 3166-2 code starts with its country's: PE-TUM is in PE.
        countries = (network_countries() or set(AREA_COUNTRIES)) | {
            code[:2].upper() for code in wanted if code[2:3] == "-"
        }
        language = (get_language() or "es")[:2]
        field.choices = [("", _("Any region")), *region_choices(countries, language)]
        for code in wanted:
            field.accept_known(code)


class ConsentFields(forms.Form):
    """The consent to share, recorded in the same step when the case has none."""

    record_consent = forms.BooleanField(
        label=_("The survivor agreed to share this information with this organization"),
        required=False,
    )
    given_by = forms.ChoiceField(
        label=_("Who gave it"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        initial=ConsentGiver.SELF,
        required=False,
    )
    method = forms.ChoiceField(
        label=_("How"), choices=ConsentMethod.choices, widget=forms.RadioSelect, required=False
    )
    child_assent = forms.ChoiceField(
        label=_("The child's assent"),
        choices=[(Assent.GIVEN, Assent.GIVEN.label), (Assent.REFUSED, Assent.REFUSED.label)],
        widget=forms.RadioSelect,
        required=False,
    )


class SendForm(ConsentFields):
    fields_to_share = forms.MultipleChoiceField(
        label=_("Information to share"),
        choices=ShareField.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(SHARE_DEFAULT),
        help_text=_(
            "Share only what the receiving service needs. The receiver sees these fields, "
            "never the case."
        ),
        error_messages={"required": _("Choose at least one piece of information to share.")},
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("What the person needs from the service. No details of the incident."),
    )

    def __init__(self, *args: Any, client: Client, needs_consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_consent = needs_consent
        self.needs_assent = client.age_band in ASSENT_BANDS
        fields: Any = self.fields
        if not needs_consent:
            for name in ("record_consent", "given_by", "method", "child_assent"):
                del fields[name]
        else:
            if not self.needs_assent:
                del fields["child_assent"]
            if client.is_child:
                fields["given_by"].initial = ConsentGiver.CAREGIVER

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.needs_consent:
            if not cleaned.get("record_consent"):
                self.add_error(
                    "record_consent",
                    _(
                        "There is no consent to share with this organization. Ask the "
                        "survivor; without their agreement the referral cannot be sent."
                    ),
                )
            elif not cleaned.get("method"):
                self.add_error("method", _("Say how the consent was given."))
        return cleaned

    def consent(self) -> dict[str, Any] | None:
        if not self.needs_consent:
            return None
        data = self.cleaned_data
        found = {"method": data["method"], "given_by": data.get("given_by") or ConsentGiver.SELF}
        if self.needs_assent:
            found["child_assent"] = data.get("child_assent") or ""
        return found


class _TeamChoice(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


def team_field(organization_id: int, *, required: bool, label: Any) -> _TeamChoice:
    people = User.objects.filter(
        organization_id=organization_id,
        is_active=True,
        role__in=("caseworker", "supervisor"),
    ).order_by("full_name", "email")
    return _TeamChoice(
        label=label,
        queryset=people,
        to_field_name="uuid",
        required=required,
        empty_label=_("Choose a person"),
    )


class AssignForm(forms.Form):
    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = team_field(organization_id, required=True, label=_("Assign to"))


class AcceptForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Type of case to open"), choices=CaseType.choices)
    link_case = forms.CharField(
        label=_("Or link to an existing case of your organization (case code)"),
        required=False,
        max_length=40,
    )

    def __init__(
        self, *args: Any, organization_id: int, may_assign: bool, user: User, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        self.user = user
        if may_assign:
            self.fields["assign_to"] = team_field(
                organization_id, required=False, label=_("Caseworker who will follow it")
            )

    def clean_link_case(self) -> Case | None:
        code = (self.cleaned_data.get("link_case") or "").strip()
        if not code:
            return None
        # Only a case this person follows: never attach a snapshot to someone else's case.
        case = (
            visible_cases(self.user)
            .filter(organization_id=self.organization_id, code__iexact=code, status=CaseStatus.OPEN)
            .first()
        )
        if case is None:
            raise forms.ValidationError(_("There is no open case with this code that you follow."))
        return case


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the referring organization"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    feedback = forms.CharField(
        label=_("Feedback on the service given"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What was done and what the referring organization should know."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the referral is revoked"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=300,
    )

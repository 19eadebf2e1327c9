"""Forms for writing a practice, reviewing it and attaching files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.agencies.models import Organization
from ruta.lib.geo import country_choices
from ruta.lib.permissions import Cap, user_can
from ruta.practices.models import (
    TEXT_FIELDS,
    Practice,
    Theme,
    current_language,
)


def _text_field_names() -> list[str]:
    return [f"{name}_{lang}" for name in TEXT_FIELDS for lang in ("es", "en")]


class PracticeForm(forms.ModelForm[Practice]):
    """Every field of the template. Coordinators also choose the owning organization."""

    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Choose one or more countries (hold Ctrl or Cmd to choose several)."),
    )

    class Meta:
        model = Practice
        fields = [
            "code",
            "title_es",
            "title_en",
            "owner",
            "organizations",
            "other_organizations",
            "territories",
            "themes",
            "iasc_layers",
            *_text_field_names(),
            "people_reached",
            "budget_amount",
            "budget_currency",
            "sdgs",
            "gcm_objectives",
            "guiding_principles",
            "sustainability",
            "illustrative",
        ]
        widgets = {
            "organizations": forms.SelectMultiple(attrs={"size": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "iasc_layers": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "gcm_objectives": forms.CheckboxSelectMultiple,
            "guiding_principles": forms.CheckboxSelectMultiple,
            "budget_currency": forms.TextInput(attrs={"size": 4, "maxlength": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["countries"].choices = country_choices(current_language())  # type: ignore[attr-defined]
        if self.instance.pk and "countries" not in self.initial:
            self.initial["countries"] = [c.code for c in self.instance.countries.all()]
        organizations = Organization.objects.filter(active=True).order_by("name")
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]
        if user_can(user, Cap.MANAGE_PRACTICE_HUB):
            self.fields["owner"].queryset = organizations  # type: ignore[attr-defined]
            self.fields["owner"].help_text = _(
                "Its agency admins may edit and submit the practice. Leave empty for "
                "practices of organizations that are not on the platform."
            )
        else:
            del self.fields["owner"]
        for name in _text_field_names():
            widget = self.fields[name].widget
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 4

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_budget_currency(self) -> str:
        return str(self.cleaned_data.get("budget_currency") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("title_es", "").strip() or data.get("title_en", "").strip()):
            self.add_error("title_es", _("Give a title in Spanish or in English."))
        return data

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def sections(self) -> list[tuple[Any, list[Any]]]:
        """Fields grouped as the template groups them, for the page."""
        groups: list[tuple[Any, list[str]]] = [
            (_("Identification"), ["code", "title_es", "title_en", "area_es", "area_en"]),
            (
                _("Organizations and places"),
                ["owner", "organizations", "other_organizations", "countries", "territories"],
            ),
            (_("Theme and IASC layer"), ["themes", "iasc_layers"]),
            (_("Finding"), ["finding_es", "finding_en"]),
            (
                _("Relevant conditions and context"),
                [
                    "context_es",
                    "context_en",
                    "applicability_es",
                    "applicability_en",
                    "cause_effect_es",
                    "cause_effect_en",
                ],
            ),
            (_("Contribution and intended beneficiaries"), ["contribution_es", "contribution_en"]),
            (_("Effectiveness"), ["effectiveness_es", "effectiveness_en"]),
            (
                _("Project targets"),
                [
                    "target_description_es",
                    "target_description_en",
                    "people_reached",
                    "target_type_es",
                    "target_type_en",
                    "actors_es",
                    "actors_en",
                    "budget_amount",
                    "budget_currency",
                    "replication_potential_es",
                    "replication_potential_en",
                ],
            ),
            (
                _("Links to the institution's higher objectives"),
                ["institutional_linkage_es", "institutional_linkage_en"],
            ),
            (_("Sustainable Development Goals"), ["sdgs"]),
            (_("Global Compact for Migration"), ["guiding_principles", "gcm_objectives"]),
            (
                _("Differentiating factors"),
                ["differentiating_factors_es", "differentiating_factors_en"],
            ),
            (
                _("Sustainability"),
                ["sustainability", "sustainability_notes_es", "sustainability_notes_en"],
            ),
            (_("Keywords"), ["keywords_es", "keywords_en", "illustrative"]),
        ]
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in groups
        ]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG or text; at most 10 MB."
        ),
    )


class ThemeForm(forms.ModelForm[Theme]):
    class Meta:
        model = Theme
        fields = ["code", "title_es", "title_en", "order"]
        help_texts = {"code": _("Letters, numbers and hyphens; it cannot be changed later.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

"""Forms of the indicator pages: the results filter, an indicator's edit, a value entered
by hand with its evidence, a project, an indicator added to a project, and its targets."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.agencies.models import Organization
from ruta.indicators import computations
from ruta.indicators.models import (
    MEASURED_LEVELS,
    Disaggregation,
    Framework,
    Indicator,
    IndicatorValue,
    Project,
    ServicePackageActivity,
    Unit,
)
from ruta.indicators.results import Granularity
from ruta.measure.views_dashboard import MonthRangeForm
from ruta.network.files import check_material
from ruta.places.models import AdminArea
from ruta.ui.forms import DateInput

if TYPE_CHECKING:
    from ruta.indicators.models import ProjectIndicator

HUNDRED = Decimal(100)


def granularity_choices() -> list[tuple[str, str]]:
    return [
        (Granularity.MONTH, _("Month")),
        (Granularity.QUARTER, _("Quarter")),
        (Granularity.YEAR, _("Year")),
    ]


def region_choices(countries: list[str] | None = None) -> list[tuple[str, str]]:
    areas = AdminArea.objects.filter(level=1).order_by("country", "name_es")
    if countries:
        areas = areas.filter(country__in=countries)
    return [(a.code, f"{a.name} ({a.country})") for a in areas]


class ResultsForm(MonthRangeForm):
    """What the results of an indicator are shown for (a GET form: the defaults apply
    when it is empty or wrong, and its errors are shown beside it)."""

    granularity = forms.ChoiceField(label=gettext_lazy("By"), required=False)
    organization = forms.ChoiceField(label=gettext_lazy("Organization"), required=False)
    admin1 = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(
        self, data: Any, organizations: list[Organization], initial: dict[str, Any]
    ) -> None:
        super().__init__(data, initial=initial)
        every = [("", _("All"))]
        self._choice("granularity").choices = granularity_choices()
        self._choice("organization").choices = every + [
            (str(org.uuid), org.acronym or org.name) for org in organizations
        ]
        countries = sorted({code for org in organizations for code in org.countries})
        self._choice("admin1").choices = every + region_choices(countries)

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class IndicatorForm(forms.ModelForm[Indicator]):
    """A coordinator's edit of an indicator's wording and definition."""

    disaggregation = forms.MultipleChoiceField(
        label=gettext_lazy("Disaggregation"),
        required=False,
        choices=Disaggregation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    computation = forms.ChoiceField(
        label=gettext_lazy("Computed from the records as"),
        required=False,
        help_text=gettext_lazy(
            "Empty: the value is entered by hand for each period, with its evidence."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "wording_es",
            "wording_en",
            "level",
            "unit",
            "computation",
            "disaggregation",
            "mov_es",
            "mov_en",
            "source",
            "verified",
            "active",
        ]
        widgets = {
            "wording_es": forms.Textarea(attrs={"rows": 3}),
            "wording_en": forms.Textarea(attrs={"rows": 3}),
            "mov_es": forms.Textarea(attrs={"rows": 2}),
            "mov_en": forms.Textarea(attrs={"rows": 2}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["computation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = computations.choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("computation")
        if code:
            found = computations.COMPUTATIONS[code]
            if data.get("unit") and data["unit"] != found.unit:
                self.add_error(
                    "unit",
                    _("This computation gives a %(unit)s: choose that unit.")
                    % {"unit": Unit(found.unit).label.lower()},
                )
            if data.get("level") and data["level"] not in MEASURED_LEVELS:
                self.add_error("level", _("Only an indicator can be computed, not a heading."))
        return data


CODE_HELP = gettext_lazy(
    "Letters, digits, dots, dashes and underscores, as the framework numbers it."
)
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    gettext_lazy("Use letters, digits, dots, dashes and underscores."),
)


class NewIndicatorForm(IndicatorForm):
    """An item a coordinator adds to a framework (its code is its address: fixed after)."""

    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20, validators=[code_validator], help_text=CODE_HELP
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Belongs to"), required=False, queryset=Indicator.objects.none()
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = framework.indicators.order_by("position", "code")
        self.order_fields(["code", "parent", "level", "wording_es", "wording_en"])

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if self.framework.indicators.filter(code__iexact=code).exists():
            raise ValidationError(_("This framework already has an item with this code."))
        return code

    def save(self, commit: bool = True) -> Indicator:
        indicator = super().save(commit=False)
        indicator.code = self.cleaned_data["code"]
        indicator.parent = self.cleaned_data["parent"]
        if commit:
            indicator.save()
        return indicator


class ServicePackageActivityForm(forms.ModelForm[ServicePackageActivity]):
    class Meta:
        model = ServicePackageActivity
        fields = ["code", "area_es", "area_en", "title_es", "title_en", "source", "verified"]
        widgets = {
            "title_es": forms.Textarea(attrs={"rows": 3}),
            "title_en": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["code"].validators.append(code_validator)

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if self.framework.activities.filter(code__iexact=code).exists():
            raise ValidationError(_("This framework already has an item with this code."))
        return code


class ValueForm(forms.ModelForm[IndicatorValue]):
    """A value for one period, by one organization or for the network, with its evidence
    (a file or a link: a figure nobody can check is not accepted)."""

    organization = forms.ChoiceField(label=gettext_lazy("Organization"))
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (file)"),
        required=False,
        help_text=gettext_lazy("PDF, PPTX, DOCX, XLSX, PNG or JPG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "evidence_link",
            "note",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        organizations: list[Organization],
        network_allowed: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.organizations = {str(org.uuid): org for org in organizations}
        choices = [(key, org.acronym or org.name) for key, org in self.organizations.items()]
        if network_allowed:
            choices = [("network", _("The whole network")), *choices]
        field = self._organization_field()
        field.choices = choices
        if self.instance.pk:
            org = self.instance.organization
            self.initial["organization"] = str(org.uuid) if org else "network"
        elif len(choices) == 1:
            self.initial["organization"] = choices[0][0]
        value = self.fields["value"]
        value.required = False
        if indicator.unit == Unit.PERCENT:
            value.help_text = _(
                "A percentage from 0 to 100. Give the numerator and the denominator and it is "
                "worked out for you (they also let periods be added up honestly)."
            )
        else:
            self.fields.pop("numerator")
            self.fields.pop("denominator")
        self.order_fields(
            [
                "organization",
                "period_start",
                "period_end",
                "value",
                "numerator",
                "denominator",
                "evidence",
                "evidence_link",
                "note",
            ]
        )

    def _organization_field(self) -> forms.ChoiceField:
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean_organization(self) -> Organization | None:
        key = self.cleaned_data["organization"]
        return None if key == "network" else self.organizations[key]

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_material(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_value(data)
        if (
            not data.get("evidence")
            and not data.get("evidence_link")
            and not self.instance.evidence
        ):
            self.add_error("evidence", _("Attach the evidence or give a link to it."))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and "organization" in data:
            if end < start:
                self.add_error("period_end", _("The period ends before it starts."))
            else:
                self._check_overlap(data["organization"], start, end)
        return data

    def _check_value(self, data: dict[str, Any]) -> None:
        value = data.get("value")
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if self.indicator.unit == Unit.PERCENT:
            if (numerator is None) != (denominator is None):
                self.add_error("denominator", _("Give both the numerator and the denominator."))
                return
            if numerator is not None and denominator is not None:
                if denominator == 0 or numerator > denominator:
                    self.add_error(
                        "numerator", _("The numerator must be at most the denominator (not 0).")
                    )
                    return
                worked = (HUNDRED * numerator / denominator).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
                if value is not None and abs(value - worked) > Decimal("0.1"):
                    self.add_error(
                        "value",
                        _("%(numerator)s of %(denominator)s is %(worked)s%%, not %(value)s%%.")
                        % {
                            "numerator": numerator,
                            "denominator": denominator,
                            "worked": worked,
                            "value": value,
                        },
                    )
                    return
                data["value"] = worked
                return
            if value is not None and not (0 <= value <= HUNDRED):
                self.add_error("value", _("A percentage goes from 0 to 100."))
                return
        if data.get("value") is None:
            self.add_error("value", _("Give the value."))
        elif data["value"] < 0:
            self.add_error("value", _("The value cannot be negative."))

    def _check_overlap(
        self, organization: Organization | None, start: dt.date, end: dt.date
    ) -> None:
        others = IndicatorValue.objects.filter(
            indicator=self.indicator,
            organization=organization,
            period_start__lte=end,
            period_end__gte=start,
        )
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        clash = others.order_by("period_start").first()
        if clash is not None:
            self.add_error(
                "period_start",
                _(
                    "A value is already entered for %(start)s to %(end)s, which meets this "
                    "period: change that one, or choose a period that does not overlap it."
                )
                % {
                    "start": date_format(clash.period_start, "SHORT_DATE_FORMAT"),
                    "end": date_format(clash.period_end, "SHORT_DATE_FORMAT"),
                },
            )


class ProjectForm(forms.ModelForm[Project]):
    organization = forms.ChoiceField(label=gettext_lazy("Organization"))
    territory = forms.MultipleChoiceField(
        label=gettext_lazy("Territory"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The regions (admin 1) where the project works. None: its results count "
            "wherever the organization reports."
        ),
    )

    class Meta:
        model = Project
        fields = ["name", "donor", "starts_on", "ends_on", "budget", "currency", "description"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {str(org.uuid): org for org in organizations}
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, str(org)) for key, org in self.organizations.items()]
        if self.instance.pk:
            self.initial["organization"] = str(self.instance.organization.uuid)
            self.initial["territory"] = list(self.instance.territory)
        elif len(self.organizations) == 1:
            self.initial["organization"] = next(iter(self.organizations))
        countries = sorted({code for org in organizations for code in org.countries})
        territory = self.fields["territory"]
        assert isinstance(territory, forms.MultipleChoiceField)
        territory.choices = region_choices(countries)
        self.order_fields(["organization", "name", "donor", "starts_on", "ends_on", "territory"])

    def clean_organization(self) -> Organization:
        return self.organizations[self.cleaned_data["organization"]]

    def clean_currency(self) -> str:
        code = str(self.cleaned_data["currency"]).strip().upper()
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValidationError(_("Unknown currency code: %(code)s") % {"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The project ends before it starts."))
        return data

    def save(self, commit: bool = True) -> Project:
        project = super().save(commit=False)
        project.organization = self.cleaned_data["organization"]
        project.territory = list(self.cleaned_data["territory"])
        if commit:
            project.save()
        return project


class IndicatorChoiceField(forms.ModelChoiceField[Indicator]):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.framework.code.upper()} {obj.code} — {obj.wording}"


class AddIndicatorForm(forms.Form):
    indicator = IndicatorChoiceField(
        label=gettext_lazy("Indicator"), queryset=Indicator.objects.none()
    )
    baseline = forms.DecimalField(
        label=gettext_lazy("Baseline"), required=False, max_digits=14, decimal_places=2
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Indicator.objects.filter(active=True, level__in=MEASURED_LEVELS)
            .exclude(Q(pk__in=project.indicators.values("indicator_id")))
            .select_related("framework")
            .order_by("framework__position", "position", "code")
        )


class TargetForm(forms.Form):
    value = forms.DecimalField(
        label=gettext_lazy("Target"), required=False, max_digits=14, decimal_places=2, min_value=0
    )

    def __init__(self, *args: Any, start: dt.date, end: dt.date, unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start, self.end = start, end
        field = self.fields["value"]
        field.label = _("Target from %(start)s to %(end)s") % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        if unit == Unit.PERCENT:
            field.validators.append(_max_percent)


def _max_percent(value: Decimal | None) -> None:
    if value is not None and value > HUNDRED:
        raise ValidationError(_("A percentage goes from 0 to 100."))


class BaselineForm(forms.Form):
    baseline = forms.DecimalField(
        label=gettext_lazy("Baseline"), required=False, max_digits=14, decimal_places=2
    )


def target_forms(
    line: ProjectIndicator, spans: list[tuple[dt.date, dt.date]], data: Any = None
) -> list[TargetForm]:
    existing = {(t.period_start, t.period_end): t.value for t in line.targets.all()}
    return [
        TargetForm(
            data,
            prefix=f"t{index}",
            start=start,
            end=end,
            unit=line.indicator.unit,
            initial={"value": existing.get((start, end))},
        )
        for index, (start, end) in enumerate(spans)
    ]

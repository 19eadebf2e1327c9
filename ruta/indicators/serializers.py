"""Representations of indicators, their results and projects for the API (read-only).

Figures only: a result is a number (and its numerator, denominator and breakdown), never
a person. A result's value and a progress's share achieved are given as ``results.as_text``
gives them: a plain decimal string, or "" when there is nothing to measure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ruta.indicators import results
from ruta.indicators.computations import COMPUTATIONS, Result
from ruta.indicators.models import Indicator, Project, ProjectIndicator, Unit
from ruta.measure.api_query import MonthsQuerySerializer

# Each period runs the indicator's computation once: the number of periods bounds the cost.
MAX_PERIODS = 36
VALUE_HELP = 'A plain decimal ("12", "66.7"); "" when there is nothing to measure.'
STATUSES = [
    results.Status.MET,
    results.Status.ON_TRACK,
    results.Status.BEHIND,
    results.Status.NOT_STARTED,
    results.Status.NO_DATA,
]


# --- Indicators --------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    framework = serializers.CharField(
        source="framework.code", read_only=True, help_text="The framework's code."
    )
    measured = serializers.BooleanField(
        read_only=True, help_text="False for a heading (a goal, an outcome): it has no results."
    )
    computation_explanation = serializers.SerializerMethodField(
        help_text="How Ruta computes it from the records; empty when entered by hand."
    )
    disaggregation = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Codes: sex, age, admin1..."
    )
    means_of_verification_es = serializers.CharField(source="mov_es", read_only=True)
    means_of_verification_en = serializers.CharField(source="mov_en", read_only=True)
    parent: Any = serializers.CharField(
        source="parent.code",
        read_only=True,
        allow_null=True,
        help_text="The code of the item it belongs to, in the same framework; null for none.",
    )

    class Meta:
        model = Indicator
        fields = [
            "framework",
            "code",
            "level",
            "measured",
            "wording_es",
            "wording_en",
            "unit",
            "computation",
            "computation_explanation",
            "disaggregation",
            "means_of_verification_es",
            "means_of_verification_en",
            "verified",
            "parent",
            "active",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "computation": {"help_text": "The computation's code; empty: entered by hand."}
        }

    def get_computation_explanation(self, indicator: Indicator) -> str:
        computation = COMPUTATIONS.get(indicator.computation)
        return "" if computation is None else str(computation.explanation)


class ResultsQuerySerializer(MonthsQuerySerializer):
    """The query of an indicator's results (documented by ``api.RESULTS_QUERY``): checks
    it and fills in the defaults."""

    granularity = serializers.ChoiceField(
        choices=list(results.Granularity.ALL), default=results.Granularity.MONTH
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Whole months: ``start`` on the first day of its month, ``end`` on the last day
        of its month; by default the twelve months ending with this one."""
        today = self.context["today"]
        end_month = attrs.get("end") or today.replace(day=1)
        start_month = attrs.get("start") or results.next_month(end_month, -11)
        if start_month > end_month:
            raise serializers.ValidationError(
                {"start": [_("The first month must come before the last.")]}
            )
        end = results.next_month(end_month) - dt.timedelta(days=1)
        count = sum(1 for _period in results.periods(start_month, end, attrs["granularity"]))
        if count > MAX_PERIODS:
            raise serializers.ValidationError(
                {
                    "end": [
                        _("Ask for at most %(count)s periods at a time.") % {"count": MAX_PERIODS}
                    ]
                }
            )
        return {**attrs, "start": start_month, "end": end}


class BreakdownSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class PeriodResultSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.CharField(help_text=VALUE_HELP)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    breakdown = BreakdownSerializer(many=True)
    territory_applied = serializers.BooleanField(
        help_text="False: the figure could not be limited to the region asked for."
    )
    not_deduplicated = serializers.IntegerField(
        help_text="People counted from anonymous counts (who may be counted twice)."
    )


class IndicatorResultsSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField()
    code = serializers.CharField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    granularity = serializers.ChoiceField(choices=list(results.Granularity.ALL))
    start = serializers.DateField(help_text="The first day of the first period.")
    end = serializers.DateField(help_text="The last day of the last period.")
    organization = serializers.UUIDField(
        allow_null=True, help_text="The organization the figures are of; null: the network."
    )
    admin1 = serializers.CharField(allow_null=True, help_text="The region; null: everywhere.")
    periods = PeriodResultSerializer(many=True)


def period_result(start: dt.date, end: dt.date, found: Result) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "value": results.as_text(found.value),
        "numerator": found.numerator,
        "denominator": found.denominator,
        "breakdown": [{"label": label, "count": count} for label, count in found.breakdown],
        "territory_applied": found.territory_applied,
        "not_deduplicated": found.not_deduplicated,
    }


# --- Projects ----------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    value = serializers.CharField(help_text=VALUE_HELP)
    achieved_pct = serializers.CharField(
        help_text='The value as a share of the target (%); "" without a value or a target.'
    )
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="met, on_track (keeps pace with the days gone by), behind, not_started "
        "or no_data.",
    )


def progress_rows(line: ProjectIndicator) -> list[dict[str, Any]]:
    return [
        {
            "start": step.start,
            "end": step.end,
            "target": step.target,
            "value": results.as_text(step.result.value),
            "achieved_pct": results.as_text(step.achieved_pct),
            "status": step.status,
        }
        for step in results.progress(line)
    ]


class ProjectIndicatorSerializer(serializers.ModelSerializer[ProjectIndicator]):
    framework = serializers.CharField(source="indicator.framework.code", read_only=True)
    code = serializers.CharField(source="indicator.code", read_only=True)
    wording_es = serializers.CharField(source="indicator.wording_es", read_only=True)
    wording_en = serializers.CharField(source="indicator.wording_en", read_only=True)
    unit = serializers.ChoiceField(source="indicator.unit", choices=Unit.choices, read_only=True)
    progress = serializers.SerializerMethodField(
        help_text="Each target beside the result for the same period."
    )

    class Meta:
        model = ProjectIndicator
        fields = ["framework", "code", "wording_es", "wording_en", "unit", "baseline", "progress"]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer(many=True))
    def get_progress(self, line: ProjectIndicator) -> Any:
        return ProgressSerializer(progress_rows(line), many=True).data


class ProjectSerializer(serializers.ModelSerializer[Project]):
    organization: Any = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    territory = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Region codes (admin 1); empty: wherever the organization reports.",
    )
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "uuid",
            "name",
            "organization",
            "organization_name",
            "donor",
            "starts_on",
            "ends_on",
            "territory",
            "budget",
            "currency",
            "indicator_count",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    indicators = ProjectIndicatorSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "description", "indicators"]
        read_only_fields = fields

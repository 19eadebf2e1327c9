"""Query filters of the indicators and projects API (django-filter)."""

from __future__ import annotations

import django_filters

from ruta.indicators.models import Indicator, Level, Project


class IndicatorFilter(django_filters.FilterSet):
    framework = django_filters.CharFilter(field_name="framework__code", label="Framework code")
    level = django_filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Indicator
        fields: list[str] = []


class ProjectFilter(django_filters.FilterSet):
    organization = django_filters.UUIDFilter(
        field_name="organization__uuid", label="Organization UUID"
    )

    class Meta:
        model = Project
        fields: list[str] = []

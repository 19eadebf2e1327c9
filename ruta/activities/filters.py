"""Query filters of the activities API (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ruta.activities.models import Activity, Sector, Session


class ActivityFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The first day must come before the last."))
        return data


class ActivityFilter(django_filters.FilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    type = django_filters.CharFilter(field_name="activity_type__code", label="Activity type code")
    admin1 = django_filters.CharFilter(field_name="admin1__code", label="Region code (admin 1)")
    # Both bounds name the same session: applied together in filter_queryset.
    since = django_filters.DateFilter(
        method="_sessions_held", label="Only activities with a session on or after this day"
    )
    until = django_filters.DateFilter(
        method="_sessions_held", label="Only activities with a session on or before this day"
    )

    class Meta:
        model = Activity
        fields: list[str] = []
        form = ActivityFilterForm

    @extend_schema_field(OpenApiTypes.DATE)
    def _sessions_held(self, queryset: QuerySet[Activity], name: str, value: Any) -> Any:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Activity]) -> Any:
        """The other filters, then: a session held between ``since`` and ``until`` (one
        session within both bounds, not one after ``since`` and another before ``until``)."""
        queryset = super().filter_queryset(queryset)
        since, until = self.form.cleaned_data.get("since"), self.form.cleaned_data.get("until")
        if since is None and until is None:
            return queryset
        held = Session.objects.filter(activity=OuterRef("pk"))
        if since is not None:
            held = held.filter(date__gte=since)
        if until is not None:
            held = held.filter(date__lte=until)
        return queryset.filter(Exists(held))

"""Training figures page: people trained by organization, country and sex; per course."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ruta.lib.permissions import Cap, capability_required
from ruta.network.models import Network
from ruta.trainings import figures
from ruta.trainings.models import Course, CourseStatus
from ruta.ui.forms import DateInput


class FiguresFilter(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.order_by("name"),
        required=False,
        empty_label=_("All networks"),
        to_field_name="slug",
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())


def filtered_figures(params: Any) -> tuple[FiguresFilter, figures.Figures]:
    form = FiguresFilter(params or None)
    network: Network | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    if form.is_valid():
        network = form.cleaned_data["network"]
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    courses = Course.objects.exclude(status=CourseStatus.DRAFT)
    if network is not None:
        courses = courses.filter(network=network)
    return form, figures.compute(list(figures.courses_in_period(courses, start, end)))


@capability_required(Cap.VIEW_AGGREGATES)
@require_GET
def figures_view(request: AuthenticatedRequest) -> HttpResponse:
    form, result = filtered_figures(request.GET)
    return render(request, "trainings/figures.html", {"form": form, "figures": result})

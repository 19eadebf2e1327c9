"""People reached under /api/v1/reach/ (read-only, counts only), from the monthly facts.

Who reads: ``Cap.VIEW_REACH``, scoped as the reach pages (``access.organization_scope``):
coordinators and analysts the network's figures, agency admins and supervisors their own
organization's; any other role gets 403, an anonymous caller 401.

The query: ``start`` and ``end`` as YYYY-MM (by default the last full month, as on the
reach page; ``start`` alone runs to the last full month, ``end`` alone is one month; at
most ``MAX_MONTHS``), ``by`` (the breakdown: month, organization, admin1, sector or
population type), and the filters ``organization`` (one in the reader's scope: another
answers 400), ``admin1`` and ``sector``. The answer: the period, how fresh the facts are,
and one row per key with the total monthly beneficiaries, the new beneficiaries and the
share not de-duplicated (anonymous counts). By month, every month of the period has its
row, in order; by anything else, the keys with figures only, organizations by name and the
others by their codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.activities.models import PopulationType, Sector
from ruta.agencies.models import Organization
from ruta.lib.permissions import Cap, HasCapability
from ruta.measure import facts
from ruta.measure.api_query import MONTH_PATTERN, MonthsQuerySerializer, read_query
from ruta.measure.reach import last_full_month, month_end
from ruta.places.models import AdminArea

MAX_MONTHS = 36
# The breakdown asked for -> the facts' column it groups by.
BY = {
    "month": "month",
    "organization": "organization_id",
    "admin1": "admin1",
    "sector": "sector",
    "population_type": "population_type",
}


class ReachQuerySerializer(MonthsQuerySerializer):
    """The query (documented by ``QUERY``): checks it and fills in the defaults."""

    by = serializers.ChoiceField(choices=list(BY), default="month")
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """``start`` and ``end`` as the first days of their months."""
        end = attrs.get("end") or last_full_month(self.context["today"])
        start = attrs.get("start") or end
        if start > end:
            raise serializers.ValidationError(
                {"start": [_("The first month must come before the last.")]}
            )
        if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            raise serializers.ValidationError(
                {"end": [_("Choose at most %(count)s months.") % {"count": MAX_MONTHS}]}
            )
        return {**attrs, "start": start, "end": end}


class ReachFreshnessSerializer(serializers.Serializer[Any]):
    refreshed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the facts were last computed; null: never."
    )
    pending_months = serializers.ListField(
        child=serializers.CharField(),
        help_text="Months (YYYY-MM) whose records changed since: the figures of the period "
        "(a change earlier in the same year changes who is new later) wait for the next "
        "refresh.",
    )


class ReachRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        allow_blank=True,
        help_text="The month (YYYY-MM), the organization's uuid, or the code of the region, "
        'sector or population type; "" where the records do not say.',
    )
    label = serializers.CharField(help_text="The key in words, for people.")  # type: ignore[assignment]
    total = serializers.IntegerField(
        help_text="Total monthly beneficiaries (added up over the months)."
    )
    new = serializers.IntegerField(help_text="New beneficiaries in the reporting year.")
    not_deduplicated = serializers.IntegerField(
        help_text="Of the total, people from anonymous counts (who may be counted twice)."
    )
    not_deduplicated_pct = serializers.IntegerField(
        help_text="The share of the total not de-duplicated (%), rounded; 0 without a total."
    )


class ReachSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(help_text="The first day of the first month.")
    end = serializers.DateField(help_text="The last day of the last month.")
    by = serializers.ChoiceField(choices=list(BY))
    organization = serializers.UUIDField(
        allow_null=True, help_text="The organization the figures are of; null: the network."
    )
    admin1 = serializers.CharField(allow_null=True, help_text="The region; null: everywhere.")
    sector = serializers.ChoiceField(
        choices=Sector.choices, allow_null=True, help_text="The sector; null: every sector."
    )
    freshness = ReachFreshnessSerializer()
    rows = ReachRowSerializer(many=True)


QUERY = [
    OpenApiParameter(
        "start",
        OpenApiTypes.STR,
        pattern=MONTH_PATTERN,
        description="First month, YYYY-MM (default: the same as the last).",
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.STR,
        pattern=MONTH_PATTERN,
        description=f"Last month, YYYY-MM (default: the last full month); at most "
        f"{MAX_MONTHS} months from the first.",
    ),
    OpenApiParameter(
        "by",
        OpenApiTypes.STR,
        enum=list(BY),
        default="month",
        description="One row per month, organization, region (admin 1), sector or population type.",
    ),
    OpenApiParameter(
        "organization",
        OpenApiTypes.UUID,
        description="Only this organization's figures. A reader of their own organization's "
        "figures always gets those: another organization answers 400.",
    ),
    OpenApiParameter(
        "admin1", OpenApiTypes.STR, description="Only this region (its code, e.g. PE-LIM)."
    ),
    OpenApiParameter(
        "sector", OpenApiTypes.STR, enum=Sector.values, description="Only this R4V sector."
    ),
]


def _labels(by: str, keys: list[Any]) -> dict[Any, tuple[str, str]]:
    """Each key of the breakdown -> (its key in the answer, its label)."""
    if by == "organization":
        organizations = Organization.objects.filter(pk__in=keys).only("uuid", "name", "acronym")
        return {org.pk: (str(org.uuid), org.acronym or org.name) for org in organizations}
    if by == "admin1":
        areas = AdminArea.objects.filter(code__in=keys)
        return {area.code: (area.code, area.name) for area in areas}
    names: dict[str, Any] = {}
    if by == "sector":
        names = dict(Sector.choices)
    elif by == "population_type":
        names = dict(PopulationType.choices)
    return {key: (key, str(name)) for key, name in names.items()}


def _rows(by: str, start: dt.date, end: dt.date, totals: list[facts.Total]) -> list[Any]:
    if by == "month":
        found = {total.key: total for total in totals}
        every = [
            found.get(month) or facts.Total(month, 0, 0, 0)
            for month in facts.months_between(start, end)
        ]
        return [
            _row(f"{total.key:%Y-%m}", date_format(total.key, "YEAR_MONTH_FORMAT"), total)
            for total in every
        ]
    labels = _labels(by, [total.key for total in totals])
    rows = []
    for total in totals:
        key, label = labels.get(total.key, (str(total.key or ""), str(total.key or "")))
        rows.append(_row(key, label or _("Unknown"), total))
    if by == "organization":  # by name; the others in the order of their codes
        rows.sort(key=lambda row: (row["label"], row["key"]))
    return rows


def _row(key: str, label: str, total: facts.Total) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "total": total.total,
        "new": total.new,
        "not_deduplicated": total.anonymous,
        "not_deduplicated_pct": total.not_deduplicated_pct,
    }


@extend_schema(
    tags=["reports"],
    summary="People reached in a period, by month, organization, region, sector or population type",
    parameters=QUERY,
    responses=ReachSerializer,
)
class ReachView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_REACH

    def get(self, request: Request) -> Response:
        query = read_query(request, ReachQuerySerializer)
        asked, admin1 = query.asked, query.admin1
        organization_ids, organization = query.organization_ids, query.organization
        filters: dict[str, Any] = {}
        if admin1:
            filters["admin1"] = admin1
        if asked.get("sector"):
            filters["sector"] = asked["sector"]
        start, end, by = asked["start"], asked["end"], asked["by"]
        totals = facts.breakdown(BY[by], start, end, organization_ids, **filters)
        freshness = facts.freshness(start, end)
        data = {
            "start": start,
            "end": month_end(end),
            "by": by,
            "organization": organization.uuid if organization else None,
            "admin1": admin1 or None,
            "sector": asked.get("sector"),
            "freshness": {
                "refreshed_at": freshness.refreshed_at,
                "pending_months": [f"{month:%Y-%m}" for month in freshness.pending],
            },
            "rows": _rows(by, start, end, totals),
        }
        return Response(ReachSerializer(data).data)

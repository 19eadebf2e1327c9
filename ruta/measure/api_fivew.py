"""The 5W under /api/v1/reports/5w/?month=YYYY-MM (read-only, counts only).

Per organization in the caller's scope (``access.organization_scope``: coordinators and
analysts the network, agency admins and supervisors their own organization): the latest
submitted version of the month or, where the organization has not submitted it, the live
draft built from the records now, flagged ``draft``. No personal data: the rows are
counts, and the person who submitted is not named.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.lib.permissions import Cap, HasCapability
from ruta.measure import fivew, submissions
from ruta.measure.access import organization_scope
from ruta.measure.registry import SexAge

GROUPS = {
    SexAge.GIRL: "girls",
    SexAge.BOY: "boys",
    SexAge.WOMAN: "women",
    SexAge.MAN: "men",
    SexAge.OTHER: "other",
}
# HXL hashtag -> the row's key in the API.
KEYS: dict[str, str] = {
    "#org+prog": "appealing_organization",
    "#org+impl": "implementing_organization",
    "#date+month": "month",
    "#country+code": "country",
    "#adm1+code": "admin1_code",
    "#adm1+name": "admin1_name",
    "#adm2+code": "admin2_code",
    "#sector": "sector",
    "#indicator": "indicator",
    "#population+type": "population_type",
    "#indicator+cva": "cva",
    "#reached+total": "total",
    "#reached+new": "new",
    **{f"#reached{fivew.GROUP_TAGS[g]}": name for g, name in GROUPS.items()},
    **{f"#reached+new{fivew.GROUP_TAGS[g]}": f"new_{name}" for g, name in GROUPS.items()},
    "#reached+lgbtiq": "lgbtiq",
    "#reached+disabled": "disability",
    "#indicator+pct+nodedup": "not_deduplicated_pct",
}
TEXT = [
    "appealing_organization",
    "implementing_organization",
    "month",
    "country",
    "admin1_code",
    "admin1_name",
    "admin2_code",
    "sector",
    "indicator",
    "population_type",
    "cva",
]


class FiveWRowSerializer(serializers.Serializer[Any]):
    appealing_organization = serializers.CharField()
    implementing_organization = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    admin1_code = serializers.CharField()
    admin1_name = serializers.CharField()
    admin2_code = serializers.CharField()
    sector = serializers.CharField()
    indicator = serializers.CharField()
    population_type = serializers.CharField()
    cva = serializers.CharField(help_text="yes or no")
    total = serializers.IntegerField(help_text="Total monthly beneficiaries")
    new = serializers.IntegerField(help_text="New beneficiaries in the reporting year")
    girls = serializers.IntegerField()
    boys = serializers.IntegerField()
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    other = serializers.IntegerField()
    new_girls = serializers.IntegerField()
    new_boys = serializers.IntegerField()
    new_women = serializers.IntegerField()
    new_men = serializers.IntegerField()
    new_other = serializers.IntegerField()
    lgbtiq = serializers.IntegerField()
    disability = serializers.IntegerField()
    not_deduplicated_pct = serializers.IntegerField(
        allow_null=True, help_text="Share not de-duplicated (%); null when not given"
    )


class FiveWColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    header = serializers.CharField()
    hxl = serializers.CharField(help_text="The HXL hashtag of the column")


class FiveWOrganizationSerializer(serializers.Serializer[Any]):
    organization = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["draft", "submitted", "corrected"])
    draft = serializers.BooleanField(help_text="True: live rows, not submitted yet")
    version = serializers.IntegerField(allow_null=True)
    origin = serializers.CharField(
        allow_null=True, help_text="records (built from the records) or import"
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    rows = FiveWRowSerializer(many=True)


class FiveWReportSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="YYYY-MM")
    columns = FiveWColumnSerializer(many=True)
    organizations = FiveWOrganizationSerializer(many=True)


def _row(row: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for tag, key in KEYS.items():
        value = row.get(tag, "")
        if key in TEXT:
            data[key] = "" if value is None else str(value)
        elif key == "not_deduplicated_pct":
            data[key] = int(value) if value not in ("", None) else None
        else:
            data[key] = int(value or 0)
    return data


@extend_schema(
    tags=["reports"],
    summary="R4V monthly 5W: submitted figures, or the live draft where not submitted",
    parameters=[
        OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; last month when omitted")
    ],
    responses=FiveWReportSerializer,
)
class FiveWView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_REACH

    def get(self, request: Request) -> Response:
        text = request.query_params.get("month", "")
        if text:
            month = submissions.parse_month(text)
            if month is None or month.year < 2000:
                raise ValidationError({"month": ["Use YYYY-MM, for example 2026-03."]})
        else:
            month = submissions.recent_months(1)[0]
        user: Any = request.user  # HasCapability let an authenticated account through
        parts = submissions.report(month, organization_scope(user))
        data = {
            "month": month.strftime("%Y-%m"),
            "columns": [
                {"key": KEYS[c.tag], "header": c.header, "hxl": c.tag} for c in fivew.columns()
            ],
            "organizations": [_part(part) for part in parts],
        }
        return Response(FiveWReportSerializer(data).data)


def _part(part: submissions.OrganizationReport) -> dict[str, Any]:
    submission = part.submission
    return {
        "organization": part.organization.uuid,
        "name": part.organization.acronym or part.organization.name,
        "status": "draft" if submission is None else part.status.state,
        "draft": part.draft,
        "version": submission.version if submission else None,
        "origin": submission.source if submission else None,
        "submitted_at": submission.submitted_at if submission else None,
        "rows": [_row(row) for row in part.rows],
    }

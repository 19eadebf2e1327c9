"""GBV statistics API (/api/v1/statistics/): the suppressed tables of a quarter for the
audience of the caller (analysts, the coordinator); anyone else gets 404."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.lib.permissions import AUTHENTICATED, HasCapability
from ruta.statistics import access, report, tables


@extend_schema(
    tags=["statistics"],
    summary="GBVIMS tables of a quarter, small cells suppressed (never a raw small count)",
    parameters=[
        OpenApiParameter(
            "quarter",
            OpenApiTypes.STR,
            description="Quarter as YYYY-Qn (default: the last whole quarter)",
        )
    ],
    responses={200: OpenApiTypes.OBJECT},
)
class GBVStatisticsView(APIView):
    permission_classes = [HasCapability]
    required_capability = AUTHENTICATED

    def get(self, request: Request) -> Response:
        audience = access.audience_of(request.user)
        if audience is None:
            raise NotFound
        code = request.query_params.get("quarter") or tables.last_quarter()
        period = tables.parse_period(code)
        if period is None or "Q" not in period.code:
            raise ValidationError({"quarter": [_("Enter a quarter as YYYY-Qn, e.g. 2026-Q3.")]})
        try:
            data = report.suppressed(audience, period)
        except report.AuditFailed as failed:
            raise NotFound(
                _("The suppression audit failed for this period: the tables are not shown.")
            ) from failed
        return Response(data)

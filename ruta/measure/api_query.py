"""What the figure APIs' queries share (the reach, an indicator's results): months given
as YYYY-MM, the organization whose figures are asked for, a region, and reading them off a
request with the reader's scope applied.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from ruta.accounts.http import signed_in
from ruta.agencies.models import Organization
from ruta.measure.access import OutOfScope, figures_of
from ruta.places.models import AdminArea

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
MONTH_ERRORS: dict[str, Any] = {
    "invalid": gettext_lazy("Enter a month as YYYY-MM, for example 2026-03.")
}
FIRST_YEAR, LAST_YEAR = 2000, 2100


class MonthsQuerySerializer(serializers.Serializer[Any]):
    """``start`` and ``end`` as the first days of their months, an organization's UUID and
    a region's code; a subclass adds its own fields and its defaults (``validate``)."""

    start = serializers.RegexField(MONTH_PATTERN, required=False, error_messages=MONTH_ERRORS)
    end = serializers.RegexField(MONTH_PATTERN, required=False, error_messages=MONTH_ERRORS)
    organization = serializers.UUIDField(required=False)
    admin1 = serializers.CharField(required=False, max_length=20)

    def _month(self, text: str) -> dt.date:
        year, month = int(text[:4]), int(text[5:7])  # the pattern let digits through only
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise serializers.ValidationError(
                _("Choose a month from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return dt.date(year, month, 1)

    def validate_start(self, value: str) -> dt.date:
        return self._month(value)

    def validate_end(self, value: str) -> dt.date:
        return self._month(value)


@dataclass(frozen=True)
class FiguresQuery:
    asked: dict[str, Any]  # the serializer's validated data
    organization_ids: frozenset[int] | None  # whose figures; None: the whole network
    organization: Organization | None  # the one organization they are of; None: several
    admin1: str | None


def read_query(request: Request, serializer: type[MonthsQuerySerializer]) -> FiguresQuery:
    """The query of ``request`` (empty parameters count as not given) checked by
    ``serializer``, then the organization asked for within the reader's scope (another
    answers 400, as one that does not exist) and the region (a known admin 1 code)."""
    given = {key: value for key, value in request.query_params.items() if value != ""}
    query = serializer(data=given, context={"today": timezone.localdate()})
    query.is_valid(raise_exception=True)
    asked = dict(query.validated_data)
    chosen: uuid.UUID | None = asked.get("organization")
    try:
        organization_ids, organization = figures_of(signed_in(request), chosen)
    except OutOfScope:
        raise ValidationError(
            {"organization": [_("Choose an organization whose figures you may read.")]}
        ) from None
    admin1 = asked.get("admin1") or None
    if admin1 and not AdminArea.objects.filter(code=admin1, level=1).exists():
        raise ValidationError({"admin1": [_("Unknown region code.")]})
    return FiguresQuery(asked, organization_ids, organization, admin1)

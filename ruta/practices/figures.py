"""What the network report reads from the inventory: the practices published in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ruta.practices.models import Practice, PracticeStatus


def _bounds(start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> Q:
    condition = Q()
    if isinstance(start, dt.datetime):
        condition &= Q(published_at__gte=start)
    else:
        condition &= Q(published_at__date__gte=start)
    if isinstance(end, dt.datetime):
        condition &= Q(published_at__lte=end)
    else:
        condition &= Q(published_at__date__lte=end)
    return condition


def published_practices(
    organization_ids: Iterable[int] | None,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
) -> QuerySet[Practice]:
    """Practices published now whose publication falls within [start, end] (inclusive).

    With ``organization_ids``, only practices of at least one of those organizations
    (among their organizations or as owner). Ordered by publication date then code.
    """
    practices = Practice.objects.filter(_bounds(start, end), status=PracticeStatus.PUBLISHED)
    if organization_ids is not None:
        ids = list(organization_ids)
        through = Practice.organizations.through.objects.filter(organization_id__in=ids)
        practices = practices.filter(Q(pk__in=through.values("practice_id")) | Q(owner_id__in=ids))
    return practices.select_related("owner").order_by("published_at", "code")

"""Filters shared by the API's lists (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters

from ruta.lib.clock import utc_instant


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 instant, compared in UTC: ISO 8601 allows offsets up to ±23:59 that
    PostgreSQL refuses beyond ±15:59. An instant past year 9999 in UTC is after every
    record, one before year 1 before every record."""

    def filter(self, qs: Any, value: Any) -> Any:
        return super().filter(qs, None if value is None else utc_instant(value))

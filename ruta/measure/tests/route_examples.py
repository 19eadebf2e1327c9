"""URL arguments for the measure routes (see test_route_permissions)."""

from __future__ import annotations

from typing import Any


def examples(world: Any) -> dict[str, dict[str, Any]]:
    from ruta.measure.models import PublicFigures

    PublicFigures.objects.update_or_create(pk=1, defaults={"enabled": True})
    return {
        "measure:public": {},
        "measure:public_csv": {"kwargs": {"chart": "months"}},
        "measure:public_switch": {"method": "post", "data": {"enabled": "on"}},
        "measure:fivew_download": {"kwargs": {"fmt": "csv"}},
        "measure:fivew_month": {"kwargs": {"month": "2026-03"}},
        "measure:fivew_consolidated_download": {"kwargs": {"fmt": "csv"}},
        "measure:dashboard_csv": {"kwargs": {"chart": "sector"}},
    }

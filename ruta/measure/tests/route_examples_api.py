"""URL arguments for the reach API (see test_route_permissions): a period and a breakdown
(the route takes no argument in its path)."""

from __future__ import annotations

from typing import Any


def examples(world: Any) -> dict[str, dict[str, Any]]:
    return {"reach_api:reach": {"query": "start=2026-01&end=2026-03&by=sector"}}

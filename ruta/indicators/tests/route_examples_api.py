"""URL arguments for the indicators and projects API (see test_route_permissions).

The network's "sessions held" indicator (a computed one), and a CARE project that
selected it with one target: every reach reader may read it (CARE's own readers, and the
network's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruta.indicators.tests.factories import add_line, indicator, make_project


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_indicators_examples", None)
    if cached is not None:
        return cached
    project = make_project(world.care, "Proyecto de ejemplo para la API")
    add_line(
        project,
        indicator("ruta-network", "R4"),
        [(dt.date(2026, 1, 1), dt.date(2026, 6, 30), "12")],
    )
    one = {"framework": "ruta-network", "code": "R4"}
    found: dict[str, dict[str, Any]] = {
        "indicators_api:indicator-detail": {"kwargs": one},
        "indicators_api:indicator-results": {"kwargs": one},
        "projects_api:project-detail": {"kwargs": {"uuid": project.uuid}},
    }
    world._indicators_examples = found
    return found

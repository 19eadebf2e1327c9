"""URL arguments for the gazetteer import's routes (see test_route_permissions)."""

from __future__ import annotations

from typing import Any


def examples(world: Any) -> dict[str, dict[str, Any]]:
    return {
        # Nothing was uploaded in this session: back to the upload page.
        "gazetteer:confirm": {"method": "post"},
    }

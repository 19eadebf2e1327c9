"""URL arguments and methods for the notification routes (see test_route_permissions)."""

from __future__ import annotations

from typing import Any


def examples(world: Any) -> dict[str, dict[str, Any]]:
    return {"notifications:read": {"method": "post"}}

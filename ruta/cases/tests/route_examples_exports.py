"""URL arguments for the case exports (see test_route_permissions): the supervisor's case
list and the survivor's record of the example case."""

from __future__ import annotations

from typing import Any

from ruta.cases.tests.route_examples_cases import example_case


def examples(world: Any) -> dict[str, dict[str, Any]]:
    case = example_case(world)
    return {
        "cases:case_list_export": {"method": "post", "data": {"format": "csv"}},
        "cases:record_export": {"kwargs": {"case_uuid": case.uuid}},
    }

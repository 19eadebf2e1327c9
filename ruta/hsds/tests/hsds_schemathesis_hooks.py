"""Schemathesis command-line hooks: read the official HSDS openapi.json offline.

    SCHEMATHESIS_HOOKS=ruta.hsds.tests.hsds_schemathesis_hooks \\
      .venv/bin/schemathesis run ruta/hsds/schema/openapi.json \\
      --url http://127.0.0.1:8000/api/hsds --checks all

Not imported by the test suite (hooks registered here are global to the process).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from ruta.hsds.tests.hsds_openapi import local_refs


@schemathesis.hook
def before_load_schema(context: Any, raw_schema: dict[str, Any]) -> None:
    local_refs(raw_schema)

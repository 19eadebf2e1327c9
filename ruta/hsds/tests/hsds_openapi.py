"""Open Referral's own HSDS 3.0 ``openapi.json``, made loadable offline for schemathesis.

The vendored file is never edited. In memory only: its remote ``$ref`` URLs to the
specification repository are pointed at the vendored copies of the same files, and, when
a base URL is given, ``servers`` points at Ruta's ``/api/hsds``. Used by the contract
test and, through ``hsds_schemathesis_hooks``, by the schemathesis command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
OFFICIAL_FILE = SCHEMA_DIR / "openapi.json"
# Where openapi.json's "$ref"s point: the 3.0 branch of github.com/openreferral/specification.
REMOTE_SCHEMA_DIR = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def local_refs(node: Any) -> None:
    """Point every remote HSDS ``$ref`` under ``node`` at the vendored file, in place."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REMOTE_SCHEMA_DIR):
            node["$ref"] = SCHEMA_DIR.as_uri() + "/" + ref.removeprefix(REMOTE_SCHEMA_DIR)
        for value in node.values():
            local_refs(value)
    elif isinstance(node, list):
        for value in node:
            local_refs(value)


def official_openapi(base_url: str | None = None) -> dict[str, Any]:
    """A fresh copy of the official document, offline, optionally served at ``base_url``."""
    document: dict[str, Any] = json.loads(OFFICIAL_FILE.read_text())
    local_refs(document)
    if base_url is not None:
        document["servers"] = [{"url": base_url}]
    return document

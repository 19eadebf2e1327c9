"""The live routes and how to call them, shared by the route tests.

``ROUTES`` walks the URL resolver; ``route_rule`` reads the rule a view declares
(``ruta_rule`` on function views, ``required_capability`` on DRF views); ``request``
calls a route with the arguments its ``route_examples*.py`` module gives.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ruta.lib.permissions import Role

# The user of the fixture world who plays each role (CARE, where a role is per agency).
ROLE_KEYS = {
    Role.ADMIN: "admin",
    Role.COORDINATOR: "coordinator",
    Role.ANALYST: "analyst",
    Role.AGENCY_ADMIN: "agency_admin.care",
    Role.SUPERVISOR: "supervisor.care",
    Role.CASEWORKER: "caseworker.care",
    Role.HELPLINE: "helpline.care",
}


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            found.append((name or prefix + str(entry.pattern), entry.callback))
    return found


def route_rule(callback: Any) -> Any:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None and hasattr(view_class, "required_capability"):
        return view_class.required_capability
    return getattr(callback, "ruta_rule", None)


def is_api_view(callback: Any) -> bool:
    return getattr(callback, "cls", None) is not None


ROUTES: list[tuple[str, Any]] = sorted(
    {name: cb for name, cb in _walk(get_resolver().url_patterns)}.items()
)


# Objects a route needs in its URL come from ``ruta/<app>/tests/route_examples*.py``
# modules: ``examples(world) -> {url name: {"kwargs": {...}, "method": "post", "data": {...}}}``
# (method "get", the default, "post", or "patch" with a JSON body).
# A route whose URL needs arguments and has no example fails in ``reverse``.
@functools.cache
def _example_modules() -> list[Any]:
    root = Path(__file__).resolve().parents[2]
    return [
        importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))
        for path in sorted(root.glob("*/tests/route_examples*.py"))
    ]


# Which example module holds which URL names, learnt the first time each module runs:
# afterwards a test builds only the one module its route needs (each builds cases,
# referrals, meetings... in the database, so building them all for every test is slow).
_NAMES_BY_MODULE: dict[str, frozenset[str]] = {}


def example(world: Any, name: str) -> dict[str, Any]:
    modules = _example_modules()
    known = [m for m in modules if name in _NAMES_BY_MODULE.get(m.__name__, frozenset())]
    unknown = [m for m in modules if m.__name__ not in _NAMES_BY_MODULE]
    for module in known + unknown:
        found = module.examples(world)
        _NAMES_BY_MODULE[module.__name__] = frozenset(found)
        if name in found:
            chosen: dict[str, Any] = found[name]
            return chosen
    return {}


def request(client: Any, name: str, world: Any) -> Any:
    chosen = example(world, name)
    url = reverse(name, kwargs=chosen.get("kwargs", {}))
    if chosen.get("query"):
        url += "?" + chosen["query"]
    method = chosen.get("method", "get")
    if method == "post":
        return client.post(url, chosen.get("data", {}))
    if method == "patch":  # API routes only: a JSON body
        return client.patch(url, chosen.get("data", {}), content_type="application/json")
    return client.get(url)

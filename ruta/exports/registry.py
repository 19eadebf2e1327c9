"""Producers of exports, by kind. Apps (this one included) register theirs at start-up
(``AppConfig.ready()`` or ``hooks.py``); the background task calls the one of its kind.

A producer gets the export row (owner, organization, language) and its parameters and
returns the file; it decides again, as the owner, what the owner may see (access may
have changed since the request) and raises ``ExportRefused`` when nothing is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from ruta.exports.models import SecureExport
    from ruta.lib.permissions import Cap


@dataclass(frozen=True)
class Produced:
    content: bytes
    filename: str
    content_type: str
    # The uuids of the cases the file shows: each download names them in the audit trail.
    cases: tuple[str, ...] = ()


class ExportRefused(Exception):
    """The owner may no longer have this file (the reason is for logs, never personal)."""


ProduceFn = Callable[["SecureExport", dict[str, Any]], Produced]


@dataclass(frozen=True)
class Producer:
    kind: str
    label: str | Promise
    produce: ProduceFn
    # The owner must still hold it to download (a role changed since: nothing to fetch).
    capability: Cap | None = None


_producers: dict[str, Producer] = {}


def register(producer: Producer) -> None:
    known = _producers.get(producer.kind)
    if known is not None and known != producer:
        raise ValueError(f"Export kind {producer.kind!r} is registered twice.")
    _producers[producer.kind] = producer


def producer(kind: str) -> Producer | None:
    return _producers.get(kind)


def label(kind: str) -> str:
    found = _producers.get(kind)
    return str(found.label) if found else kind

"""What is built from the directory and kept in Django's cache, keyed on its version.

The version is a token in the database (``DirectoryVersion``) that triggers change on every
write to the directory's tables, so a value cached by one process is never served after a
change made by another: each request reads the token (one indexed row) and looks up
``<name>:<token>``. Nothing is kept in process memory; the cache is whatever ``CACHES``
configures (per process by default, shared when Redis or Memcached is configured), and
an entry of an old version simply ages out.

Why the database and not a counter in a shared cache: the database is the one store every
process of a deployment shares, it sees every writer (imports, the admin, raw SQL, other
apps), and a token changed inside a transaction becomes visible exactly when its data does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from ruta.directory.models import DirectoryVersion

T = TypeVar("T")

# An old version's entries are never read again; a day bounds what they hold on to.
TIMEOUT = 24 * 60 * 60


# Within one request the token is read once (the page cache, the finder's choices and its
# time zones all ask for it). Outside requests (commands, tasks, tests between requests)
# it is read every time. A request that writes to the directory and then builds finder
# choices would see the token it started with: no view does both.
_request = Local()
_UNREAD = object()


def _request_started(**_kwargs: Any) -> None:
    _request.token = _UNREAD


def _request_finished(**_kwargs: Any) -> None:
    with contextlib.suppress(AttributeError):
        del _request.token


request_started.connect(_request_started, dispatch_uid="ruta.directory.version.started")
request_finished.connect(_request_finished, dispatch_uid="ruta.directory.version.finished")


def _read_token() -> int | None:
    tokens = DirectoryVersion.objects.filter(pk=1).values_list("token", flat=True)
    return next(iter(tokens), None)


def directory_token() -> int | None:
    """The directory's current version, or None when its row is missing (a flushed test
    database): then nothing is cached."""
    remembered = getattr(_request, "token", None)
    if remembered is None:
        return _read_token()
    if remembered is _UNREAD:
        remembered = _request.token = _read_token()
    return remembered


def cached_for_directory(name: str, build: Callable[[], T]) -> T:
    """``build()``, or what it returned for this version of the directory."""
    token = directory_token()
    if token is None:
        return build()
    key = f"ruta:directory:{name}:{token}"
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value

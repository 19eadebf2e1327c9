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

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from ruta.directory.models import DirectoryVersion

T = TypeVar("T")

# An old version's entries are never read again; a day bounds what they hold on to.
TIMEOUT = 24 * 60 * 60


def directory_token() -> int | None:
    """The directory's current version, or None when its row is missing (a flushed test
    database): then nothing is cached."""
    tokens = DirectoryVersion.objects.filter(pk=1).values_list("token", flat=True)
    return next(iter(tokens), None)


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

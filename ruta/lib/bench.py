"""What every benchmark command checks before it spends minutes generating data, and how it
leaves the database behind it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import CommandError
from django.db import connection

# What a benchmark's child process must not inherit: it runs on its own scratch database
# with the test settings' keys and hosts, whatever the parent's environment says.
SCRATCH_ENV_DROPPED = (
    "DATABASE_URL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "RUTA_FIELD_KEYS",
    "RUTA_FIELD_KEYS_FILE",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "DEBUG",
    "RUTA_DEMO",
)


def child_environment() -> dict[str, str]:
    """This process's environment less ``SCRATCH_ENV_DROPPED``: a child's starting point."""
    return {k: v for k, v in os.environ.items() if k not in SCRATCH_ENV_DROPPED}


def require_static_manifest(storage: Any = None) -> None:
    """Pages render ``{% static %}`` through the manifest when DEBUG is off: without
    ``collectstatic`` every timed page would fail after the whole generation."""
    if storage is None:
        staticfiles_storage.url  # noqa: B018  (resolve the lazy storage)
        storage = getattr(staticfiles_storage, "_wrapped", staticfiles_storage)
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return
    if storage.read_manifest() is None:
        raise CommandError(
            "The static files manifest is missing (DEBUG is off): run "
            "'manage.py collectstatic --no-input' first, or set DEBUG=true."
        )


def vacuum_analyze() -> str:
    """After a rolled-back generation on PostgreSQL the rows it wrote stay as dead tuples
    until a vacuum: without one, the next run measures a bloated database. Runs outside any
    transaction; says what it did."""
    if connection.vendor != "postgresql":
        return ""
    if connection.in_atomic_block:
        return "VACUUM skipped: the command ran inside an outer transaction."
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return "VACUUM ANALYZE done: the rolled-back rows leave no dead tuples behind."


def run_child(command: list[str], env: dict[str, str], out: Any) -> int:
    """Run ``command`` (our own ``manage.py``) from the project folder and stream what it
    prints to ``out`` (a command's stdout) line by line as it comes; its exit status."""
    process = subprocess.Popen(  # noqa: S603  (our own manage.py, fixed arguments)
        command,
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        out.write(line.rstrip("\n"))
        out.flush()
    return process.wait()


def scratch_postgres(server: str, prefix: str = "ruta_bench") -> tuple[str, Callable[[], None]]:
    """Create a new database ``<prefix>_<pid>`` on the PostgreSQL ``server`` (a URL such as
    ``postgres://postgres@127.0.0.1:5432/postgres``): its URL, and a function that drops
    it (whoever is still connected)."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    parts = urlsplit(server)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop

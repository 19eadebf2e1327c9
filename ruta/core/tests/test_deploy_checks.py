"""Production settings refuse unsafe set-ups; `check --deploy` is clean on a proper one.

Each case runs ``manage.py`` in a fresh process with production settings (``ruta.settings``)
and a throwaway SQLite database, as an operator would.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]

# Everything the test settings (or the caller's shell) may have put in the environment:
# the conftest's DJANGO_ALLOW_ASYNC_UNSAFE, test secrets, DEBUG, database, security knobs.
CLEARED_PREFIXES = ("DJANGO_", "RUTA_", "SECURE_", "SECRET_KEY", "DATABASE_URL", "DB_")
CLEARED = {"DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "TIME_ZONE", "EMAIL_BACKEND"}


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in CLEARED and not key.startswith(CLEARED_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ruta.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        DEBUG="false",
        ALLOWED_HOSTS="ruta.example.org",
    )
    env.update(values)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a loaded machine can take minutes to migrate a fresh database
        check=False,
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run(env, "manage.py", *args)


def _production(tmp_path: Path) -> dict[str, str]:
    return _env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        RUTA_FIELD_KEYS=Fernet.generate_key().decode(),
    )


def test_refuses_the_demo_secret_key(tmp_path: Path) -> None:
    result = _manage(
        _env(tmp_path, RUTA_FIELD_KEYS=Fernet.generate_key().decode()), "check", "--deploy"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_refuses_a_missing_field_key(tmp_path: Path) -> None:
    env = _env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    result = _manage(env, "check", "--deploy")
    assert result.returncode != 0
    assert "RUTA_FIELD_KEYS" in result.stderr


def test_secrets_are_read_from_files(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")
    keys_file = tmp_path / "field_keys"
    keys_file.write_text(Fernet.generate_key().decode(), encoding="utf-8")
    env = _env(tmp_path, SECRET_KEY_FILE=str(secret_file), RUTA_FIELD_KEYS_FILE=str(keys_file))
    result = _run(
        env,
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY); print(settings.RUTA_FIELD_KEYS[0])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        secret_file.read_text(encoding="utf-8").strip(),
        keys_file.read_text(encoding="utf-8"),
    ]


@pytest.fixture
def migrated(tmp_path: Path) -> dict[str, str]:
    env = _production(tmp_path)
    result = _manage(env, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return env


def test_clean_production_setup_then_demo_users_are_refused(migrated: dict[str, Any]) -> None:
    clean = _manage(
        migrated, "check", "--deploy", "--database", "default", "--fail-level", "WARNING"
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no issues" in clean.stdout

    created = _manage(
        migrated,
        "shell",
        "-c",
        "from ruta.agencies.models import Organization; from ruta.accounts.models import User; "
        "org = Organization.objects.create(name='Demo', type='ngo'); "
        "User.objects.create_user(email='demo@ruta.example.org', password='demo-ruta-2026', "
        "role='caseworker', organization=org, is_demo=True)",
    )
    assert created.returncode == 0, created.stderr

    refused = _manage(migrated, "check", "--deploy", "--database", "default")
    assert refused.returncode != 0
    assert "ruta.E003" in refused.stdout + refused.stderr

    wsgi = _run(migrated, "-c", "import ruta.wsgi")
    assert wsgi.returncode != 0
    assert "ImproperlyConfigured" in wsgi.stderr
    assert "remove_demo" in wsgi.stderr


def test_startup_objects_are_frozen_out_of_the_collectors_way() -> None:
    import gc

    from ruta.lib.startup import freeze_startup_objects

    gc.unfreeze()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000  # modules, URL patterns, catalogues
        assert "ruta.directory.views_public" in __import__("sys").modules
    finally:
        gc.unfreeze()

"""Database connections are kept between requests on both databases, and a kept SQLite
connection is given up once its path names another file (a restore, a move)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from ruta.lib.db.sqlite3.base import DatabaseWrapper


def test_connections_are_kept_and_checked_before_reuse() -> None:
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True
    if connections["default"].vendor == "sqlite":
        assert isinstance(connections["default"], DatabaseWrapper)


def _wrapper(path: Path) -> DatabaseWrapper:
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "ruta.lib.db.sqlite3",
        "NAME": str(path),
        "OPTIONS": {},
        "TEST": {},
    }
    return DatabaseWrapper(settings_dict, alias="kept-connection-probe")


@pytest.mark.django_db  # (the probe opens its own file, beside the test database)
def test_a_kept_sqlite_connection_is_unusable_once_its_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "ruta.sqlite3"
    wrapper = _wrapper(path)
    try:
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
        assert wrapper.is_usable()
        shutil.copy(path, tmp_path / "restored.sqlite3")
        (tmp_path / "restored.sqlite3").replace(path)  # a restore puts another file there
        assert not wrapper.is_usable()
        wrapper.close()
        wrapper.ensure_connection()  # the next request opens the file now at the path
        assert wrapper.is_usable()
        path.unlink()
        assert not wrapper.is_usable()
    finally:
        wrapper.close()

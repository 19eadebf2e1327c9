"""What the benchmark commands check before generating and how they leave the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, StaticFilesStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from ruta.lib.bench import require_static_manifest, vacuum_analyze


@override_settings(DEBUG=False)
def test_a_missing_manifest_stops_the_benchmark_before_it_generates(tmp_path: Any) -> None:
    storage = ManifestStaticFilesStorage(location=str(tmp_path))
    with pytest.raises(CommandError, match="collectstatic"):
        require_static_manifest(storage)


@override_settings(DEBUG=False)
def test_a_collected_manifest_or_plain_storage_passes(tmp_path: Any) -> None:
    storage = ManifestStaticFilesStorage(location=str(tmp_path))
    (tmp_path / "app.css").write_text("body{}")
    storage.hashed_files = {"app.css": "app.abc123.css"}
    storage.save_manifest()
    require_static_manifest(storage)
    require_static_manifest(StaticFilesStorage(location=str(tmp_path)))


@override_settings(DEBUG=False)
def test_bench_cases_refuses_before_generating_without_the_manifest(
    db: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ruta.lib.bench as bench

    monkeypatch.setattr(
        bench, "staticfiles_storage", ManifestStaticFilesStorage(location=str(tmp_path))
    )
    generated: list[int] = []
    monkeypatch.setattr(
        "ruta.cases.management.commands.bench_cases.generate",
        lambda *args: generated.append(1),
    )
    with pytest.raises(CommandError, match="collectstatic"):
        call_command("bench_cases", cases=100, repeat=1)
    assert generated == []


@pytest.mark.django_db(transaction=True)
def test_vacuum_runs_on_postgresql_outside_a_transaction() -> None:
    said = vacuum_analyze()
    if connection.vendor == "postgresql":
        assert said.startswith("VACUUM ANALYZE done")
    else:
        assert said == ""


@pytest.mark.django_db
def test_vacuum_inside_a_transaction_says_it_was_skipped() -> None:
    said = vacuum_analyze()
    if connection.vendor == "postgresql":
        assert "skipped" in said
    else:
        assert said == ""

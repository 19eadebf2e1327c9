"""Benchmark the HSDS import on scratch databases: a benchmark, not a timed test.

``manage.py bench_import [--services N] [--postgres URL]`` never touches the project
database. It runs three child processes (settings ``ruta.test_settings``, DEBUG off):

1. in a first scratch database, generates N services as ``bench_directory`` does (fixed
   random seed) and writes Ruta's own tabular export of them to a temporary zip;
2. in a second, freshly migrated scratch database, times the floor, the same rows read
   from the zip's CSV files into plain tables of text columns (SQLite ``executemany``,
   PostgreSQL ``COPY``) in one transaction, then the dry run (read and check);
3. in that second database, in a process of its own (so that neither the generation nor
   the dry run counts in its memory), times the real import and reports its peak RSS.

It prints rows per second beside the floor's, the ratio, and peak memory, with the
targets of issue #18: at least 25,000 rows/s, at most 5x the floor, at most 300 MB, and
a dry run of at least 50,000 rows/s. The scratch SQLite files live in the temporary
folder; on PostgreSQL (``--postgres postgres://postgres@127.0.0.1:5432/postgres``) the
databases are ``ruta_bench_import_gen_<pid>`` and ``ruta_bench_import_<pid>``, dropped
afterwards like the zip (``--keep`` keeps them and says where they are).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from ruta.lib.bench import child_environment, scratch_postgres

CHILD_FLAG = "RUTA_BENCH_IMPORT_DB"
STAGES = ("generate", "floor", "import")
PREFIXES = {"generate": "ruta_bench_import_gen", "import": "ruta_bench_import"}
RESULT = "BENCH-RESULT "
# Issue #18's targets for the import of ~380,000 rows.
TARGET_ROWS_PER_S = 25_000
TARGET_X_FLOOR = 5.0
TARGET_PEAK_MB = 300.0
TARGET_DRY_ROWS_PER_S = 50_000


def csv_tables(path: Path) -> Iterator[tuple[str, list[str], Iterator[list[str]]]]:
    """Each CSV file of the zip: its table name, header and rows, streamed."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".csv"):
                continue
            with archive.open(info) as member:
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                reader = csv.reader(text)
                header = next(reader, None)
                if header is None:
                    continue
                yield PurePosixPath(info.filename).stem, header, reader


def floor_load(path: Path) -> int:
    """The same rows into plain tables, as fast as the database takes them; the row count."""
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table, header, reader in csv_tables(path):
            name = connection.ops.quote_name(f"floor_{table}")
            columns = ", ".join(connection.ops.quote_name(column) for column in header)
            cursor.execute(
                f"CREATE TABLE {name} ({', '.join(f'{c} text' for c in columns.split(', '))})"
            )
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row([cell or None for cell in row])
                        rows += 1
            else:
                marks = ", ".join("?" for _ in header)
                counted = _counting(reader)
                cursor.cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", counted)  # noqa: S608
                rows += counted.count
        transaction.set_rollback(True)  # the floor's tables are not kept
    return rows


class _counting:
    def __init__(self, rows: Iterator[list[str]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> _counting:
        return self

    def __next__(self) -> list[str | None]:
        row = next(self.rows)
        self.count += 1
        return [cell or None for cell in row]


def _zip_counts(path: Path) -> dict[str, Any]:
    """What the generation stage says of an export made by an earlier run."""
    counts = {table: sum(1 for _row in reader) for table, _header, reader in csv_tables(path)}
    return {
        "rows": sum(counts.values()),
        "zip_mb": path.stat().st_size / 1e6,
        "exported_services": counts.get("services", 0),
    }


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return value, time.perf_counter() - wall, time.process_time() - cpu


class Command(BaseCommand):
    help = (
        "Generate N services, export them with Ruta's tabular export and time the import of "
        "that zip into a fresh scratch database beside the executemany/COPY floor."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=20000, help="services to generate")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--postgres",
            default="",
            metavar="URL",
            help="a PostgreSQL server URL: run on scratch databases created there",
        )
        parser.add_argument("--keep", action="store_true", help="keep the databases and zip")
        parser.add_argument(
            "--reuse-zip",
            default="",
            metavar="PATH",
            help="the export to import: generated there (and kept) when the file does not exist",
        )
        parser.add_argument("--stage", choices=STAGES, help=Command.suppressed)
        parser.add_argument("--zip", default="", help=Command.suppressed)

    suppressed = "(internal: the child process's stage)"

    def handle(self, *args: Any, **options: Any) -> None:
        if options["services"] < 20:
            raise CommandError("Use at least 20 services.")
        if options["stage"]:
            if not os.environ.get(CHILD_FLAG):
                raise CommandError("--stage is for the benchmark's own child processes.")
            self._stage(options["stage"], Path(options["zip"]), options)
        else:
            self._parent(options)

    # --- Parent: never opens the project database ---------------------------------------

    def _scratch(self, options: dict[str, Any], stage: str) -> tuple[str, str, Callable[[], None]]:
        """A new scratch database: its URL, what to print, and how to remove it."""
        if options["postgres"]:
            url, drop = scratch_postgres(options["postgres"], prefix=PREFIXES[stage])
            return url, url, drop
        handle, name = tempfile.mkstemp(prefix=f"{PREFIXES[stage]}-", suffix=".sqlite3")
        os.close(handle)

        def remove() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)

        return f"sqlite:///{name}", name, remove

    def _parent(self, options: dict[str, Any]) -> None:
        cleanups: list[Callable[[], None]] = []
        results: dict[str, Any] = {}
        stages = [("generate", "generate"), ("floor", "import")]
        if options["reuse_zip"]:
            zip_name = options["reuse_zip"]
            if Path(zip_name).is_file():
                stages = stages[1:]
                results.update(_zip_counts(Path(zip_name)))
        else:
            handle, zip_name = tempfile.mkstemp(prefix="ruta-bench-import-", suffix=".zip")
            os.close(handle)
            cleanups.append(lambda: Path(zip_name).unlink(missing_ok=True))
        try:
            for stage, database in stages:
                if database not in results:
                    url, where, cleanup = self._scratch(options, database)
                    cleanups.append(cleanup)
                    results[database] = (url, where)
                results.update(self._child(stage, results[database], zip_name, options))
            results.update(self._child("import", results["import"], zip_name, options))
        finally:
            if options["keep"]:
                self.stdout.write(
                    f"Kept: {zip_name}, {results.get('generate')}, {results.get('import')}"
                )
            else:
                for cleanup in cleanups:
                    cleanup()
        self._print(results)

    def _child(
        self, stage: str, database: tuple[str, str], zip_name: str, options: dict[str, Any]
    ) -> dict[str, Any]:
        url, _where = database
        env = child_environment()
        env.update(
            {
                CHILD_FLAG: url,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "ruta.test_settings",
                "PYTHONUNBUFFERED": "1",
            }
        )
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_import",
            "--stage",
            stage,
            "--zip",
            zip_name,
            "--services",
            str(options["services"]),
            "--seed",
            str(options["seed"]),
        ]
        process = subprocess.Popen(  # noqa: S603  (our own manage.py, fixed arguments)
            command,
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        found: dict[str, Any] = {}
        for line in process.stdout:
            if line.startswith(RESULT):
                found.update(json.loads(line[len(RESULT) :]))
            else:
                self.stdout.write(line.rstrip("\n"))
        if process.wait():
            raise CommandError(f"The {stage} stage failed (exit status {process.returncode}).")
        return found

    def _print(self, r: dict[str, Any]) -> None:
        rows = r["rows"]
        floor_rate = rows / r["floor_s"]
        dry_rate = rows / r["dry_s"]
        rate = rows / r["import_s"]
        self.stdout.write("")
        self.stdout.write(
            f"HSDS import of {r['zip_mb']:.1f} MB ({rows:,} rows, {r['exported_services']:,} "
            f"services) on {r['database']}; load {os.getloadavg()[0]:.2f} "
            f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, {os.cpu_count()} CPUs"
        )
        line = "{:<34} {:>9} {:>9} {:>10} {:>8}  {}"
        self.stdout.write(line.format("measure", "wall s", "cpu s", "rows/s", "x floor", "target"))
        self.stdout.write(
            line.format(
                f"floor ({r['floor_kind']})",
                f"{r['floor_s']:.2f}",
                f"{r['floor_cpu_s']:.2f}",
                f"{floor_rate:,.0f}",
                "1.0",
                "",
            )
        )
        self.stdout.write(
            line.format(
                "dry run (read and check)",
                f"{r['dry_s']:.2f}",
                f"{r['dry_cpu_s']:.2f}",
                f"{dry_rate:,.0f}",
                f"{r['dry_s'] / r['floor_s']:.1f}",
                f">= {TARGET_DRY_ROWS_PER_S:,} rows/s "
                + ("ok" if dry_rate >= TARGET_DRY_ROWS_PER_S else "MISSED"),
            )
        )
        ratio = r["import_s"] / r["floor_s"]
        self.stdout.write(
            line.format(
                "import",
                f"{r['import_s']:.2f}",
                f"{r['import_cpu_s']:.2f}",
                f"{rate:,.0f}",
                f"{ratio:.1f}",
                f">= {TARGET_ROWS_PER_S:,} rows/s "
                + ("ok" if rate >= TARGET_ROWS_PER_S else "MISSED")
                + f", <= {TARGET_X_FLOOR:.0f}x floor "
                + ("ok" if ratio <= TARGET_X_FLOOR else "MISSED"),
            )
        )
        peak = r["import_peak_mb"]
        self.stdout.write(
            f"import peak RSS {peak:.0f} MB (process before the import: "
            f"{r['import_start_mb']:.0f} MB), <= {TARGET_PEAK_MB:.0f} MB "
            + ("ok" if peak <= TARGET_PEAK_MB else "MISSED")
        )
        self.stdout.write(f"import: {r['import_queries']} SQL statements; counts {r['counts']}")

    # --- Children: each works in its scratch database only -------------------------------

    def _stage(self, stage: str, path: Path, options: dict[str, Any]) -> None:
        database = settings.DATABASES["default"]
        scratch = os.environ[CHILD_FLAG]
        name = str(database["NAME"])
        if connection.vendor == "sqlite":
            ok = scratch == f"sqlite:///{name}" and name.startswith(tempfile.gettempdir())
        else:
            ok = any(name.startswith(p + "_") for p in PREFIXES.values()) and (
                urlsplit(scratch).path == f"/{name}"
            )
        if not ok:
            raise CommandError("Refusing to run: the database is not a scratch database.")
        if stage == "generate":
            self._generate(path, options)
        elif stage == "floor":
            self._floor(path)
        else:
            self._import(path)

    def _emit(self, **values: Any) -> None:
        self.stdout.write(RESULT + json.dumps(values))

    def _generate(self, path: Path, options: dict[str, Any]) -> None:
        from ruta.directory.management.commands.bench_directory import generate
        from ruta.hsds.export import write_export
        from ruta.hsds.mapping import Context

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        generated = generate(options["services"], random.Random(options["seed"]))  # noqa: S311
        made = time.perf_counter()
        with path.open("wb") as target:
            counts = write_export(target, Context(language="es", base_url="https://ruta.example"))
        done = time.perf_counter()
        rows = sum(counts.values())
        self.stdout.write(
            f"Generated {generated['services']} services in {made - started:.1f} s; exported "
            f"{rows:,} rows in {done - made:.1f} s to {path} ({path.stat().st_size / 1e6:.1f} MB)"
        )
        self._emit(
            rows=rows,
            zip_mb=path.stat().st_size / 1e6,
            exported_services=counts.get("services.csv", 0),
        )

    def _floor(self, path: Path) -> None:
        from ruta.hsds.importer import run_import

        call_command("migrate", verbosity=0, interactive=False)
        if connection.vendor == "postgresql":
            number = int(getattr(connection, "pg_version", 0))
            database, kind = f"PostgreSQL {number // 10000}.{number % 10000}", "COPY"
        else:
            database, kind = f"SQLite {sqlite3.sqlite_version}", "executemany"
        rows, floor_s, floor_cpu = _timed(lambda: floor_load(path))
        self.stdout.write(f"Floor: {rows:,} rows in {floor_s:.2f} s")
        data = path.read_bytes()
        result, dry_s, dry_cpu = _timed(lambda: run_import(data, path.name, dry_run=True))
        if not result.valid:
            for issue in result.errors[:20]:
                self.stdout.write(f"ERROR {issue.file}:{issue.line} {issue.field}: {issue.reason}")
            raise CommandError("The dry run rejected the export.")
        self.stdout.write(f"Dry run: {dry_s:.2f} s, {len(result.warnings)} warnings")
        self._emit(
            database=database,
            floor_kind=kind,
            floor_rows=rows,
            floor_s=floor_s,
            floor_cpu_s=floor_cpu,
            dry_s=dry_s,
            dry_cpu_s=dry_cpu,
        )

    def _import(self, path: Path) -> None:
        from ruta.hsds.importer import run_import

        start_mb = peak_mb()
        data = path.read_bytes()
        statements = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal statements  # counted, not kept: the SQL text would cost memory
            statements += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            result, import_s, import_cpu = _timed(
                lambda: run_import(data, path.name, dry_run=False)
            )
        if not result.valid:
            raise CommandError("The import rejected the export.")
        self._emit(
            import_s=import_s,
            import_cpu_s=import_cpu,
            import_peak_mb=peak_mb(),
            import_start_mb=start_mb,
            import_queries=statements,
            counts=result.counts,
        )

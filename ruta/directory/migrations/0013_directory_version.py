"""The directory's version: one row whose token the database changes on every write to the
tables the public finder and the HSDS API read, so caches keyed on it (form choices) are
never stale in any process, whoever wrote: editors, imports, the admin, raw SQL.

Triggers, not signals: bulk_create, QuerySet.update and raw SQL send none. On SQLite, a
row trigger sets a random token; on PostgreSQL, a statement trigger takes the next value of
a sequence, which a rollback does not give back. The row's lock is held until the writing
transaction ends, so directory writes queue on it, as SQLite's writers already do."""

from django.db import migrations, models

TABLES = (
    "agencies_organization",
    "directory_adminarea",
    "directory_closure",
    "directory_everydayword",
    "directory_everydayword_terms",
    "directory_location",
    "directory_phone",
    "directory_schedule",
    "directory_service",
    "directory_service_terms",
    "directory_servicearea",
    "directory_serviceatlocation",
    "directory_taxonomy",
    "directory_taxonomyterm",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")

POSTGRES_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS ruta_directory_version_seq;
CREATE OR REPLACE FUNCTION ruta_directory_changed() RETURNS trigger AS $$
BEGIN
    UPDATE directory_directoryversion SET token = nextval('ruta_directory_version_seq');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table, operation):
    return f"ruta_version_{table}_{operation.lower()}"


def forwards(apps, schema_editor):
    apps.get_model("directory", "DirectoryVersion").objects.create(pk=1, token=0)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER ruta_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION ruta_directory_changed()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for operation in OPERATIONS:
                schema_editor.execute(
                    f"CREATE TRIGGER {_trigger(table, operation)} AFTER {operation} ON {table} "
                    "BEGIN UPDATE directory_directoryversion SET token = random(); END"
                )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ruta_version_{table} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS ruta_directory_changed()")
        schema_editor.execute("DROP SEQUENCE IF EXISTS ruta_directory_version_seq")
    elif vendor == "sqlite":
        for table in TABLES:
            for operation in OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, operation)}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0012_seed_everyday_words"),
        ("places", "0001_initial"),
        ("agencies", "0003_organization_case_retention_years"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "directory version",
                "verbose_name_plural": "directory versions",
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

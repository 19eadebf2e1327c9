"""An index of the services' search text for the finder (``ruta.directory.search_index``):
an FTS5 trigram table kept by triggers on SQLite, a pg_trgm GIN index on PostgreSQL.

It never fails for want of the index: without FTS5, or where this role may not create the
pg_trgm extension, the database stays as it was and the finder keeps using LIKE (the same
results, slower for rare words); ``manage.py search_index`` builds it later."""

from django.db import migrations

from ruta.directory import search_index


def forwards(apps, schema_editor):
    search_index.install(schema_editor.connection)


def backwards(apps, schema_editor):
    search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0014_location_postal_code"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

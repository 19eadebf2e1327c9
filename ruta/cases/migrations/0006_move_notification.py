"""Notification now lives in ruta.notifications, on the same table: drop it from this app's
migration state only, the table and its rows stay. Its content type is relabelled, so its
permissions follow it and no stale one is left behind (as places and pathways do)."""

from django.db import migrations


def _relabel(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new, model="notification").exists():
        content_type.objects.filter(app_label=old, model="notification").update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "cases", "notifications")


def backwards(apps, schema_editor):
    _relabel(apps, "notifications", "cases")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_encrypt_action_responsible"),
        ("notifications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]

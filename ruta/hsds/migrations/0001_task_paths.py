"""Queued jobs keep the dotted path of their task: point the ones queued before the HSDS
code left the directory app at its new place, so that they still run."""

from django.db import migrations
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat, Substr

OLD = "ruta.directory.hsds."
NEW = "ruta.hsds."


def rename(apps, old, new):
    results = apps.get_model("django_tasks_database", "DBTaskResult").objects
    results.filter(task_path__startswith=old).update(
        task_path=Concat(
            Value(new), Substr(F("task_path"), len(old) + 1), output_field=TextField()
        )
    )


def forwards(apps, schema_editor):
    rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

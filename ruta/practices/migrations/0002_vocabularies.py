"""Load the SDGs, Global Compact objectives and principles, IASC layers and themes."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from ruta.practices.vocabularies import load_vocabularies

    load_vocabularies(apps)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The shipped indicator frameworks (``data/*.json``), loaded as data."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from ruta.indicators.loader import load_all

    load_all(
        {
            name: apps.get_model("indicators", name)
            for name in ("Framework", "Indicator", "ServicePackageActivity")
        }
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

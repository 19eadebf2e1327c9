from typing import Any

from django.db import migrations

from ruta.helpline import vocabularies


def seed(apps: Any, schema_editor: Any) -> None:
    vocabularies.load(apps.get_model("helpline", "Reason"), apps.get_model("helpline", "RiskQuestion"))


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Ship the sector, population-profile and IASC-layer taxonomies and the admin1 areas."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ruta.directory.vocabularies import load

    load(
        apps.get_model("directory", "Taxonomy"),
        apps.get_model("directory", "TaxonomyTerm"),
        apps.get_model("directory", "AdminArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

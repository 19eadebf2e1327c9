"""Representative points of the Peruvian and Ecuadorian admin1 areas."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ruta.places.areas import load_points

    load_points(apps.get_model("directory", "AdminArea"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_areas_points_imports")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

"""AdminArea now lives in ``ruta.places`` (same table): the foreign keys follow it.

State only: the columns and their constraints already point at directory_adminarea. The
content type is relabelled too, so its permissions follow and no stale one is left behind.
The pathways app re-points its own foreign key first (pathways 0002).
"""

import django.db.models.deletion
from django.db import migrations, models


def _area(**options):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="places.adminarea",
        **options,
    )


def _relabel(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new, model="adminarea").exists():
        content_type.objects.filter(app_label=old, model="adminarea").update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "directory", "places")


def backwards(apps, schema_editor):
    _relabel(apps, "places", "directory")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_pathways_to_own_app"),
        ("places", "0001_initial"),
        ("pathways", "0002_admin1_to_places"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="location",
                    name="admin1",
                    field=_area(blank=True, null=True, verbose_name="region / province"),
                ),
                migrations.AlterField(
                    model_name="location",
                    name="admin2",
                    field=_area(blank=True, null=True, verbose_name="district / canton"),
                ),
                migrations.AlterField(
                    model_name="servicearea",
                    name="area",
                    field=_area(),
                ),
                migrations.DeleteModel(name="AdminArea"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]

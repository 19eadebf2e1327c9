"""AdminArea moves here from the directory; its table, directory_adminarea, stays as it is.

State only: the directory created the table (0001) and filled it (0002, 0004). The
directory's 0007_adminarea_to_places then points its foreign keys here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("directory", "0006_refresh_search_text")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AdminArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="code")),
                        (
                            "country",
                            models.CharField(db_index=True, max_length=2, verbose_name="country"),
                        ),
                        ("level", models.PositiveSmallIntegerField(default=1, verbose_name="level")),
                        ("name_es", models.CharField(max_length=120, verbose_name="name (Spanish)")),
                        ("name_en", models.CharField(max_length=120, verbose_name="name (English)")),
                        (
                            "pcode",
                            models.CharField(
                                blank=True, db_index=True, max_length=20, verbose_name="P-code"
                            ),
                        ),
                        (
                            "latitude",
                            models.FloatField(blank=True, null=True, verbose_name="latitude"),
                        ),
                        (
                            "longitude",
                            models.FloatField(blank=True, null=True, verbose_name="longitude"),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="places.adminarea",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "administrative area",
                        "verbose_name_plural": "administrative areas",
                        "db_table": "directory_adminarea",
                        "ordering": ["country", "level", "name_es"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""AdminArea moved to ``ruta.places`` (same table, directory_adminarea): follow it.

State only: the column and its constraint already point at that table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0001_initial"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pathway",
                    name="admin1",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.adminarea",
                        verbose_name="region / province",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

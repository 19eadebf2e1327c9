"""Pathway and PathwayCell now live in ``ruta.pathways`` (see pathways 0001_initial).

State only: the tables stay where they are, the pathways app owns them from now on.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_refresh_search_text'),
        ('pathways', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='pathwaycell', name='pathway'),
                migrations.RemoveField(model_name='pathwaycell', name='organization'),
                migrations.RemoveField(model_name='pathwaycell', name='profile'),
                migrations.RemoveField(model_name='pathwaycell', name='services'),
                migrations.DeleteModel(name='Pathway'),
                migrations.DeleteModel(name='PathwayCell'),
            ],
            database_operations=[],
        ),
    ]

"""Give shipped and coordinator-made taxonomies and terms deterministic ids.

Until now each installation drew random UUIDs for the same vocabulary, so two
installations exported different ids for the same term (and so for every attribute,
whose id derives from its term). The ids become UUID5s of the codes
(``ruta.directory.vocabularies.term_uuid``). Terms are referred to by primary key inside
Ruta, so only published ids (HSDS exports, editor URLs) change, once.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from ruta.directory.vocabularies import rekey

    rekey(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_phone_description_unbounded")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

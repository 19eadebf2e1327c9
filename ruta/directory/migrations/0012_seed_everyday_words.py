"""Ship the first everyday words (``ruta.directory.everyday_words``); coordinators edit them
afterwards. A word already there (same folded form) is left as the coordinator made it."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ruta.directory.everyday_words import SEED
    from ruta.lib.text import fold_words as fold

    EverydayWord = apps.get_model("directory", "EverydayWord")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    terms = {
        term.code: term
        for term in TaxonomyTerm.objects.filter(taxonomy__code__in=("sector", "population"))
    }
    existing = set(EverydayWord.objects.values_list("folded", flat=True))
    for phrase, language, usage, codes in SEED:
        folded = fold(phrase)
        if folded in existing:
            continue
        word = EverydayWord.objects.create(
            phrase=phrase, folded=folded, language=language, usage=usage
        )
        word.terms.set([terms[code] for code in codes if code in terms])
        existing.add(folded)


class Migration(migrations.Migration):
    dependencies = [("directory", "0011_everyday_words")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]

"""Recompute every service's search text: it now carries cost, documents, modality,
service areas and the words people type for each sector (see ``search_words``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ruta.directory.search_words import compose

    Service = apps.get_model("directory", "Service")
    services = Service.objects.select_related("organization").prefetch_related(
        "terms", "service_at_locations__location__admin1", "service_areas__area"
    )
    for service in services.iterator(chunk_size=500):
        text = compose(
            service,
            organization=service.organization,
            terms=service.terms.all(),
            locations=[sal.location for sal in service.service_at_locations.all()],
            areas=[reach.area for reach in service.service_areas.all()],
        )
        if text != service.search_text:
            Service.objects.filter(pk=service.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_service_listing_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]

"""Background work of exports (django-tasks): making a file, purging expired ones."""

from __future__ import annotations

from django_tasks import task

from ruta.exports import production


@task()
def produce_export(export_uuid: str) -> str:
    return production.produce(export_uuid)


@task()
def purge_expired_exports() -> int:
    return production.purge_expired()

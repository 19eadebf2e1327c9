"""Background work of cash-transfer stabilisation (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from ruta.stabilisation.actions import refresh_queue


@task()
def refresh_stabilisation_queue() -> int:
    """The daily delay bridge; how many beneficiaries entered the queue."""
    return refresh_queue().entered

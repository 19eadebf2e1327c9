"""Background work of the helpline desk (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from ruta.helpline.actions import erase_callbacks


@task()
def erase_callback_data() -> int:
    return erase_callbacks()

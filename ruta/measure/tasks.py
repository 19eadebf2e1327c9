"""Background work of the reach figures (django-tasks): refreshing the monthly facts."""

from __future__ import annotations

from django_tasks import task

from ruta.measure import facts


@task()
def refresh_reach_facts() -> int:
    """Recompute the months changed since the last refresh (and this month)."""
    return facts.refresh().facts

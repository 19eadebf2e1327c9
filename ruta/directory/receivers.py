"""The directory's answers to what the places app tells."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from ruta.directory.actions import refresh_search_text
from ruta.directory.models import Service
from ruta.places.signals import areas_renamed


@receiver(areas_renamed)
def refresh_services_of_renamed_areas(sender: Any, area_ids: list[int], **kwargs: Any) -> None:
    """Services are found by the names of their places and areas: say the new ones."""
    reached = Service.objects.filter(
        Q(service_areas__area_id__in=area_ids)
        | Q(service_at_locations__location__admin1_id__in=area_ids)
        | Q(service_at_locations__location__admin2_id__in=area_ids)
    ).distinct()
    for service in reached.select_related("organization"):
        refresh_search_text(service)

"""Directory services the desk offers a caller: those of the caller's region, and for the
risk protocol the emergency services of the questions answered "yes"."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from ruta.directory.access import public_services
from ruta.directory.models import Service
from ruta.directory.search import FinderQuery, find_services
from ruta.helpline.models import UNDISCLOSED, RiskQuestion

LIMIT = 40


def _area(admin1: str) -> str:
    return "" if admin1 == UNDISCLOSED else admin1


def area_services(admin1: str) -> QuerySet[Service]:
    """Published services of the region; without a region, those reachable by phone."""
    area = _area(admin1)
    query = FinderQuery(admin1=area) if area else FinderQuery(modality="by_phone")
    ids = list(find_services(public_services(), query).values_list("pk", flat=True)[:LIMIT])
    return Service.objects.filter(pk__in=ids).select_related("organization").order_by("name_es")


def emergency_services(admin1: str, questions: Iterable[RiskQuestion]) -> list[Service]:
    """Services of the region in the sectors the "yes" questions name, open 24/7 first."""
    area = _area(admin1)
    sectors = sorted({code for question in questions for code in question.sectors})
    found: dict[int, Service] = {}
    for sector in sectors:
        query = FinderQuery(admin1=area, sector=sector)
        if not area:
            query.modality = "by_phone"
        for service in find_services(public_services(), query).prefetch_related("phones")[:LIMIT]:
            found.setdefault(service.pk, service)
    return sorted(found.values(), key=lambda s: (not s.open_24_7, s.name_es))


def protocol_text(organization_id: int) -> str:
    """The agency's own risk protocol, or the default one."""
    from django.utils.translation import gettext as _

    from ruta.helpline.models import DeskSettings

    own = DeskSettings.objects.filter(organization_id=organization_id).first()
    if own is not None and own.protocol_text.strip():
        return own.protocol_text
    return _(
        "1. Stay on the line; speak calmly and thank the caller for telling you.\n"
        "2. Ask whether they are safe right now and where they are (region, district).\n"
        "3. Suicidal thoughts with a plan or means: ask them to move away from the means, "
        "agree who can be with them now, and give the emergency numbers below.\n"
        "4. Immediate danger from someone, or a child at risk: offer to connect them with "
        "the police or the emergency services below; with their agreement, stay on the "
        "line while they call.\n"
        "5. Your supervisor has been alerted: follow their instructions.\n"
        '6. Record what you did in "Action taken" before closing the contact.'
    )

"""Who sees which GBV statistics: an analyst what the ISPs share with the network's
analysts, the coordinator what they share with the coordinator, anybody (no login) the
published reports the ISPs share with the public. Agency admins sign their agency's ISP.
Everything else is answered 404, as if it were not there."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ruta.lib.permissions import Role
from ruta.statistics.models import Audience, PublishedReport


def audience_of(user: Any) -> str | None:
    """The audience whose tables ``user`` reads live; None for everyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return {Role.ANALYST: Audience.ANALYSTS, Role.COORDINATOR: Audience.COORDINATOR}.get(user.role)


def may_publish(user: Any) -> bool:
    return audience_of(user) == Audience.COORDINATOR


def may_sign(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.AGENCY_ADMIN
        and user.organization_id is not None
    )


def may_see_signatories(user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in (Role.COORDINATOR, Role.ADMIN)
    )


def visible_reports(user: Any) -> QuerySet[PublishedReport]:
    audience = audience_of(user)
    condition = Q(audience=Audience.PUBLIC)
    if audience is not None:
        condition |= Q(audience=audience)
    return PublishedReport.objects.filter(condition)


def home_cards(user: Any) -> list[dict[str, Any]]:
    """The statistics pages ``user`` may open, as cards for the home page."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    cards = []
    if audience_of(user) is not None:
        cards.append(
            (
                _("GBV statistics"),
                _("GBVIMS tables with small counts hidden, as the agencies' protocols allow."),
                "statistics:tables",
            )
        )
    if may_sign(user):
        cards.append(
            (
                _("Information sharing protocol"),
                _("Choose with whom your agency shares its GBV statistics, and from when."),
                "statistics:isp",
            )
        )
    if may_see_signatories(user):
        cards.append(
            (
                _("Information sharing protocols"),
                _("Which agencies share their GBV statistics, and with whom."),
                "statistics:signatories",
            )
        )
    return [{"title": title, "text": text, "url": reverse(url)} for title, text, url in cards]

"""Find an administrative area from what a sheet holds: its code, its P-code or its name.

Imports (the 5W, a cash programme's payment sheet) read every area once and look each line
up in memory. A name is accepted where it names one area only (in the given countries, or
inside the given region); otherwise the error lists the codes to choose from.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from ruta.lib.text import fold
from ruta.places.models import AdminArea

LEVELS = (1, 2)


class AreaNotFound(ValueError):
    """``str(error)`` says, translated, why the text names no single area."""


class AreaLookup:
    """Every level-1 and level-2 area, read once, by code, P-code and folded name."""

    def __init__(self) -> None:
        self.by_code: dict[int, dict[str, AdminArea]] = {level: {} for level in LEVELS}
        self.by_name: dict[int, dict[str, list[AdminArea]]] = {level: {} for level in LEVELS}
        self.district_countries: set[str] = set()
        areas = AdminArea.objects.filter(level__in=LEVELS).select_related("parent")
        for area in areas.order_by("code"):
            for code in (area.code, area.pcode):
                if code:
                    self.by_code[area.level].setdefault(code.upper(), area)
            for name in {fold(area.name_es), fold(area.name_en)} - {""}:
                self.by_name[area.level].setdefault(name, []).append(area)
            if area.level == 2:
                self.district_countries.add(area.country)

    def code(self, level: int, text: str) -> AdminArea | None:
        """The area whose code or P-code is ``text`` (any case), if any."""
        return self.by_code[level].get(text.strip().upper())

    def find(
        self,
        level: int,
        text: str,
        *,
        within: AdminArea | None = None,
        countries: Collection[str] = (),
    ) -> AdminArea:
        """The one area ``text`` names at ``level``: a code or P-code anywhere, else a name
        inside ``within`` (a district's region) or in ``countries`` when given."""
        found = self.code(level, text)
        if found is None:
            named = [
                area
                for area in self.by_name[level].get(fold(text), [])
                if not countries or area.country in countries
            ]
            candidates = [area for area in named if within is None or area.parent_id == within.pk]
            if named and not candidates:
                found = named[0]  # elsewhere: said below
            elif len(candidates) > 1:
                codes = ", ".join(area.code for area in candidates[:4])
                raise AreaNotFound(
                    _("“%(value)s” names several areas: use one of their codes (%(codes)s).")
                    % {"value": text[:40], "codes": codes}
                )
            elif candidates:
                found = candidates[0]
        if found is None:
            raise AreaNotFound(self._unknown(level, text, within, countries))
        if within is not None and found.parent_id != within.pk:
            raise AreaNotFound(
                _("%(name)s (%(area)s) is not in %(region)s.")
                % {"name": found.name, "area": found.code, "region": within.code}
            )
        return found

    def _unknown(
        self, level: int, text: str, within: AdminArea | None, countries: Collection[str]
    ) -> str:
        if level == 1:
            return _(
                "Unknown region “%(value)s”: use its code in the gazetteer (e.g. PE-LIM) or "
                "its name."
            ) % {"value": text[:40]}
        country = within.country if within is not None else ""
        if country and country not in self.district_countries:
            return _(
                "Unknown district “%(value)s”: the gazetteer holds no districts of %(country)s "
                "yet. Leave the district empty, or ask an administrator to import them."
            ) % {"value": text[:40], "country": country}
        return _("Unknown district “%(value)s”: use its P-code in the gazetteer or its name.") % {
            "value": text[:40]
        }

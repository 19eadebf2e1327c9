"""Areas offered by name in a select: a field that takes an area's code, and the regions of
a few countries as its choices (grouped under each country when there are several)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.lib.geo import sorted_countries
from ruta.lib.text import collation_key
from ruta.places.models import AdminArea


def region_choices(countries: Collection[str], language: str) -> list[tuple[str, Any]]:
    """The level-1 areas of ``countries`` by name in ``language``: a flat list for one
    country, an ``<optgroup>`` per country (in the reader's alphabet) for several."""
    areas = AdminArea.objects.filter(level=1, country__in=list(countries))
    grouped: dict[str, list[tuple[str, str]]] = {}
    for area in areas.only("code", "country", "name_es", "name_en"):
        grouped.setdefault(area.country, []).append((area.code, area.name))
    for options in grouped.values():
        options.sort(key=lambda option: collation_key(option[1], language))
    if len(grouped) == 1:
        return next(iter(grouped.values()))
    return [(name, grouped[code]) for code, name in sorted_countries(grouped, language)]


class AreaCodeField(forms.ChoiceField):
    """An area chosen by name; its code is what is sent (``PE-TUM``), in any case.

    A known area that the choices leave out (a region of another country, or a district,
    from an old link) is still accepted: the form adds it with ``accept_known``.
    """

    default_error_messages = {
        "invalid_choice": _("No region has the code “%(value)s”. Choose a region from the list."),
    }

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()

    def prepare_value(self, value: Any) -> Any:
        """Shown as chosen whatever its case in the link."""
        return value.strip().upper() if isinstance(value, str) else value

    def offers(self, code: str) -> bool:
        return self.valid_value(code)

    def accept_known(self, code: str) -> None:
        """Offer the area ``code`` names, when one does and it is not offered yet."""
        code = code.strip().upper()
        if not code or self.offers(code):
            return
        area = AdminArea.objects.filter(code=code).only("code", "name_es", "name_en").first()
        if area is not None:
            offered: list[Any] = list(self.widget.choices)
            self.choices = [*offered, (area.code, area.name)]

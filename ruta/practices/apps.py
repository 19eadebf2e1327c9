from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    pass


class PracticesConfig(AppConfig):
    name = "ruta.practices"
    verbose_name = _("Good practices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.network import report
        from ruta.practices import figures

        def section(organization_ids: list[int], start: dt.date, end: dt.date) -> Iterable[Any]:
            return figures.published_practices(organization_ids, start, end)

        # The network report shows this app's section; network sits below and never imports it.
        # `section` looks the function up on the module at each call, so a replaced one is used.
        report.provide_practices(section)

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ruta.network.models import Network


class TrainingsConfig(AppConfig):
    name = "ruta.trainings"
    verbose_name = _("Trainings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.network import report
        from ruta.trainings import figures

        def section(network: Network, start: dt.date, end: dt.date) -> dict[str, Any]:
            return figures.training_summary(network, start, end)

        # The network report shows this app's section; network sits below and never imports it.
        # `section` looks the function up on the module at each call, so a replaced one is used.
        report.provide_trainings(section)

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasureConfig(AppConfig):
    name = "ruta.measure"
    verbose_name = _("People reached")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.measure import facts, sources

        sources.register_builtin()
        facts.connect_signals()

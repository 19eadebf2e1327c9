from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ruta.indicators"
    verbose_name = _("Indicators and projects")
    default_auto_field = "django.db.models.BigAutoField"

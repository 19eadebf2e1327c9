from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "ruta.statistics"
    verbose_name = _("GBV statistics")
    default_auto_field = "django.db.models.BigAutoField"

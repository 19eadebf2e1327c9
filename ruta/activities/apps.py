from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "ruta.activities"
    verbose_name = _("Group and community activities")
    default_auto_field = "django.db.models.BigAutoField"

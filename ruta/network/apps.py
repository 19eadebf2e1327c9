from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "ruta.network"
    verbose_name = _("Community of practice")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "ruta.transfers"
    verbose_name = _("Transfers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.transfers import hooks

        hooks.register()

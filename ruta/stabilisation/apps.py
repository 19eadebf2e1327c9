from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StabilisationConfig(AppConfig):
    name = "ruta.stabilisation"
    verbose_name = _("Cash-transfer stabilisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.stabilisation import hooks

        hooks.register()

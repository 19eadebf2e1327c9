from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ruta.cases"
    verbose_name = _("Case management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.cases import hooks

        hooks.register()

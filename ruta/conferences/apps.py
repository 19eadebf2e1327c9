from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "ruta.conferences"
    verbose_name = _("Case conferences")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ruta.conferences import hooks

        hooks.register()

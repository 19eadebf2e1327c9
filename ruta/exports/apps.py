from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "ruta.exports"
    verbose_name = _("Exports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit trail's CSV: audit sits below exports, so exports registers it.
        from ruta.exports import audit_csv

        audit_csv.register()

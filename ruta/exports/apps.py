from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "ruta.exports"
    verbose_name = _("Exports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit trail's CSV: audit sits below exports, so exports registers it.
        from django.db.models.signals import post_delete

        from ruta.exports import audit_csv
        from ruta.exports.models import SecureExport
        from ruta.exports.production import delete_stored_file

        audit_csv.register()
        post_delete.connect(delete_stored_file, sender=SecureExport, dispatch_uid="exports.file")

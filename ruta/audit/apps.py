from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ruta.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from ruta.audit import receivers  # noqa: F401  (connects auth signals)

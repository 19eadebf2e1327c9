from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HsdsConfig(AppConfig):
    name = "ruta.hsds"
    label = "hsds"
    verbose_name = _("HSDS import")

    def ready(self) -> None:
        from ruta.directory import extras
        from ruta.hsds.received import received_extra

        extras.register(received_extra)

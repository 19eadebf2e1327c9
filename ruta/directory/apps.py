from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ruta.directory"
    label = "directory"
    verbose_name = _("Service directory")

    def ready(self) -> None:
        from ruta.directory import receivers  # noqa: F401  (listens to the places app)

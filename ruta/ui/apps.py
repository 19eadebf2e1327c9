from django.apps import AppConfig


class UiConfig(AppConfig):
    """Shared interface pieces: the one field partial, the one error summary, form helpers."""

    name = "ruta.ui"
    label = "ui"

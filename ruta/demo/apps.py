from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader: imports every app's ``demo`` module, and no app imports it."""

    name = "ruta.demo"
    label = "demo"

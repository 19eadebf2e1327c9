from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "ruta.places"
    label = "places"

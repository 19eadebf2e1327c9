import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")

application = get_asgi_application()

from ruta.accounts.startup import verify_production  # noqa: E402

verify_production()

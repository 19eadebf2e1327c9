"""WSGI entry point for gunicorn: `gunicorn ruta.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")

application = get_wsgi_application()

from ruta.lib.startup import freeze_startup_objects, verify_production  # noqa: E402

verify_production()
freeze_startup_objects()

"""WSGI entry point for gunicorn: `gunicorn ruta.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")

application = get_wsgi_application()

from ruta.accounts.startup import verify_production  # noqa: E402
from ruta.lib.startup import freeze_startup_objects  # noqa: E402

verify_production()
freeze_startup_objects()

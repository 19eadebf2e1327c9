"""Settings for the test suite: production settings with test secrets and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-5d1c0a8e9b7f")
os.environ.setdefault("RUTA_FIELD_KEYS", "dGVzdC1maWVsZC1rZXktcnV0YS0wMTIzNDU2Nzg5YWI=")
os.environ.setdefault("RUTA_REQUIRE_2FA", "true")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["DEBUG"] = "false"
os.environ["RUTA_DEMO"] = "false"

from ruta.settings import *  # noqa: F403
from ruta.settings import PASSWORD_HASHERS as PRODUCTION_HASHERS

# Argon2 stays the production hasher (tested); tests hash with MD5 for speed only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

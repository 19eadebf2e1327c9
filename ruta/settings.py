"""Ruta settings: everything comes from the environment, with typed defaults.

The README's configuration table lists every variable read here. Production
(DEBUG=false) refuses to start with the demo secret key or without field keys;
``ruta.wsgi`` additionally refuses to serve while demo users exist.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# Values that only a development or demo machine may use. Production refuses them.
DEMO_SECRET_KEY = "ruta-demo-insecure-secret-key-do-not-use-in-production"  # noqa: S105
DEMO_FIELD_KEY = "cnV0YS1kZW1vLWZpZWxkLWtleS1ub3QtZm9yLXByb2Q="

env = environ.Env()

DEBUG: bool = env.bool("DEBUG", default=False)
RUTA_DEMO: bool = env.bool("RUTA_DEMO", default=False)
VERSION = "0.1.0"


def _secret(name: str, default: str | None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    value: str | None = env.str(name, default=default)
    return value


SECRET_KEY: str = _secret("SECRET_KEY", DEMO_SECRET_KEY) or DEMO_SECRET_KEY
RUTA_FIELD_KEYS: list[str] = [
    key.strip()
    for key in (_secret("RUTA_FIELD_KEYS", DEMO_FIELD_KEY if DEBUG else "") or "").split(",")
    if key.strip()
]
# Seals backup archives (manage.py backup / restore). Kept apart from the field keys.
RUTA_BACKUP_KEY: str = _secret("RUTA_BACKUP_KEY", "") or ""

if not DEBUG:
    if SECRET_KEY == DEMO_SECRET_KEY:
        raise ImproperlyConfigured(
            "DEBUG is false but SECRET_KEY is the demo key: set SECRET_KEY or SECRET_KEY_FILE."
        )
    if not RUTA_FIELD_KEYS or DEMO_FIELD_KEY in RUTA_FIELD_KEYS:
        raise ImproperlyConfigured(
            "DEBUG is false but RUTA_FIELD_KEYS is missing or holds the demo key: "
            'set comma-separated Fernet keys. Generate one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ruta.ui",
    "ruta.core",
    "ruta.audit",
    "ruta.agencies",
    "ruta.accounts",
    "ruta.places",
    "ruta.notifications",
    "ruta.exports",
    "ruta.directory",
    "ruta.pathways",
    "ruta.hsds",
    "ruta.cases",
    "ruta.helpline",
    "ruta.referrals",
    "ruta.conferences",
    "ruta.transfers",
    "ruta.practices",
    "ruta.network",
    "ruta.trainings",
    "ruta.activities",
    # Before measure: measure's demo computes the reach facts of every demo record.
    "ruta.stabilisation",
    "ruta.statistics",
    "ruta.measure",
    "ruta.indicators",
    # Last: it imports every app's demo module (in this order) and nothing imports it.
    "ruta.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before Ruta's session middleware: idle expiry tells the person why they were logged out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ruta.accounts.middleware.IdleTimeoutMiddleware",
    "ruta.accounts.middleware.UserLanguageMiddleware",
    "ruta.accounts.middleware.TwoFactorEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ruta.lib.headers.PrivateResponseMiddleware",
    # Inside the header middlewares: its JSON 404 gets no-store, X-Frame-Options and the rest.
    "ruta.core.middleware.ApiNotFoundMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ruta.urls"
WSGI_APPLICATION = "ruta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ruta" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "ruta.core.context_processors.navigation",
                "ruta.notifications.context_processors.notifications",
            ],
        },
    }
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ruta.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, whose health check tells a kept connection from a replaced file.
    DATABASES["default"]["ENGINE"] = "ruta.lib.db.sqlite3"
    # Test databases in memory, as Django's own SQLite backend gets them by default:
    # pytest-django recognises SQLite by the engine's dotted path, and under another path
    # names each xdist worker's database after the file path ("test_/…/ruta.sqlite3_gw0"),
    # which cannot be opened.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # Room in the page cache for a search, and its sorts (by distance) in memory.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it starts for any query the planner costs above jit_above_cost,
    # and the finder's ranked searches at 200,000 services spent 0.4-0.9 s compiling, more
    # than running (manage.py bench_directory --database postgres).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# Connections are kept between requests (opening one, and on SQLite running the PRAGMAs
# above, cost more than a small page's queries), checked before reuse after an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# What is built from the directory (the finder's choices) and whole public pages, keyed on
# the directory's version (ruta/directory/version.py, page_cache.py): a cache, never the
# source of truth. Per process by default; a deployment with several servers may point
# both at a shared Redis or Memcached. Pages have their own room, so that a burst of
# distinct searches does not push out the choices every request needs.
RUTA_PUBLIC_PAGE_CACHE = env.bool("RUTA_PUBLIC_PAGE_CACHE", default=True)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ruta-pages",
        # No TIMEOUT here: page_cache.py gives each page its own (a minute, or an hour).
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True
AUTH_USER_MODEL = "accounts.User"

# --- Authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ruta.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # invitations use the same token: three days

RUTA_REQUIRE_2FA: bool = env.bool("RUTA_REQUIRE_2FA", default=not RUTA_DEMO)
RUTA_SESSION_IDLE_MINUTES: int = env.int("RUTA_SESSION_IDLE_MINUTES", default=30)
# Creating an account with, or raising an account to, a role with case data (supervisor,
# caseworker, helpline) waits for a second person's confirmation before it takes effect.
RUTA_CONFIRM_ROLE_GRANTS: bool = env.bool("RUTA_CONFIRM_ROLE_GRANTS", default=not RUTA_DEMO)
OTP_TOTP_ISSUER = env.str("RUTA_OTP_ISSUER", default="Ruta")

# django-axes: 5 failures within the cool-off window lock that account + IP.
AXES_FAILURE_LIMIT: int = env.int("RUTA_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("RUTA_LOCKOUT_MINUTES", default=15))
# Failures for one account from all addresses together (credential stuffing).
RUTA_ACCOUNT_FAILURE_LIMIT: int = env.int("RUTA_ACCOUNT_FAILURE_LIMIT", default=20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ruta.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("RUTA_CLIENT_IP_HEADERS", default=["REMOTE_ADDR"])

# --- Sessions and cookies -------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12  # absolute cap; idle expiry is enforced by middleware
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "ruta_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Security headers -----------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
# Our English date formats (a 24-hour clock): ruta/formats/en/formats.py
FORMAT_MODULE_PATH = ["ruta.formats"]
LOCALE_PATHS = [BASE_DIR / "ruta" / "locale"]
TIME_ZONE: str = env.str("TIME_ZONE", default="America/Lima")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail ---------------------------------------------------------------
EMAIL_BACKEND: str = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _secret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ruta <no-reply@ruta.example.org>")

# --- Background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("RUTA_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ruta.accounts.api_auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ruta.lib.permissions.DenyAll"],
    "DEFAULT_SCHEMA_CLASS": "ruta.accounts.openapi.RutaAutoSchema",
    "EXCEPTION_HANDLER": "ruta.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "ruta.cases.models.CaseStatus",
        "PlanActionStatusEnum": "ruta.cases.models.ActionStatus",
        "GbvTypeEnum": "ruta.cases.models.GBVType",
        "MeetingKindEnum": "ruta.network.models.MeetingKind",
        "FollowUpKindEnum": "ruta.cases.models.FollowUpKind",
        "DeclineReasonEnum": "ruta.referrals.models.DeclineReason",
        "ClosureReasonEnum": "ruta.cases.models.ClosureReason",
        "ApprovalKindEnum": "ruta.cases.models.ApprovalKind",
        "StorageChoiceEnum": "ruta.cases.models.StorageChoice",
        "HelplineContactStatusEnum": "ruta.helpline.models.ContactStatus",
        "HelplineCallbackStatusEnum": "ruta.helpline.models.CallbackStatus",
        "HelplineAgeBandEnum": "ruta.helpline.models.AGE_BAND_CHOICES",
        "HelplinePopulationTypeEnum": "ruta.helpline.models.POPULATION_CHOICES",
        # R4V's population types and the ways a meeting is held, shared by several apps
        # (a case's client and an activity's counts; meetings and activity sessions) under
        # the names they had first.
        "ClientPopulationTypeEnum": "ruta.cases.models.PopulationType",
        "ModalityEnum": "ruta.network.models.Modality",
    },
    "TITLE": "Ruta API",
    "DESCRIPTION": "Inter-agency MHPSS and GBV response platform.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    # The API is documented as JSON. DRF's form parsers still take a form post, but a list
    # or an object does not travel as form fields, so the schema does not offer them.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
RUTA_VERIFY_DAYS: int = env.int("RUTA_VERIFY_DAYS", default=90)
# Years a closed case is kept before anonymise_expired_cases erases its personal data;
# each organization may set its own (at least one year).
RUTA_CASE_RETENTION_YEARS: int = max(env.int("RUTA_CASE_RETENTION_YEARS", default=5), 1)
# Absolute address of this installation, for links in e-mails sent by background tasks.
RUTA_BASE_URL: str = env.str("RUTA_BASE_URL", default="http://127.0.0.1:8000")
RUTA_API_TOKEN_DAYS: int = env.int("RUTA_API_TOKEN_DAYS", default=30)
# Exports with personal data (audit CSV, case lists, referral forms, a survivor's record):
# days an encrypted file stays downloadable before it is deleted (manage.py purge_exports).
RUTA_EXPORT_DAYS: int = env.int("RUTA_EXPORT_DAYS", default=7)
# Case management: also e-mail a nudge (no case data, only "you have notifications").
RUTA_NOTIFY_BY_EMAIL: bool = env.bool("RUTA_NOTIFY_BY_EMAIL", default=False)
# Transfers: what the sending agency may still read after a case moves ("own_entries"
# = its own earlier records, or "none").
RUTA_TRANSFER_SENDER_ACCESS: str = env.str("RUTA_TRANSFER_SENDER_ACCESS", default="own_entries")
# Community of practice: meetings a person attends to count as a regular participant.
RUTA_REGULAR_MIN_MEETINGS: int = env.int("RUTA_REGULAR_MIN_MEETINGS", default=2)
# Referrals: hours the receiving organization has to answer, by urgency.
RUTA_REFERRAL_HOURS: dict[str, int] = {
    "urgent": env.int("RUTA_REFERRAL_HOURS_URGENT", default=24),
    "normal": env.int("RUTA_REFERRAL_HOURS_NORMAL", default=72),
}
# Days a receiving agency has to record the survivor's own consent in its case after the
# consent to share an accepted referral was withdrawn; then the copied details are erased.
RUTA_REFERRAL_OWN_CONSENT_DAYS: int = env.int("RUTA_REFERRAL_OWN_CONSENT_DAYS", default=14)
# Days after which a helpline call-back's number, name and instructions are erased, even
# if it was never marked done (they are erased at once when it is).
RUTA_HELPLINE_CALLBACK_DAYS: int = env.int("RUTA_HELPLINE_CALLBACK_DAYS", default=7)
# The helpline's figures show a count between 1 and this as "<N", and no mean over fewer.
RUTA_HELPLINE_SMALL_CELL: int = env.int("RUTA_HELPLINE_SMALL_CELL", default=5)

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

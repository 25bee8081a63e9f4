"""Settings for the ML Design Registry, read from the environment.

Nothing set gives the embedded default: SQLite and Celery tasks run in-process, so
`make run` works on a machine that has only Python. DATABASE_URL selects PostgreSQL,
CELERY_BROKER_URL selects Redis and real workers. DJANGO_DEBUG=0 is production mode:
it refuses to start without SECRET_KEY and ALLOWED_HOSTS. Every setting read here is
listed in the README's configuration table.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}
if DEBUG and "DJANGO_DEBUG" not in os.environ and set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    # Debug mode is the default only for a machine's own use: serving other hosts with it
    # (and its public development key) is almost always a forgotten DJANGO_DEBUG=0.
    raise ImproperlyConfigured(
        f"ALLOWED_HOSTS names {', '.join(sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS))} while debug "
        "mode is on by default. Set DJANGO_DEBUG=0 (with SECRET_KEY) for a deployment, or "
        "DJANGO_DEBUG=1 to debug on those hosts on purpose."
    )
if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or sorted(LOCAL_HOSTS)
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG=0.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "registry.core",
    "teams",
    "catalogue",
    "designdocs",
    "reviews",
    "exports",
    "maturity",
]

MIDDLEWARE = [
    "registry.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # The product's error pages also with DEBUG on (see its docstring); inside CSP.
    "registry.core.middleware.ProductErrorPagesMiddleware",
    # Last, so that it turns a locked-out login form into the lockout page (which then gets
    # the CSP header like every page).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"
ASGI_APPLICATION = "registry.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "registry.core.context_processors.registry",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, else a SQLite file beside manage.py.
# Connections are kept for DB_CONN_MAX_AGE seconds and reused by the next request (or Celery
# task) in the same process, checked before reuse so that a server restart costs no failed
# request. Persistent connections rather than psycopg's pool: gunicorn's sync workers and
# Celery's prefork children serve one request or task at a time, so one connection per
# process is all a pool would hand out, without a pool's idle spares in every process.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DATABASE_CONNECT_TIMEOUT", 5
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # Opening a SQLite file costs next to nothing: reuse only when asked.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 0),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "registry.core.permissions.RuleBackend",
    "registry.core.permissions.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Client addresses: REMOTE_ADDR unless this many trusted proxies add X-Forwarded-For (left
# unset, a client could name any address there and dodge the sign-in lockout).
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Sign-in lockout (django-axes) over every password check (login page, admin login, API
# token): SIGN_IN_FAILURE_LIMIT failures by one username from one address lock that pair
# out for SIGN_IN_LOCKOUT_MINUTES, restarted by each attempt made meanwhile. The pair, not
# the address alone, so that colleagues behind one office address are not locked out by
# one person's typos, nor the username alone, so that nobody can lock a victim out from
# elsewhere. Counts live in the database rather than the cache: shared by every process
# whatever CACHE_URL says (the embedded default has no shared cache), kept across restarts,
# listed and resettable in the admin; a failure costs one row write, a sign-in one query.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "registry.core.sign_in.client_ip"
AXES_LOCKOUT_CALLABLE = "registry.core.sign_in.lockout_response"
# Successful sign-ins are not logged (a row per sign-in, never pruned); failures are.
AXES_DISABLE_ACCESS_LOG = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "registry" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
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
# Serve static files from the finders without collectstatic in development and tests.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads and request bodies: Markdown sections are capped at MARKDOWN_MAX_BYTES each;
# the whole request may hold several sections and an imported file.
MARKDOWN_MAX_BYTES = env_int("MARKDOWN_MAX_BYTES", 200 * 1024)
# Rendered Markdown is cached by content hash (a changed text is a new key, so nothing goes
# stale); this long, in seconds. The live preview is throttled per user (count/period).
MARKDOWN_CACHE_SECONDS = env_int("MARKDOWN_CACHE_SECONDS", 7 * 24 * 3600)
MARKDOWN_PREVIEW_RATE = os.environ.get("MARKDOWN_PREVIEW_RATE", "60/min")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Importing design docs written elsewhere: the table mapping their headings to sections
# (empty: designdocs/heading_synonyms.yaml, shipped with the code).
DESIGNDOC_HEADING_SYNONYMS = os.environ.get("DESIGNDOC_HEADING_SYNONYMS", "")

# Content-Security-Policy (django-csp) on every response: no inline script or style, nothing
# from another origin. The API docs page loosens style-src on its own view (api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Security. Production mode turns on every `check --deploy` recommendation; a deployment
# behind a TLS-terminating proxy sets SECURE_PROXY_SSL_HEADER through the environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the domain and all its subdomains to HTTPS in browsers for
        # good: an operator's decision (SECURE_HSTS_PRELOAD=1), not a default to nag about.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Endpoints reached by probes over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# REST framework: token first, so that an anonymous API call is a 401 with a challenge.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "registry.core.api.pagination.CappedLimitOffsetPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "registry.core.api.schema.RegistryAutoSchema",
    "EXCEPTION_HANDLER": "registry.core.api.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # The browsable API only for staff: everyone else gets JSON (registry.core.api.negotiation).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "registry.core.api.negotiation.StaffBrowsableNegotiation",
    # Bounded JSON: depth and size refused before parsing, NUL/surrogates naming the field.
    "DEFAULT_PARSER_CLASSES": [
        "registry.core.api.parsers.JSONParser",
        "registry.core.api.parsers.FormParser",
        "registry.core.api.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 25,
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 100)
# API tokens expire this many days after they are created (registry.core.tokens).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
if not 1 <= API_TOKEN_TTL_DAYS <= 3660:
    raise ImproperlyConfigured(
        f"API_TOKEN_TTL_DAYS must be between 1 and 3660 days, not {API_TOKEN_TTL_DAYS}."
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "ML Design Registry API",
    "DESCRIPTION": (
        "Design documents, architecture review and the catalogue of reusable ML platform "
        "components. Authenticate with `Authorization: Token <key>` (POST /api/auth/token/) "
        "or a browser session. Every 4xx has the same JSON shape (ErrorResponse)."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "WorkflowStatusEnum": "designdocs.choices.WorkflowStatus",
        "RiskStatusEnum": "designdocs.choices.RiskStatus",
        "RiskLevelEnum": "designdocs.choices.RiskLevel",
        "MLStageEnum": "designdocs.choices.MLStage",
        "TeamKindEnum": "teams.choices.TeamKind",
        "TeamRoleEnum": "teams.choices.MembershipRole",
        "TokenStateEnum": "registry.core.choices.TokenState",
        "TokenRevocationEnum": "registry.core.choices.TokenRevocation",
        "ComponentKindEnum": "catalogue.choices.ComponentKind",
        "LifecycleEnum": "catalogue.choices.Lifecycle",
        "RaciRoleEnum": "registry.core.choices.RaciRole",
    },
}

# Celery: Redis and real workers when CELERY_BROKER_URL is set, else tasks run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
# Redelivery after the visibility timeout must never overtake a task still within its limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "registry.core.tasks.worker_heartbeat", "schedule": 60.0},
    # reviews: remind reviewers of overdue reviews, once a day at 07:00 UTC.
    "reviews-overdue-reminders": {
        "task": "reviews.tasks.remind_overdue_reviews",
        "schedule": crontab(hour=7, minute=0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "registry.core.middleware.RequestIdLogFilter"},
        "one_line_client_errors": {"()": "registry.core.middleware.OneLineClientErrors"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "one_line_client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default configuration gives its logger a console handler of its own (with
        # DEBUG on) besides the root's: every error was printed twice. The root's only.
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # Axes warns of each failed sign-in and lockout; its INFO lines are start-up chatter.
        "axes": {"level": "WARNING"},
    },
}

# Cache: CACHE_URL (Redis) shares it between every web process; else it is per process.
# Use another Redis database than the broker's: clearing a cache flushes its whole database.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "registry",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Rendered Markdown, by content hash: shared by every process, so that a section rendered
    # once (when it is saved) is never rendered again by another web process or worker. On
    # Redis when CACHE_URL is set; else files on this machine.
    "markdown": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "registry-markdown",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("MARKDOWN_CACHE_DIR", str(BASE_DIR / ".cache" / "markdown")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    ),
}

# PDF exports (exports/): every render runs in a watched child process, stopped after
# PDF_RENDER_TIMEOUT seconds and capped at PDF_RENDER_MAX_MEMORY_MB of address space; a PDF
# over PDF_MAX_PAGES pages or PDF_MAX_BYTES bytes is refused. PDFs go to the default storage
# (MEDIA_ROOT, or S3 through django-storages: see the README) under PDF_EXPORT_DIR.
PDF_RENDER_TIMEOUT = env_int("PDF_RENDER_TIMEOUT", 90)
PDF_RENDER_MAX_MEMORY_MB = env_int("PDF_RENDER_MAX_MEMORY_MB", 2048)
PDF_MAX_PAGES = env_int("PDF_MAX_PAGES", 1000)
PDF_MAX_BYTES = env_int("PDF_MAX_BYTES", 50 * 1024 * 1024)
PDF_EXPORT_DIR = os.environ.get("PDF_EXPORT_DIR", "exports")
# An export left "rendering" this long (its worker was killed) is queued again by the sweep.
PDF_EXPORT_STALE_SECONDS = env_int("PDF_EXPORT_STALE_SECONDS", 600)
# Signing approved PDFs (PAdES): PEM key and certificate. Unset: a self-signed development
# key is created on first use under PDF_SIGNING_DIR, and the PDFs say so on their cover.
PDF_SIGNING_KEY = os.environ.get("PDF_SIGNING_KEY", "")
PDF_SIGNING_CERT = os.environ.get("PDF_SIGNING_CERT", "")
PDF_SIGNING_KEY_PASSPHRASE = os.environ.get("PDF_SIGNING_KEY_PASSPHRASE", "")
PDF_SIGNING_DIR = os.environ.get("PDF_SIGNING_DIR", str(BASE_DIR / ".signing"))
CELERY_BEAT_SCHEDULE["exports-sweep"] = {
    "task": "exports.tasks.sweep_stale_exports",
    "schedule": 120.0,
}

REGISTRY_VERSION = "0.1.0"
CSRF_FAILURE_VIEW = "registry.core.views.csrf_failure"

# Reviews (reviews/): approvals required per EU AI Act risk tier, as JSON, e.g.
# REVIEWS_APPROVALS_REQUIRED='{"minimal": 1, "limited": 1, "high": 2}'. Unclassified and
# unacceptable documents are never approved.
REVIEWS_APPROVALS_REQUIRED = {"minimal": 1, "limited": 1, "high": 2}
if os.environ.get("REVIEWS_APPROVALS_REQUIRED"):
    import json as _json

    try:
        _approvals = _json.loads(os.environ["REVIEWS_APPROVALS_REQUIRED"])
        assert isinstance(_approvals, dict)
        assert all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in _approvals.values()
        )
    except (ValueError, AssertionError) as exc:
        raise ImproperlyConfigured(
            "REVIEWS_APPROVALS_REQUIRED must be a JSON object of tier -> whole number >= 1, "
            'e.g. {"minimal": 1, "limited": 1, "high": 2}.'
        ) from exc
    REVIEWS_APPROVALS_REQUIRED = {**REVIEWS_APPROVALS_REQUIRED, **_approvals}

# E-mail (review notifications): printed on the console unless EMAIL_HOST names an SMTP
# server (EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST) and EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ML Design Registry <registry@localhost>")
# The address links in e-mails start with.
REGISTRY_BASE_URL = os.environ.get("REGISTRY_BASE_URL", "http://127.0.0.1:8000")

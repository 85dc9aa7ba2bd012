"""Settings for the Component Registry.

One module, configured from the environment. DEBUG is off unless asked for
(`DEBUG=True`, as `make dev` does), so a deployment that forgets it never shows
tracebacks or settings. With DEBUG off a SECRET_KEY is required and the
hardening at the bottom of this file is on; `HTTPS=False` (what `make run`
sets, serving plain HTTP on 127.0.0.1) keeps everything but the parts that
need TLS. The database is SQLite unless DATABASE_URL points at PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    """Read a boolean; anything but True/False (any case, or 1/0) is a mistake."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name, default):
    url = os.environ.get(name) or default
    # Persistent connections only where threads are reused (gunicorn's sync
    # workers: the Dockerfile and `make run` set 60). The development server
    # starts a thread per request, and each would keep its own connection open.
    try:
        config = dj_database_url.parse(
            url,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
            conn_health_checks=True,
        )
    except Exception as exc:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from None
    if config.get("ENGINE") not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ImproperlyConfigured(f"{name} must point at PostgreSQL or SQLite, not {url!r}")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite serving a web server with a worker beside it: readers never wait
        # for the writer (WAL), a writer waits its turn instead of failing at once
        # (busy timeout), and a write transaction takes the write lock when it
        # begins (IMMEDIATE), so two writers queue up instead of one of them
        # failing with "database is locked" when it upgrades a read lock.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif env_bool("DB_PREPARED_STATEMENTS", True):
        # Reads' statements (registry/prepared.py) are prepared
        # by the server once they have run DB_PREPARE_THRESHOLD times on a
        # connection (psycopg keeps the 100 most recent): planning, not running,
        # was most of a read's SQL time (issue 14; a component's row 0.5 -> 0.1 ms,
        # its related sets 0.75 -> 0.11 ms). Only those: every other query keeps
        # Django's client-side binding (server-side binding limits a statement to
        # 65,535 parameters, which a bulk insert of thousands of rows passes). Kept
        # with the connection, so it pays with persistent connections only. Behind
        # a pooler in transaction mode (PgBouncer before 1.21) set
        # DB_PREPARED_STATEMENTS=false: a statement prepared on one server
        # connection is not there on the next.
        config["OPTIONS"] = {"prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5)}
    return config


DEBUG = env_bool("DEBUG", False)
# Served over TLS (directly or behind a proxy that terminates it): secure
# cookies, HSTS and the redirect to HTTPS. Only `make run` on 127.0.0.1 turns it off.
HTTPS = env_bool("HTTPS", not DEBUG)
SECRET_KEY = env("SECRET_KEY") or ("insecure-dev-key-only-for-laptops" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False")

# Client addresses (for rate limits and sign-in throttling) come from
# X-Forwarded-For only when that many proxies in front of us are trusted to
# set it; otherwise from the connection itself, so a client cannot choose its own.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
# Absolute base URL of this installation, for links in feeds, exports and webhooks.
# Unset, links follow the request being answered (registry/links.py).
SITE_URL = env("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    # The admin, asking curators for a TOTP code (registry/admin_site.py).
    "registry.apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "components",
    "audit",
]

MIDDLEWARE = [
    # The kubelet's probes, answered before host checks and the HTTPS redirect.
    "registry.health.ProbeMiddleware",
    # A streamed answer keeps its gunicorn worker alive past the timeout.
    "registry.heartbeat.HeartbeatMiddleware",
    # Request and trace ids for every log line, one line and the metrics per request.
    "registry.observability.RequestContextMiddleware",
    # Anonymous reads from the replica, when there is one (DATABASE_REPLICA_URL).
    "registry.routers.ReplicaMiddleware",
    # Reads' statements prepared by PostgreSQL once they repeat (issue 14).
    "registry.prepared.PreparedReadsMiddleware",
    # One audit entry per write and per sign-in, written when the answer is ready.
    "audit.recording.AuditMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "registry.links.RequestBaseMiddleware",
    "csp.middleware.CSPMiddleware",
    "registry.security.PermissionsPolicyMiddleware",
    "registry.api.ApiMiddleware",
    "registry.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "registry.i18n.NegotiatedLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a TOTP code this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "registry" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A read-only PostgreSQL replica for anonymous reads (registry/routers.py). In
# tests it mirrors the default database: no test database is made for it.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **env_database("DATABASE_REPLICA_URL", ""),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["registry.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files WhiteNoise serves; the production-shape
# tests collect into a directory of their own.
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "registry" / "static"]
# NL Design System CSS, installed from npm by `make install` (never committed)
# and served from this site like any static file: no request leaves the site.
NODE_MODULES = BASE_DIR / "node_modules"
NPM_STATIC = {
    "vendor/utrecht-css": (NODE_MODULES / "@utrecht/component-library-css/dist", ["index.css"]),
    "vendor/utrecht-tokens": (NODE_MODULES / "@utrecht/design-tokens/dist", ["theme.css"]),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "registry.staticfinders.NpmFinder",
]
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

# Failed sign-ins (site and admin alike) are counted per account and per client
# address; after AXES_FAILURE_LIMIT either is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "registry.security.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_VERBOSE = False

# A refused CSRF check under /api/ answers problem+json like every API error.
CSRF_FAILURE_VIEW = "registry.views.csrf_failure"

# Invitations and `create_member` links: valid for 7 days, once.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60
# E-mail (invitations, a curator's decisions): printed on the console unless an
# SMTP server is configured.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "registry@example.nl")

# Client secrets of the organisations' identity providers are encrypted with
# this key (accounts/secrets.py), or with SECRET_KEY when it is not set.
OIDC_ENCRYPTION_KEY = env("OIDC_ENCRYPTION_KEY")
# Curators sign in to the admin with a password and a TOTP code.
ADMIN_REQUIRES_OTP = env_bool("ADMIN_REQUIRES_OTP", True)
# The issuer named in authenticator apps.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Component Registry")
# How far the providers' clocks may be off when an id_token's times are checked.
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "member-home"
LOGOUT_REDIRECT_URL = "/"

# Background work runs on a real queue (a database table worked by
# `manage.py db_worker`), never inside a request. Tests swap in the immediate
# backend where they want to see the effect.
# TASKS_BACKEND=rq puts the queue in Redis (django-tasks-rq, worked by
# `manage.py rqworker --with-scheduler default`) when the database queue is not
# enough; TASKS_REDIS_URL, else REDIS_URL, says which Redis.
TASKS_BACKEND = env("TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": env("TASKS_REDIS_URL") or env("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": env_int("TASKS_TIMEOUT_SECONDS", 600),
        }
    }
    # RQ's worker, stopping without the minute's wait of RQ 3 on redis-py 8.
    RQ = {"WORKER_CLASS": "registry.rq_worker.Worker"}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:  # a backend's dotted path (tests use the immediate backend)
    TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Readiness (/health/ready) asks the shared cache too: a pod that cannot reach
# Redis leaves the Service. False keeps such pods serving uncached instead (a
# Redis outage then takes no pod out, as /health already treats it).
HEALTH_READY_REQUIRES_CACHE = env_bool("HEALTH_READY_REQUIRES_CACHE", True)
# /metrics answers only on this port (gunicorn's second listener); unset, only
# to clients on this machine (registry/metrics.py).
METRICS_PORT = env_int("METRICS_PORT", 0)

# Rendered API reads are cached for this long, keyed on a catalogue version that
# every committed change bumps (registry/cache.py); only with a shared cache.
RESPONSE_CACHE_SECONDS = env_int("RESPONSE_CACHE_SECONDS", 300)
# Tests (one process) may use the local-memory cache as if it were shared.
RESPONSE_CACHE_SHARED = env_bool("RESPONSE_CACHE_SHARED", False)

# Figures on the website (facet counts, most reused, coverage) are counts that name
# no one; they are kept this long, keyed on the same catalogue version.
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 60)

# The API's published version (NL API Design Rules: full semver in API-Version).
API_VERSION = "1.0.0"
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["registry.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["registry.api.LimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "registry.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["registry.api.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["registry.api.TokenRequired"],
    "DEFAULT_PAGINATION_CLASS": "registry.api.Pagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "registry.api.AnonymousRateThrottle",
        "registry.api.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Per client address for anonymous reads, per token for organisations.
        "anonymous": env("API_RATE_ANONYMOUS", "600/minute") or None,
        "token": env("API_RATE_TOKEN", "1200/minute") or None,
    },
    "EXCEPTION_HANDLER": "registry.api.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": None,
    "ORDERING_PARAM": "ordering",
    "URL_FORMAT_OVERRIDE": None,
    "COERCE_DECIMAL_TO_STRING": False,
}

# The DCAT-AP catalogue (/api/v1/catalogue) and its publisher: the organisation that
# runs this registry, by its slug here (its TOOI URI and OIN then identify it);
# unset, the installation itself under CATALOGUE_PUBLISHER_NAME. The licence of the
# catalogue's metadata is an SPDX id (CC0: anyone may harvest and republish it).
CATALOGUE_PUBLISHER = env("CATALOGUE_PUBLISHER")
CATALOGUE_PUBLISHER_NAME = env("CATALOGUE_PUBLISHER_NAME", "Componentenregister")
CATALOGUE_CONTACT_EMAIL = env("API_CONTACT_EMAIL", "registry@example.nl")
CATALOGUE_LICENSE = env("CATALOGUE_LICENSE", "CC0-1.0")
# Full dumps of the public catalogue (manage.py dump_catalogue, nightly by the
# worker): a directory on local disk by default; with more than one app server
# it must be storage they all share. DUMP_KEEP: how many dumps are kept.
DUMP_DIR = Path(env("DUMP_DIR") or BASE_DIR / "var" / "dumps")
DUMP_KEEP = env_int("DUMP_KEEP", 7)
DUMP_HOUR_UTC = env_int("DUMP_HOUR_UTC", 2)

SPECTACULAR_SETTINGS = {
    "TITLE": "Component Registry API",
    "DESCRIPTION": "Publish and find reusable public-sector components, their licences and reuse.",
    "VERSION": API_VERSION,
    "CONTACT": {
        "name": "Component Registry",
        "email": CATALOGUE_CONTACT_EMAIL,
        "url": SITE_URL or "http://127.0.0.1:8000",
    },
    "LICENSE": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVERS": [{"url": "/api/v1", "description": _("This installation")}],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.constants.OrganisationKind",
        "ComponentKindEnum": "components.constants.ComponentKind",
        "DependencyKindEnum": "components.constants.DependencyKind",
        "UsageStatusEnum": "components.constants.UsageStatus",
        "DeliveryStatusEnum": "components.constants.DeliveryStatus",
        "HarvestStatusEnum": "components.constants.HarvestStatus",
        "FindingSeverityEnum": ["error", "warning"],
    },
    "PREPROCESSING_HOOKS": ["registry.i18n.english_schema"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "registry.openapi.add_problems_and_headers",
    ],
    # Swagger UI served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["API-Version", "ETag", "Link"]

# Webhooks: signed POSTs from the background worker, retried with exponential
# back-off (base, 2 x base, 4 x base, ...), the subscription paused after repeated failures.
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_PAUSE_AFTER = env_int("WEBHOOK_PAUSE_AFTER", 10)

# Harvesting publiccode.yml files (components/harvest.py). It refuses private
# network addresses unless switched on; every fetch has a deadline and a size
# limit (1 MB, the validator's own limit). The background worker looks for due
# sources every HARVEST_TICK_MINUTES.
HARVEST_ALLOW_PRIVATE = env_bool("HARVEST_ALLOW_PRIVATE", False)
HARVEST_TIMEOUT_SECONDS = env_int("HARVEST_TIMEOUT_SECONDS", 10)
HARVEST_MAX_BYTES = env_int("HARVEST_MAX_BYTES", 1024 * 1024)
HARVEST_TICK_MINUTES = env_int("HARVEST_TICK_MINUTES", 15)

# Graphviz's dot draws the landscapes (components/landscape.py): the system
# package `graphviz` (Debian, the Docker image); another path if it lives elsewhere.
GRAPHVIZ_DOT = env("GRAPHVIZ_DOT", "dot")
# Logs: JSON lines (LOG_FORMAT=json, what the image's deployments set) or
# readable text (the default, for a laptop), both rendered by structlog. Every
# line written during a request carries its request and trace ids; each
# request adds one line of its own (registry/observability.py).
LOG_FORMAT = env("LOG_FORMAT", "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
_log_chain = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
structlog.configure(
    processors=[*_log_chain, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
_renderer = (
    structlog.processors.JSONRenderer()
    if LOG_FORMAT == "json"
    else structlog.dev.ConsoleRenderer(colors=False)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "one-line": {"()": "registry.logs.OneLineFormatter"},
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": _log_chain,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                _renderer,
            ],
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structured"},
        # The level sits on the handler: `db_worker` sets its logger to INFO.
        "tasks": {
            "class": "logging.StreamHandler",
            "formatter": "structured" if LOG_FORMAT == "json" else "one-line",
            "level": env("TASKS_LOG_LEVEL", "WARNING"),
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # The worker says nothing about tasks that went well (a line per state
        # flooded the console) and one line for each task that failed.
        "django_tasks": {
            "handlers": ["tasks"],
            "level": env("TASKS_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        # Our own line per request replaces Django's for 4xx/5xx answers.
        "django.request": {"level": "ERROR"},
        "registry.requests": {"level": env("REQUEST_LOG_LEVEL", "INFO")},
    },
}

# Headers every answer carries, DEBUG or not. No page needs inline script or
# style, so the policy is 'self' throughout (django-csp writes the header).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Swagger UI draws its icons as data: images.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The site uses none of these browser features; say so (registry.security).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if not DEBUG and HTTPS:
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

"""Settings, read from the environment (12-factor).

Every knob an operator may turn is a QINGQIAN_* variable or DATABASE_URL,
declared in qingqian.environment and listed in docs/reference/settings.md.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from qingqian import environment as env

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env.text("QINGQIAN_VAR_DIR", str(Path.cwd() / "var"))).resolve()

# The demo key is public: production mode refuses to start with it
# (qingqian.core.production).
DEMO_SECRET_KEY = "qingqian-demo-secret-key-not-for-production"  # nosec B105 # public
# Likewise the demo audit key, which keys the audit log's HMAC chain.
DEMO_AUDIT_KEY = "qingqian-demo-audit-key-not-for-production"  # nosec B105 # public


SECRET_KEY = env.text("QINGQIAN_SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env.flag("QINGQIAN_DEBUG")
# The audit log's HMAC key; never stored in the database (qingqian.core.audit).
# Earlier keys stay listed in QINGQIAN_AUDIT_OLD_KEYS to verify the events they
# signed (docs/operator-guide.md, "Rotating the audit key").
QINGQIAN_AUDIT_KEY = env.text("QINGQIAN_AUDIT_KEY", DEMO_AUDIT_KEY)
QINGQIAN_AUDIT_OLD_KEYS = env.items("QINGQIAN_AUDIT_OLD_KEYS")
# Where `qingqian audit checkpoint` appends its lines (operators copy it elsewhere).
QINGQIAN_AUDIT_CHECKPOINT_FILE = Path(
    env.text("QINGQIAN_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl"))
)
ALLOWED_HOSTS = env.items("QINGQIAN_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.items("QINGQIAN_CSRF_TRUSTED_ORIGINS")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks);
# see qingqian.core.client_address.
QINGQIAN_TRUSTED_PROXIES = env.items("QINGQIAN_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "qingqian.core",
    "qingqian.accounts",
    "qingqian.reference",
    "qingqian.parties",
    "qingqian.complaints",
    "qingqian.ledger",
    "qingqian.supervision",
    "qingqian.notifications",
    "qingqian.portal",
    "qingqian.publication",
    "qingqian.services",
    "qingqian.web",
    "qingqian.api",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, before anything else (qingqian.web.health).
    "qingqian.web.health.ProbeMiddleware",
    "qingqian.core.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "qingqian.core.content_security.ContentSecurityPolicyMiddleware",
    "qingqian.core.client_address.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Session, session user, second factor and messages: skipped for API
    # requests with a bearer token (qingqian.core.page_only).
    "qingqian.core.page_only.SessionMiddleware",
    "qingqian.web.middleware.ChosenLanguageMiddleware",
    "qingqian.web.middleware.DatabaseBusyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "qingqian.core.page_only.AuthenticationMiddleware",
    "qingqian.core.page_only.OTPMiddleware",
    "qingqian.core.page_only.MessageMiddleware",
    "qingqian.accounts.middleware.TwoFactorEnrolmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Prometheus metrics at /metrics (qingqian.web.metrics): the two middleware count
# requests by route and status and time them; off, they cost nothing.
QINGQIAN_METRICS = env.flag("QINGQIAN_METRICS")
# Who may read /metrics: addresses or networks (the client address, see
# QINGQIAN_TRUSTED_PROXIES); anyone else gets a 404.
QINGQIAN_METRICS_ALLOWED = env.items("QINGQIAN_METRICS_ALLOWED")
# Figures read from the database at each scrape: prometheus_client collector classes.
QINGQIAN_METRICS_COLLECTORS = [
    "qingqian.complaints.metrics.DeadlineBreachCollector",
    "qingqian.ledger.imports.metrics.ImportProgressCollector",
    "qingqian.core.queue_metrics.QueueCollector",
]
if QINGQIAN_METRICS:
    MIDDLEWARE = [
        MIDDLEWARE[0],  # the probes are not counted
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE[1:],
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]

ROOT_URLCONF = "qingqian.urls"
WSGI_APPLICATION = "qingqian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qingqian.web.context.navigation",
            ],
        },
    },
]

# Django's form rendering, with no label suffix after a label's own final mark.
FORM_RENDERER = "qingqian.core.forms.FormRenderer"


# How long a request waits for SQLite's one writer before it answers 503 with
# Retry-After (qingqian.core.sqlite_backend.busy); background work (the task
# worker, the CLI) waits the longer time, behind a long import rather than failing.
QINGQIAN_SQLITE_BUSY_SECONDS = env.number("QINGQIAN_SQLITE_BUSY_SECONDS")
QINGQIAN_SQLITE_BACKGROUND_BUSY_SECONDS = env.number("QINGQIAN_SQLITE_BACKGROUND_BUSY_SECONDS")


def database_config() -> dict:
    default_sqlite = f"sqlite:///{VAR_DIR / 'qingqian.sqlite3'}"
    # Connections persist between requests and are checked before reuse, so that
    # after a database restart the first request reconnects (no manual step).
    config = dj_database_url.parse(
        env.text("DATABASE_URL", default_sqlite), conn_max_age=60, conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "qingqian.core.sqlite_backend"
        # Tests run on an in-memory database, one per process (Django's default,
        # said explicitly so that parallel test workers do not turn it into a
        # file name with a worker suffix).
        config["TEST"] = {"NAME": ":memory:"}
        # The connection persists too (opening one, with its pragmas and
        # functions, cost more than a small request's query); a file does not
        # go away like a server, so there is nothing to check before reuse.
        config["CONN_HEALTH_CHECKS"] = False
        # WAL lets readers run beside the single writer; IMMEDIATE avoids
        # "database is locked" on read-then-write transactions.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": QINGQIAN_SQLITE_BUSY_SECONDS,
        }
    return config


def replica_config() -> dict:
    """The replica for the dashboards and exports (qingqian.core.replica), or {}.
    Tests read it through the primary's test database (a mirror)."""
    url = env.text("QINGQIAN_REPLICA_URL")
    if not url:
        return {}
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("QINGQIAN_REPLICA_URL: a postgres:// address of a replica")
    config["TEST"] = {"MIRROR": "default"}
    return {"replica": config}


DATABASES = {"default": database_config(), **replica_config()}
DATABASE_ROUTERS = ["qingqian.core.replica.ReplicaRouter"]


def cache_config() -> dict:
    """The cache (public pages, throttle counters): each process's memory unless
    QINGQIAN_CACHE_URL names a Redis shared by the servers (redis://, rediss://,
    unix://). Cached public pages are keyed by the figures' version, so processes
    with caches of their own never serve each other's stale pages. Redis down
    is a cache that misses (qingqian.core.forgiving_cache), never an error."""
    url = env.text("QINGQIAN_CACHE_URL")
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "qingqian",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if url.split("://", 1)[0] not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"QINGQIAN_CACHE_URL: a redis://, rediss:// or unix:// address, not {url!r}"
        )
    return {
        "BACKEND": "qingqian.core.forgiving_cache.ForgivingRedisCache",
        "LOCATION": url,
        # An unreachable Redis costs a request this long at most (once per pause).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


CACHES = {"default": cache_config()}
# With a shared Redis, sessions are read from it and written to both it and the
# database: a signed-in person stays signed in while Redis is away.
if env.text("QINGQIAN_CACHE_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failures lock the username from that client address
# (behind a trusted proxy, the address the proxy saw) for 15 minutes; every
# attempt during the lockout starts the 15 minutes again.
AXES_FAILURE_LIMIT = env.integer("QINGQIAN_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = 0.25
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qingqian.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "qingqian.core.client_address.client_address"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Qingqian 清欠"
# Officials must sign in with a second factor (enrolling at their first sign-in);
# on by default in production mode. SME users and debtor representatives may opt in.
QINGQIAN_REQUIRE_TWO_FACTOR = env.flag("QINGQIAN_REQUIRE_TWO_FACTOR", default=not DEBUG)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.flag("QINGQIAN_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS only: with secure cookies, or when TLS is terminated by a reverse proxy
# in front (QINGQIAN_TLS_PROXY, which then tells Django through
# X-Forwarded-Proto that the client used HTTPS). The demo on plain http has
# neither and stays on http.
QINGQIAN_TLS_PROXY = env.flag("QINGQIAN_TLS_PROXY")
if QINGQIAN_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
HTTPS_ONLY = SESSION_COOKIE_SECURE or QINGQIAN_TLS_PROXY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
# Preloading is hard to undo (browsers ship the list): the operator's choice.
SECURE_HSTS_PRELOAD = HTTPS_ONLY and env.flag("QINGQIAN_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [
    # W021 asks for HSTS preload; see SECURE_HSTS_PRELOAD for why it is opt-in.
    "security.W021",
]

# Content-Security-Policy of every page (django-csp 4). No inline script or
# style anywhere; the one inline <style> (the 500 page, which must not depend
# on static files) carries the request's nonce, added to style-src only on
# the responses that asked for one. A response that sets its own header (file
# downloads) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        # data: for the icons that Swagger UI's style sheet embeds (/api/docs/).
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

EMAIL_BACKEND = env.text(
    "QINGQIAN_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.text("QINGQIAN_EMAIL_HOST")
EMAIL_PORT = env.integer("QINGQIAN_EMAIL_PORT")
EMAIL_HOST_USER = env.text("QINGQIAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.text("QINGQIAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.flag("QINGQIAN_EMAIL_TLS")
DEFAULT_FROM_EMAIL = env.text("QINGQIAN_EMAIL_FROM")

# Text messages (sign-up phone codes): no provider is built in; an operator names
# a backend class of theirs (docs/operator-guide.md, "Text messages").
QINGQIAN_SMS_BACKEND = env.text(
    "QINGQIAN_SMS_BACKEND",
    "qingqian.notifications.sms.ConsoleBackend"
    if DEBUG
    else "qingqian.notifications.sms.UnconfiguredBackend",
)
QINGQIAN_SMS_FILE_PATH = env.text("QINGQIAN_SMS_FILE_PATH", str(VAR_DIR / "sms"))
QINGQIAN_SIGNUP_CODE_MINUTES = env.integer("QINGQIAN_SIGNUP_CODE_MINUTES")

# Background work (deadline reminders, notification delivery): django-tasks.
# Default: the database backend, run by `qingqian worker` (or in-process by
# `qingqian demo`). QINGQIAN_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
# runs every task at once in the process that enqueues it (no worker needed).
# QINGQIAN_QUEUE_URL (production): RQ on Redis, fed through the outbox
# (docs/adr/0012-outbox-and-redis-queue.md); it takes precedence.
QINGQIAN_QUEUE_URL = env.text("QINGQIAN_QUEUE_URL")
# The longest a task may run on RQ before its worker kills it: a ledger import
# of 2,000,000 rows, with room to spare.
QINGQIAN_RQ_JOB_TIMEOUT_SECONDS = 4 * 3600


def rq_queues(url: str) -> dict:
    """RQ's one queue on the Redis at `url`. Connecting gives up after 2 s and
    a command after 5 s (RQ's workers lengthen their own for blocking reads),
    so that a request whose work is kept in the outbox does not hang on an
    unreachable Redis."""
    if url.split("://", 1)[0] not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"QINGQIAN_QUEUE_URL: a redis://, rediss:// or unix:// address, not {url!r}"
        )
    for option, seconds in (("socket_connect_timeout", 2), ("socket_timeout", 5)):
        if f"{option}=" not in url:
            url += ("&" if "?" in url else "?") + f"{option}={seconds}"
    return {"default": {"URL": url, "DEFAULT_TIMEOUT": QINGQIAN_RQ_JOB_TIMEOUT_SECONDS}}


# django_rq is used as a library, not installed as an app: its admin dashboard
# (a page over a model without a table) and its commands are not ours to offer.
if QINGQIAN_QUEUE_URL:
    RQ_QUEUES = rq_queues(QINGQIAN_QUEUE_URL)
    TASKS = {"default": {"BACKEND": "qingqian.core.rq_backend.RetryingRQBackend"}}
else:
    TASKS = {"default": {"BACKEND": env.text("QINGQIAN_TASKS_BACKEND")}}
# Remind the responsible people this many working days before a deadline.
QINGQIAN_REMINDER_WORKING_DAYS = env.integer("QINGQIAN_REMINDER_WORKING_DAYS")
# How often `qingqian worker` (and the demo) enqueues the reminder job; 0 = never (use cron).
QINGQIAN_REMINDER_INTERVAL_SECONDS = env.integer("QINGQIAN_REMINDER_INTERVAL_SECONDS")
# How many days after the result a complainant may reopen a complaint on new facts.
QINGQIAN_REOPEN_WINDOW_DAYS = env.integer("QINGQIAN_REOPEN_WINDOW_DAYS")
# How many days an invitation link stays valid (an administrator can resend it).
QINGQIAN_INVITATION_DAYS = env.integer("QINGQIAN_INVITATION_DAYS")
# How long a password-reset link stays valid (seconds): two hours.
PASSWORD_RESET_TIMEOUT = 2 * 3600
# Where the links in e-mails point (the public address of the web UI).
QINGQIAN_BASE_URL = env.text("QINGQIAN_BASE_URL").rstrip("/")
# Called with the set of changed years, inside the transaction of every calendar change.
QINGQIAN_CALENDAR_CHANGE_HOOKS = [
    "qingqian.complaints.deadlines.recompute_open_deadlines",
    "qingqian.supervision.cases.services.recompute_open_cases",
    "qingqian.supervision.reports.services.recompute_open_reports",
    "qingqian.services.confirmations.services.recompute_open_requests",
    "qingqian.services.legalaid.deadlines.recompute_open_answers",
]


def approved_map() -> tuple[Path | None, str]:
    """The approved map of China and its approval number (审图号), or (None, "").

    A boundary map may only be published with the approval number of the map it
    is, so one without the other refuses to start; without either the national
    dashboard draws a tile grid, which shows no boundary.
    """
    path, number = (
        env.text("QINGQIAN_MAP_GEOJSON").strip(),
        env.text("QINGQIAN_MAP_APPROVAL_NUMBER").strip(),
    )
    if not path and not number:
        return None, ""
    if not path or not number:
        missing = "QINGQIAN_MAP_APPROVAL_NUMBER" if path else "QINGQIAN_MAP_GEOJSON"
        raise ImproperlyConfigured(
            f"{missing} is not set: an approved map needs both QINGQIAN_MAP_GEOJSON (the "
            "map file) and QINGQIAN_MAP_APPROVAL_NUMBER (its 审图号). Set both, or neither "
            "to show the tile grid."
        )
    if not Path(path).is_file():
        raise ImproperlyConfigured(f"QINGQIAN_MAP_GEOJSON: no such file: {path}")
    return Path(path).resolve(), number


QINGQIAN_MAP_GEOJSON, QINGQIAN_MAP_APPROVAL_NUMBER = approved_map()

# Token requests per client address (qingqian.api.throttling), as DRF reads it:
# "20/min", "100/hour".
QINGQIAN_API_TOKEN_RATE = env.text("QINGQIAN_API_TOKEN_RATE")
# Public API requests (/api/v1/public/, no token) per client address.
QINGQIAN_API_PUBLIC_RATE = env.text("QINGQIAN_API_PUBLIC_RATE")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qingqian.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only (file uploads name their multipart parser): what the
    # schema promises is what the API reads.
    "DEFAULT_PARSER_CLASSES": ["qingqian.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qingqian.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qingqian API",
    "DESCRIPTION": "REST API of the Qingqian arrears-clearing platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "qingqian.accounts.models.Organisation.Kind",
        "CalendarDayKindEnum": "qingqian.core.models.CalendarDay.Kind",
    },
}

# Every line carries the request id (qingqian.core.request_log); `json` writes
# one JSON object per line, with one access line per request.
QINGQIAN_LOG_FORMAT = env.text("QINGQIAN_LOG_FORMAT").strip().lower()
LOG_FORMATTERS = {
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": True,
    },
}
if QINGQIAN_LOG_FORMAT not in LOG_FORMATTERS:
    raise ImproperlyConfigured(
        f"QINGQIAN_LOG_FORMAT: `text` or `json`, not {QINGQIAN_LOG_FORMAT!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "qingqian.core.request_log.RequestIdFilter"}},
    "formatters": {QINGQIAN_LOG_FORMAT: LOG_FORMATTERS[QINGQIAN_LOG_FORMAT]},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": QINGQIAN_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.text("QINGQIAN_LOG_LEVEL")},
    # The access line is INFO whatever the root's level (it is written in JSON only).
    "loggers": {"qingqian.access": {"level": "INFO"}},
}

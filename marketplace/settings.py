"""Settings for Partner Marketplace, read from the environment (django-environ).

With nothing set this is the embedded default: SQLite file in the project folder, Celery tasks run
in-process, DEBUG on, a development secret key. DATABASE_URL and REDIS_URL switch to PostgreSQL and
Redis. DJANGO_DEBUG=0 is production: it refuses to start without a real secret key and allowed hosts.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Mode -------------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG=0) needs DJANGO_SECRET_KEY: 50 or more random characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG=0) needs DJANGO_ALLOWED_HOSTS (comma-separated host names)."
        )

# --- Applications -----------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "sorl.thumbnail",
    "marketplace.accounts",
    "vendors",
    "portfolios",
    "promotions",
    "marketplace.shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

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
                "marketplace.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
# A new connection per request measured about 6 times slower on a vendor page: keep them, checked.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis, falling back to this process's memory while Redis is unreachable (see marketplace/cache.py), so
    # throttles, login rate limits and thumbnails keep working, and keep limiting, through an outage.
    CACHES = {"default": {"BACKEND": "marketplace.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Tasks are idempotent, so acknowledging after they finish loses nothing when a worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 660
# Longer than the longest task, so a task held by a live worker is not handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The periodic jobs; django-celery-beat copies this schedule into its tables at start.
CELERY_BEAT_SCHEDULE = {
    "stats-refresh-dirty-vendors": {"task": "portfolios.tasks.stats_refresh_dirty_task", "schedule": 30.0},
    "stats-reconcile-all-vendors": {"task": "portfolios.tasks.stats_reconcile_all_task", "schedule": 3600.0},
    "sales-stats-reconcile": {"task": "marketplace.shop.tasks.sales_stats_reconcile_task", "schedule": 3600.0},
    "promotion-states-advance": {"task": "promotions.tasks.promotion_states_advance_task", "schedule": 60.0},
    "vendor-flags-scan": {"task": "portfolios.tasks.vendor_flags_scan_task", "schedule": 900.0},
}
CELERY_TIMEZONE = "UTC"

# --- Authentication (django-allauth) ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Partner Marketplace <noreply@partner-marketplace.local>"
)

# --- REST API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous request is told 401 with a WWW-Authenticate header, not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.errors.api_exception_handler",
    "MAX_PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="600/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "checkout": env.str("API_THROTTLE_CHECKOUT", default="60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partner Marketplace API",
    "DESCRIPTION": "Consumers choose their partners; vendors learn in aggregate who chose them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "EndReasonEnum": "portfolios.models.EndReason",
        "ReportReasonEnum": "vendors.models.VendorReport.Reason",
        "ReportStatusEnum": "vendors.models.VendorReport.Status",
        "VendorStatusEnum": "vendors.models.Vendor.Status",
        "OrderStatusEnum": "marketplace.shop.models.Order.Status",
        "AgeBandEnum": "marketplace.accounts.models.AgeBand",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.api_schema.add_error_responses",
    ],
}

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads go to an S3-compatible store (AWS S3, MinIO, ...) when DJANGO_MEDIA_S3_BUCKET names a bucket;
# otherwise to MEDIA_ROOT on the file system, served by Django itself (see urls.py).
#   DJANGO_MEDIA_S3_BUCKET        the bucket; setting it switches uploads to S3
#   AWS_S3_ENDPOINT_URL           the store's API address when it is not AWS, e.g. http://minio:9000
#   AWS_S3_REGION_NAME            the bucket's region (AWS)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   read from the environment by boto3 (or an IAM role)
#   AWS_S3_CUSTOM_DOMAIN          host[/path] browsers load media from, e.g. media.example.com or
#                                 localhost:9000/media; its URLs are unsigned, so the bucket must be public-read
#   AWS_S3_URL_PROTOCOL           scheme of those URLs, "https:" (default) or "http:"
#   AWS_QUERYSTRING_AUTH          without a custom domain, hand out signed, expiring URLs (default on)
MEDIA_S3_BUCKET = env.str("DJANGO_MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    MEDIA_S3_OPTIONS: dict[str, object] = {
        "bucket_name": MEDIA_S3_BUCKET,
        # An upload never replaces another vendor's file of the same name, as on the file system.
        "file_overwrite": False,
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
        "url_protocol": env.str("AWS_S3_URL_PROTOCOL", default="https:"),
    }
    if endpoint_url := env.str("AWS_S3_ENDPOINT_URL", default=""):
        # MinIO and most other S3-compatible stores answer only path-style requests.
        MEDIA_S3_OPTIONS.update(endpoint_url=endpoint_url, addressing_style="path")
    if region_name := env.str("AWS_S3_REGION_NAME", default=""):
        MEDIA_S3_OPTIONS["region_name"] = region_name
    if custom_domain := env.str("AWS_S3_CUSTOM_DOMAIN", default=""):
        MEDIA_S3_OPTIONS["custom_domain"] = custom_domain
    MEDIA_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": MEDIA_S3_OPTIONS}
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Manifest storage needs collectstatic; development and tests use the plain one.
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
THUMBNAIL_DEBUG = False

# --- Security ---------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# No 'unsafe-inline' anywhere: templates carry no style attribute, <style> or inline script (htmx's
# indicator CSS is switched off in base.html and lives in site.css; the API docs page loads its script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

# --- Partner Marketplace ----------------------------------------------------------------------------
MARKETPLACE = {
    # Any insight figure about fewer consumers than this is suppressed.
    "STATS_MIN_GROUP": env.int("MARKETPLACE_STATS_MIN_GROUP", default=5),
    "PUBLIC_FACTS_DAYS": 90,
    "DEFAULT_WEEKLY_PROMOTION_CAP": 5,
    "MAX_IMAGE_BYTES": 2 * 1024 * 1024,
    # Uploads with more pixels are refused from their header, before Pillow decodes anything (25 MP is
    # about 100 MB decoded); what is stored is scaled down further (vendors/services/catalogue.py).
    "STATS_SHARD_SIZE": env.int("MARKETPLACE_STATS_SHARD_SIZE", default=1000),
}

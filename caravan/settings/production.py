"""Production: everything from the environment (docs/deploy.md lists every variable).

Start-up fails with one line that names every missing or malformed setting, rather than
running half-configured: the whole environment is checked before anything is built."""

import ipaddress
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "CARAVAN_BASE_URL",
)
DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "psql", "sqlite"}
INTEGER_SETTINGS = (
    "PORT",
    "CONN_MAX_AGE",
    "EMAIL_TIMEOUT",
    "SECURE_HSTS_SECONDS",
    "CARAVAN_TRUSTED_PROXY_COUNT",
    "CARAVAN_LOGIN_FAILURE_LIMIT",
    "CARAVAN_LOGIN_COOLOFF_MINUTES",
    "CARAVAN_HEARTBEAT_SECONDS",
    "CARAVAN_HEALTH_HEARTBEAT_MAX_AGE",
    "CARAVAN_HEALTH_QUEUE_MAX",
    "CACHE_TIMEOUT_SECONDS",
    "CARAVAN_PAGE_CACHE_SECONDS",
)
BOOLEAN_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "CARAVAN_SERVE_MEDIA",
    "CARAVAN_ACCESS_LOG",
)


def _url_problem(name, value, schemes):
    """Why `value` is not a usable URL for `name`, or None."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError as exc:
        return f"{name} is malformed ({exc})"
    if parts.scheme not in schemes:
        return f"{name} has an unknown scheme {parts.scheme!r} (use one of: {', '.join(sorted(schemes))})"
    return None


def environment_problems(environ_mapping):
    """Every problem of the production environment, as short phrases."""
    get = environ_mapping.get
    problems = [f"{name} is missing" for name in REQUIRED if not get(name, "").strip()]

    key = get("SECRET_KEY", "")
    if key and (len(key) < 50 or len(set(key)) < 5):
        problems.append("SECRET_KEY must be at least 50 random characters")
    hosts = [h.strip() for h in get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if "*" in hosts:
        problems.append("ALLOWED_HOSTS must name the site's hosts, not '*'")

    if get("DATABASE_URL"):
        problem = _url_problem("DATABASE_URL", get("DATABASE_URL"), DATABASE_SCHEMES)
        if problem is None and not urlsplit(get("DATABASE_URL")).path.strip("/"):
            problem = "DATABASE_URL names no database"
        if problem:
            problems.append(problem)
    if get("CACHE_URL"):
        problem = _url_problem("CACHE_URL", get("CACHE_URL"), set(environ.Env.CACHE_SCHEMES))
        if problem:
            problems.append(problem)
        else:
            try:
                environ.Env.cache_url_config(get("CACHE_URL"))
            except Exception as exc:  # noqa: BLE001 - anything django-environ cannot turn into CACHES
                problems.append(f"CACHE_URL cannot be parsed ({exc})")
    if get("EMAIL_URL"):
        problem = _url_problem("EMAIL_URL", get("EMAIL_URL"), set(environ.Env.EMAIL_SCHEMES))
        if problem:
            problems.append(problem)
    if get("INBOUND_IMAP_URL"):
        problem = _url_problem("INBOUND_IMAP_URL", get("INBOUND_IMAP_URL"), {"imap", "imaps"})
        if problem:
            problems.append(problem)
    base_url = get("CARAVAN_BASE_URL", "")
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme != "https" or not parts.hostname:
            problems.append(
                f"CARAVAN_BASE_URL must be the site's https:// address (got {base_url!r})"
            )

    for name in INTEGER_SETTINGS:
        value = get(name, "").strip()
        if value and not value.lstrip("-").isdigit():
            problems.append(f"{name} must be a whole number (got {value!r})")
    for name in BOOLEAN_SETTINGS:
        value = get(name, "").strip().lower()
        if value and value not in environ.Env.BOOLEAN_TRUE_STRINGS + ("false", "off", "no", "0"):
            problems.append(f"{name} must be true or false (got {value!r})")
    if get("DEBUG", "").strip().lower() in environ.Env.BOOLEAN_TRUE_STRINGS:
        problems.append("DEBUG must not be on in production")

    proxies = get("CARAVAN_TRUSTED_PROXY_COUNT", "").strip()
    if proxies.isdigit() and int(proxies) > 5:
        problems.append("CARAVAN_TRUSTED_PROXY_COUNT is the number of proxies in front (0–5)")
    health_token = get("CARAVAN_HEALTH_TOKEN", "")
    if health_token and (len(health_token) < 32 or len(set(health_token)) < 5):
        problems.append("CARAVAN_HEALTH_TOKEN must be at least 32 random characters")
    for entry in filter(None, (e.strip() for e in get("CARAVAN_HEALTH_DETAIL_IPS", "").split(","))):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            problems.append(
                f"CARAVAN_HEALTH_DETAIL_IPS lists addresses or networks (got {entry!r})"
            )
    for entry in filter(None, (e.strip() for e in get("CARAVAN_TRUSTED_PROXIES", "").split(","))):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            problems.append(
                f"CARAVAN_TRUSTED_PROXIES lists addresses or networks of proxies (got {entry!r})"
            )

    if get("SENTRY_DSN"):
        from sentry_sdk.utils import BadDsn, Dsn

        try:
            Dsn(get("SENTRY_DSN"))
        except BadDsn as exc:
            problems.append(f"SENTRY_DSN is malformed ({exc})")
    sample_rate = get("SENTRY_TRACES_SAMPLE_RATE", "").strip()
    if sample_rate:
        try:
            if not 0 <= float(sample_rate) <= 1:
                raise ValueError
        except ValueError:
            problems.append(
                f"SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1 (got {sample_rate!r})"
            )

    if get("AWS_STORAGE_BUCKET_NAME"):
        endpoint = get("AWS_S3_ENDPOINT_URL", "")
        if endpoint:
            problem = _url_problem("AWS_S3_ENDPOINT_URL", endpoint, {"http", "https"})
            if problem:
                problems.append(problem)
        if bool(get("AWS_ACCESS_KEY_ID")) != bool(get("AWS_SECRET_ACCESS_KEY")):
            problems.append(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together "
                "(or neither, to use the machine's role)"
            )
    for origin in [o.strip() for o in get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]:
        if not origin.startswith(("https://", "http://")):
            problems.append(f"CSRF_TRUSTED_ORIGINS entries need a scheme (got {origin!r})")
    return problems


_problems = environment_problems(environ.Env.ENVIRON)
if _problems:
    raise ImproperlyConfigured(
        "Production settings cannot start: " + "; ".join(_problems) + " (see docs/deploy.md)."
    )

from caravan.operations import logs  # noqa: E402

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
    CACHES,
    CARAVAN_ADMIN_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
    DATABASES,
    STORAGES,
    env,
)

SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DEBUG = False
CARAVAN_BASE_URL = env.str("CARAVAN_BASE_URL").rstrip("/")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=CARAVAN_BASE_URL)
CSRF_TRUSTED_ORIGINS = [
    *env.list("CSRF_TRUSTED_ORIGINS", default=[]),
    "{0.scheme}://{0.netloc}".format(urlsplit(CARAVAN_BASE_URL)),
]

# HTTPS: the reverse proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP on the private address.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/strict)?/?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CARAVAN_SERVE_MEDIA = env.bool("CARAVAN_SERVE_MEDIA", default=False)

# Database: bounded waits, so a lost database fails a request (and /healthz) quickly.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# Cache (Redis in production): page cache, sessions, sign-in throttling and rate limits.
if "redis" in CACHES["default"]["BACKEND"].lower():
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 2)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 2)
CACHES["default"].setdefault("TIMEOUT", env.int("CACHE_TIMEOUT_SECONDS", default=300))
# Sessions (only editors have one) are read from the cache and kept in the database,
# so restarting or flushing Redis signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Public pages kept whole in the shared cache and invalidated on publishing
# (caravan/core/pagecache.py). A process-local cache could not be invalidated by the
# other processes, so the default is on only for a shared one.
_shared_cache = not any(
    kind in CACHES["default"]["BACKEND"].lower() for kind in ("locmem", "dummy")
)
CARAVAN_PAGE_CACHE_SECONDS = env.int(
    "CARAVAN_PAGE_CACHE_SECONDS", default=600 if _shared_cache else 0
)

# Media on S3-compatible object storage when a bucket is named; otherwise MEDIA_ROOT.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _s3 = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        "location": env.str("AWS_LOCATION", default=""),
        # Public pages are cacheable files: their image URLs must not expire, so media
        # are read through a public bucket policy or a CDN (AWS_S3_CUSTOM_DOMAIN).
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
        "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000"},
    }
    if env.str("AWS_ACCESS_KEY_ID", default=""):
        _s3["access_key"] = env.str("AWS_ACCESS_KEY_ID")
        _s3["secret_key"] = env.str("AWS_SECRET_ACCESS_KEY")
    STORAGES = {
        **STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3},
    }
    if _s3["custom_domain"]:
        MEDIA_URL = f"https://{_s3['custom_domain']}/"
    elif _s3["endpoint_url"]:
        MEDIA_URL = f"{_s3['endpoint_url'].rstrip('/')}/{_s3['bucket_name']}/"
    else:
        MEDIA_URL = f"https://{_s3['bucket_name']}.s3.amazonaws.com/"
    if _s3["location"]:
        MEDIA_URL += _s3["location"].strip("/") + "/"
    CARAVAN_SERVE_MEDIA = False
    # Documents only through Wagtail's view, which checks their collection's privacy and
    # reads the file with the app's credentials; never a link to the bucket, whose
    # documents/ prefix stays private (docs/deploy.md gives the bucket policy).
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
    # Pages may show images from the media host.
    _media_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL))
    for _directive in ("img-src", "media-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_media_origin)
    for _directive in ("img-src", "media-src"):
        CARAVAN_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_media_origin)

# Logs: JSON lines on stdout unless LOG_FORMAT says otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = logs.config(LOG_FORMAT, env.str("LOG_LEVEL", default="INFO"))
CARAVAN_ACCESS_LOG = env.bool("CARAVAN_ACCESS_LOG", default=LOG_FORMAT == "json")

# Error reporting: Sentry when SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# HSTS preloading commits every subdomain of the domain to HTTPS for months and cannot be
# undone quickly; it is the operator's choice (SECURE_HSTS_PRELOAD=true), not a default.
# README.md, "Deliberate deploy-check exceptions", documents this.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

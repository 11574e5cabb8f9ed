"""Production settings (caravan.settings.production), every test of them: they refuse to
start half-configured, naming every bad variable in one line; PostgreSQL, Redis, SMTP and
S3 taken from the environment; HTTPS, HSTS and hardened cookies; JSON logs; Sentry only
when asked; `check --deploy` reports only what the README documents."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from caravan.testing.processes import ROOT, clean_environment, free_port, python

GOOD = {
    "DJANGO_SETTINGS_MODULE": "caravan.settings.production",
    "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP",
    "ALLOWED_HOSTS": "shop.example.com",
    "DATABASE_URL": "postgres://caravan:s3cret@db.internal:5432/caravan",
    "CACHE_URL": "redis://cache.internal:6379/2",
    "EMAIL_URL": "smtp+tls://mailer:pa55@mail.example.com:587",
    "CARAVAN_BASE_URL": "https://shop.example.com",
    "CARAVAN_TRUSTED_PROXY_COUNT": "1",  # one nginx in front, as docs/deploy.md says
}

SETTINGS_AS_JSON = """
import json, django
django.setup()
from django.conf import settings as s
from django.core.files.storage import default_storage
db, cache = s.DATABASES["default"], s.CACHES["default"]
print(json.dumps({
    "debug": s.DEBUG,
    "db": [db["ENGINE"], db["HOST"], db["PORT"], db["NAME"], db["USER"], db.get("OPTIONS", {})],
    "cache": [cache["BACKEND"], cache["LOCATION"], cache.get("OPTIONS", {}), cache["KEY_PREFIX"]],
    "email": [s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS],
    "session_engine": s.SESSION_ENGINE,
    "cookies": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY],
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT],
    "storage": type(default_storage._wrapped if hasattr(default_storage, "_wrapped") and default_storage._wrapped is not None else default_storage).__name__,
    "storage_backend": s.STORAGES["default"]["BACKEND"],
    "storage_options": s.STORAGES["default"].get("OPTIONS", {}),
    "media_url": s.MEDIA_URL,
    "csp_img": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "axes_handler": s.AXES_HANDLER,
    "log_format": s.LOG_FORMAT,
    "csrf_origins": s.CSRF_TRUSTED_ORIGINS,
    "serve_media": s.CARAVAN_SERVE_MEDIA,
    "documents_served_by": s.WAGTAILDOCS_SERVE_METHOD,
}, default=str))
"""


def production(env_changes, code=SETTINGS_AS_JSON):
    env = {**GOOD, **env_changes}
    env = {k: v for k, v in env.items() if v is not None}
    return python(code, env=clean_environment(**env))


def error_line(result):
    assert result.returncode != 0, result.stdout
    lines = [line for line in result.stderr.splitlines() if "ImproperlyConfigured:" in line]
    assert len(lines) == 1, result.stderr[-2000:]
    return lines[0]


def test_every_missing_setting_is_named_in_one_line():
    env = dict.fromkeys(
        [
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "CACHE_URL",
            "EMAIL_URL",
            "CARAVAN_BASE_URL",
        ]
    )
    line = error_line(production(env))
    for name in env:
        assert f"{name} is missing" in line
    assert "docs/deploy.md" in line


def test_every_malformed_setting_is_named_in_one_line():
    line = error_line(
        production(
            {
                "DATABASE_URL": "mysqlx://db.internal/caravan",
                "CACHE_URL": "memcachedx://cache.internal:11211",
                "EMAIL_URL": "smtp://mail.example.com:twentyfive",
                "CARAVAN_BASE_URL": "http://shop.example.com",
                "SECURE_HSTS_SECONDS": "a year",
                "CARAVAN_LOGIN_FAILURE_LIMIT": "5.5",
                "SECURE_SSL_REDIRECT": "perhaps",
                "SENTRY_DSN": "not-a-dsn",
                "DEBUG": "true",
                "ALLOWED_HOSTS": "*",
                "SECRET_KEY": "short",
                "CARAVAN_TRUSTED_PROXIES": "10.0.0.0/8, nginx.internal",
                "CARAVAN_HEALTH_TOKEN": "monitor",
                "CARAVAN_HEALTH_DETAIL_IPS": "127.0.0.1, monitoring.internal",
                "INBOUND_IMAP_URL": "pop3://sales:secret@mail.example.com",
            }
        )
    )
    for phrase in (
        "CARAVAN_HEALTH_TOKEN must be at least 32 random characters",
        "CARAVAN_HEALTH_DETAIL_IPS lists addresses or networks (got 'monitoring.internal')",
        "CARAVAN_TRUSTED_PROXIES lists addresses or networks of proxies (got 'nginx.internal')",
        "DATABASE_URL has an unknown scheme 'mysqlx'",
        "CACHE_URL has an unknown scheme 'memcachedx'",
        "EMAIL_URL is malformed",
        "INBOUND_IMAP_URL has an unknown scheme 'pop3'",
        "CARAVAN_BASE_URL must be the site's https:// address",
        "SECURE_HSTS_SECONDS must be a whole number",
        "CARAVAN_LOGIN_FAILURE_LIMIT must be a whole number",
        "SECURE_SSL_REDIRECT must be true or false",
        "SENTRY_DSN is malformed",
        "DEBUG must not be on in production",
        "ALLOWED_HOSTS must name the site's hosts",
        "SECRET_KEY must be at least 50 random characters",
    ):
        assert phrase in line, phrase


def test_a_database_url_without_a_database_name_is_refused():
    line = error_line(production({"DATABASE_URL": "postgres://db.internal:5432/"}))
    assert "DATABASE_URL names no database" in line


def test_postgres_redis_and_smtp_come_from_the_environment():
    result = production({})
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["debug"] is False
    engine, host, port, name, user, options = s["db"]
    assert (engine, host, port, name, user) == (
        "django.db.backends.postgresql",
        "db.internal",
        5432,
        "caravan",
        "caravan",
    )
    assert options["connect_timeout"] == 5
    backend, location, options, prefix = s["cache"]
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert location == "redis://cache.internal:6379/2"
    assert options == {"socket_connect_timeout": 2, "socket_timeout": 2}
    assert prefix == "caravan"
    assert s["email"] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.com",
        587,
        "mailer",
        True,
    ]
    # Sessions read from Redis, kept in the database; throttling counters in Redis.
    assert s["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert s["axes_handler"] == "axes.handlers.cache.AxesCacheHandler"
    assert s["cookies"] == [True, True, True, True]
    assert s["hsts"] == [31536000, True, True]
    assert s["log_format"] == "json"
    assert "https://shop.example.com" in s["csrf_origins"]
    # Media on disk when no bucket is named; the web server serves them, not Django.
    assert s["storage_backend"] == "django.core.files.storage.FileSystemStorage"
    assert s["serve_media"] is False


def test_media_go_to_s3_compatible_storage_when_a_bucket_is_named():
    result = production(
        {
            "AWS_STORAGE_BUCKET_NAME": "silkline-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.eu-central.example-objects.net",
            "AWS_S3_REGION_NAME": "eu-central",
            "AWS_ACCESS_KEY_ID": "AKEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "examplesecret",
            "AWS_S3_CUSTOM_DOMAIN": "media.shop.example.com",
        }
    )
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["storage_backend"] == "storages.backends.s3.S3Storage"
    assert s["storage"] == "S3Storage"
    options = s["storage_options"]
    assert options["bucket_name"] == "silkline-media"
    assert options["endpoint_url"] == "https://s3.eu-central.example-objects.net"
    assert options["region_name"] == "eu-central"
    assert options["access_key"] == "AKEXAMPLE"
    assert options["querystring_auth"] is False  # public pages must not carry expiring URLs
    assert options["file_overwrite"] is False
    # Documents through Wagtail's view (privacy checked), never at the bucket's address.
    assert s["documents_served_by"] == "serve_view"
    assert s["media_url"] == "https://media.shop.example.com/"
    # The public CSP lets pages show images from the media host, and no other.
    assert s["csp_img"] == ["'self'", "data:", "https://media.shop.example.com"]


def test_s3_credentials_must_come_in_pairs():
    line = error_line(
        production({"AWS_STORAGE_BUCKET_NAME": "media", "AWS_ACCESS_KEY_ID": "AKEXAMPLE"})
    )
    assert "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together" in line


class _SentryIntake(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


ERROR_VIEW_REQUEST = """
import django, sentry_sdk
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="caravan.operations.tests.urls_failing", ALLOWED_HOSTS=["testserver"]):
    response = Client(raise_request_exception=False).get("/fail/", secure=True)
print(response.status_code, "Traceback" in response.content.decode(), sentry_sdk.get_client().is_active())
sentry_sdk.flush(timeout=10)
"""


@pytest.fixture
def sentry_intake():
    _SentryIntake.received = []
    server = HTTPServer(("127.0.0.1", free_port()), _SentryIntake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_errors_go_to_sentry_only_when_a_dsn_is_set(sentry_intake):
    port = sentry_intake.server_address[1]
    off = production({}, ERROR_VIEW_REQUEST)
    assert off.returncode == 0, off.stderr
    assert off.stdout.splitlines()[-1].split() == ["500", "False", "False"]
    assert _SentryIntake.received == []

    on = production({"SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/42"}, ERROR_VIEW_REQUEST)
    assert on.returncode == 0, on.stderr
    assert on.stdout.splitlines()[-1].split() == ["500", "False", "True"]
    paths = [path for path, _ in _SentryIntake.received]
    assert "/api/42/envelope/" in paths
    body = b"".join(body for _, body in _SentryIntake.received)
    assert b"A deliberate failure for the error-reporting test" in body
    assert b"RuntimeError" in body


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL", "EMAIL_URL", "CARAVAN_BASE_URL"],
)
def test_production_refuses_to_start_without_any_one_required_setting(missing):
    assert f"{missing} is missing" in error_line(production({missing: None}))


def test_production_starts_with_everything_set_and_debug_off():
    result = production({})
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["debug"] is False
    assert answer["cookies"][0] is True  # SESSION_COOKIE_SECURE


def readme_deploy_check_exceptions():
    """The check ids the README's "Deliberate deploy-check exceptions" section names."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("#### Deliberate deploy-check exceptions", 1)[1].split("\n#", 1)[0]
    return sorted(set(re.findall(r"`([a-z_]+\.[CEIW]\d{3})`", section)))


DEPLOY_CHECK = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps(sorted(settings.SILENCED_SYSTEM_CHECKS)))
"""


@pytest.mark.parametrize("preload", [None, "true"])
def test_check_deploy_reports_only_what_the_readme_documents(preload):
    documented = readme_deploy_check_exceptions()
    assert documented, "the README documents the deliberate deploy-check exceptions"
    result = production({"SECURE_HSTS_PRELOAD": preload}, DEPLOY_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    silenced = json.loads(result.stdout.splitlines()[-1])
    # Without preloading, exactly the documented checks are silenced (and so nothing else
    # is reported); with SECURE_HSTS_PRELOAD=true, as the README says, none is.
    assert silenced == ([] if preload else documented)
    assert f"no issues ({len(silenced)} silenced)" in result.stdout


def test_production_logs_json_lines_with_an_access_log():
    result = production(
        {},
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.LOG_FORMAT, s.CARAVAN_ACCESS_LOG, "
        "str(s.LOGGING['formatters']['active'].get('()'))]))",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [
        "json",
        True,
        "<class 'caravan.operations.logs.CaravanJsonFormatter'>",
    ]


PRODUCTION_REQUESTS = """
import django, json
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test.utils import override_settings
# No collectstatic here: plain static storage instead of the manifest.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
get_user_model().objects.create_superuser("cookie-admin", "", "pw-cookie-admin")
from django.test import Client
c = Client()
plain = c.get("/en/")
lb = c.get("/healthz", HTTP_HOST="10.0.0.5:8000")
login_page = c.get(f"/{settings.CARAVAN_ADMIN_PATH}/login/", secure=True)
token = login_page.cookies["csrftoken"].value
signed_in = c.post(f"/{settings.CARAVAN_ADMIN_PATH}/login/",
    {"username": "cookie-admin", "password": "pw-cookie-admin", "csrfmiddlewaretoken": token},
    secure=True, HTTP_HOST="shop.example.com", HTTP_REFERER="https://shop.example.com/")
def cookie(response, name):
    m = response.cookies[name]
    return {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "lb_status": lb.status_code,
    "hsts": login_page.get("Strict-Transport-Security"),
    "signed_in": signed_in.status_code,
    "csrf": cookie(login_page, "csrftoken"),
    "session": cookie(signed_in, "sessionid"),
}))
"""


def test_production_redirects_to_https_sets_hsts_and_hardens_cookies(tmp_path, fresh_sqlite):
    env = clean_environment(
        **{
            **GOOD,
            "DATABASE_URL": fresh_sqlite,
            "CACHE_URL": "locmemcache://",
            "EMAIL_URL": "consolemail://",
            "ALLOWED_HOSTS": "shop.example.com,testserver",
        },
        CARAVAN_VAR_DIR=tmp_path,
        LOG_FORMAT="plain",
    )
    result = python(PRODUCTION_REQUESTS, env=env, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["plain_status"] == 301
    assert answer["plain_location"].startswith("https://")
    assert answer["lb_status"] == 200  # health probes over plain HTTP are not redirected
    assert answer["hsts"] == "max-age=31536000; includeSubDomains"
    assert answer["signed_in"] == 302
    assert answer["csrf"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert answer["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}


@pytest.mark.parametrize(
    "proxy",
    [
        {"CARAVAN_TRUSTED_PROXY_COUNT": None},
        {"CARAVAN_TRUSTED_PROXY_COUNT": "0"},
        {"CARAVAN_TRUSTED_PROXY_COUNT": None, "CARAVAN_TRUSTED_PROXIES": ""},
    ],
)
def test_check_deploy_fails_behind_a_proxy_that_is_not_trusted_for_addresses(proxy):
    """With nginx in front and no proxy trusted, every visitor has nginx's address and
    the rate limits and sign-in throttling become site-wide: the deploy check says so."""
    result = production(proxy, code=DEPLOY_CHECK)
    assert result.returncode != 0
    assert "operations.W001" in result.stderr
    assert "CARAVAN_TRUSTED_PROXY_COUNT=1" in result.stderr


@pytest.mark.parametrize(
    "proxy",
    [
        {"CARAVAN_TRUSTED_PROXY_COUNT": "1"},
        {"CARAVAN_TRUSTED_PROXY_COUNT": None, "CARAVAN_TRUSTED_PROXIES": "10.0.0.0/8"},
    ],
)
def test_check_deploy_passes_once_the_proxy_is_trusted(proxy):
    result = production(proxy, code=DEPLOY_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "operations.W001" not in result.stdout + result.stderr

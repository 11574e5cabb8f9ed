"""Services some tests need (PostgreSQL, Redis, nginx, GNU gettext, Chromium) and the
one rule for when one is missing.

Tests marked `postgres` or `redis` are about the suite's own PostgreSQL database or Redis
cache (`make test-postgres`); other tests need a program on this machine. Without what
they need they are skipped with one line saying why; with CARAVAN_REQUIRE_SERVICES=1
(set by .ci/run) the skip is a failure, and so for the browser with
CARAVAN_REQUIRE_BROWSER=1."""

import os
import shutil

REQUIRE_SERVICES_ENV = "CARAVAN_REQUIRE_SERVICES"
REQUIRE_BROWSER_ENV = "CARAVAN_REQUIRE_BROWSER"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
NGINX = os.environ.get("CARAVAN_NGINX", shutil.which("nginx") or "/usr/sbin/nginx")


def required(require_env=REQUIRE_SERVICES_ENV):
    """Whether this run must not skip what `require_env` covers (it is set to 1)."""
    return os.environ.get(require_env) == "1"


def skip_or_fail(problem, require_env=REQUIRE_SERVICES_ENV):
    """Skip the test saying `problem`; fail it instead when `require_env` is 1 (CI)."""
    import pytest

    if required(require_env):
        pytest.fail(f"{problem} [{require_env}=1]", pytrace=False)
    pytest.skip(problem)


def nginx_problem():
    """Why nginx cannot be run here, or None."""
    if not os.access(NGINX, os.X_OK):
        return "nginx is not installed (apt-get install nginx-light): the nginx test is skipped"
    return None


def unverified_tls():
    """An SSL context for a test's own self-signed certificate."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def self_signed_certificate(directory):
    """A certificate for 127.0.0.1 and its key, as PEM files in `directory`."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return directory / "cert.pem", directory / "key.pem"


def nginx_config(directory, port, app_port, public_dir, http_port=None, media_dir=None):
    """deploy/nginx/caravan.conf with the lines marked EDIT pointed at a test's (or the
    benchmark's) `directory`, ports and public tree: the https server on `port` (with a
    self-signed certificate made in `directory`), the plain-HTTP one that redirects on
    `http_port`: a whole nginx.conf to run with -p."""
    from .processes import ROOT, free_port

    site = (ROOT / "deploy/nginx/caravan.conf").read_text()
    certificate, key = self_signed_certificate(directory)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port or free_port()};")
    site = site.replace("/etc/ssl/caravan/fullchain.pem", str(certificate))
    site = site.replace("/etc/ssl/caravan/privkey.pem", str(key))
    site = site.replace("/srv/caravan/var/static/", f"{ROOT / 'caravan' / 'static'}/")
    if media_dir is not None:
        site = site.replace("/srv/caravan/var/media/", f"{media_dir}/")
    site = site.replace("/srv/caravan/var/public", str(public_dir))
    site = site.replace("/etc/nginx/conf.d/caravan-brotli*.conf", str(directory / "brotli*.conf"))
    temp = " ".join(
        f"{name}_temp_path {directory / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    return (
        f"{user} worker_processes 1; daemon off; pid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'error.log'};\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{ access_log off; default_type application/octet-stream; {temp}\n{site}\n}}\n"
    )


def postgres_problem():
    """Why the suite's database is not a reachable PostgreSQL, or None."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        return "needs the suite on PostgreSQL: run `make test-postgres` (DATABASE_URL=postgres://…)"
    return None


def redis_problem():
    """Why the suite's cache is not a reachable Redis, or None."""
    from django.conf import settings

    config = settings.CACHES["default"]
    if "redis" not in config["BACKEND"].lower():
        return "needs the suite's cache on Redis: run `make test-postgres` (CACHE_URL=redis://…)"
    import redis

    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location
    try:
        redis.Redis.from_url(location, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {location} is unreachable ({exc})"
    return None


def postgres_server_url():
    """A PostgreSQL server URL (its maintenance database) for scratch databases: the
    suite's own server when it runs on PostgreSQL, else CARAVAN_TEST_POSTGRES_URL
    (default postgres://postgres@127.0.0.1:5432/postgres). Returns (url, problem)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    else:
        url = os.environ.get("CARAVAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return url, f"PostgreSQL at {url} is unreachable ({str(exc).strip().splitlines()[0]})"
    return url, None


# The Nu HTML Checker, from the npm package vnu-jar (`npm ci`, done by `make test`), run
# with Java (Debian's default-jre-headless).
VNU_JAR = os.environ.get(
    "CARAVAN_VNU_JAR",
    os.path.join(
        os.path.dirname(__file__), "..", "..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"
    ),
)


def vnu_problem():
    """Why the Nu HTML Checker cannot be run here, or None."""
    if not shutil.which("java"):
        return "Java is not installed (apt-get install default-jre-headless): HTML not checked"
    if not os.path.isfile(VNU_JAR):
        return "vnu.jar is missing (npm ci, as `make test` does): HTML not checked"
    return None

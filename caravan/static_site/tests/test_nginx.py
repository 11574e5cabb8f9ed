"""The shipped nginx configuration (deploy/nginx/caravan.conf), run by a real nginx on a
free port in front of a granian app server: public pages come from the files, the rest
from the app.

Without nginx (`apt-get install nginx-light`) the test skips with one line; under
CARAVAN_REQUIRE_SERVICES=1 (CI) that is a failure."""

import gzip
import http.client
import json
import os
import secrets
import shutil
import sqlite3
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from caravan import testing
from caravan.core import querystrings
from caravan.news.models import NewsIndexPage
from caravan.static_site.build import BUILD_STAMP
from caravan.static_site.models import PublicFile

ROOT = Path(settings.BASE_DIR)
NGINX = os.environ.get("CARAVAN_NGINX", shutil.which("nginx") or "/usr/sbin/nginx")


def nginx_problem():
    if not os.access(NGINX, os.X_OK):
        return "nginx is not installed (apt-get install nginx-light): the nginx test is skipped"
    return None


def _database_url(directory):
    if connection.vendor == "sqlite":
        database = directory / "app.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database)
        connection.connection.backup(target)  # the demo as the session loaded it
        target.close()
        return f"sqlite:///{database}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _connection(port, tls=False, timeout=10):
    if tls:  # the test's own self-signed certificate
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)


def _wait(port, path, proc, log, timeout=90, tls=False):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited:\n{log.read_text()[-3000:]}")
        try:
            conn = _connection(port, tls, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no answer on port {port}:\n{log.read_text()[-3000:]}")


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
    """deploy/nginx/caravan.conf with the lines marked EDIT pointed at this test: the
    https server on `port`, the plain-HTTP one on `http_port`."""
    site = (ROOT / "deploy/nginx/caravan.conf").read_text()
    certificate, key = self_signed_certificate(directory)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port or testing.free_port()};")
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


@pytest.fixture(scope="module")
def app_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The session's demo database as the app server sees it (copied outside any test's
    transaction)."""
    if nginx_problem():
        return None
    with django_db_blocker.unblock():
        return _database_url(tmp_path_factory.mktemp("app-database"))


@pytest.fixture
def nginx_site(app_database, built, public_dir, tmp_path):
    problem = nginx_problem()
    if problem and os.environ.get(testing.REQUIRE_SERVICES_ENV) == "1":
        pytest.fail(f"{problem} [{testing.REQUIRE_SERVICES_ENV}=1]", pytrace=False)
    if problem:
        pytest.skip(problem)
    app_port, port, http_port = testing.free_port(), testing.free_port(), testing.free_port()
    media_dir = tmp_path / "media"
    (media_dir / "images").mkdir(parents=True)
    for name in ("photo.jpg", "photo.PNG", "photo.webp", "drawing.svg", "page.html", "sheet.pdf"):
        (media_dir / "images" / name).write_bytes(b"test upload " + name.encode())
    (media_dir / ".hidden").write_text("not for visitors")
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DATABASE_URL")}
    env.update(
        # The test settings: static files from the source tree, no collectstatic needed.
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        DATABASE_URL=app_database,
        CARAVAN_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        SECRET_KEY=secrets.token_urlsafe(50),
        CARAVAN_BASE_URL=f"https://127.0.0.1:{port}",
        CARAVAN_PUBLIC_DIR=str(public_dir),
        CARAVAN_STATIC_FAST_PATH="0",  # whatever comes from a file here, nginx sent it
    )
    app_log = tmp_path / "granian.log"
    with app_log.open("w") as out:
        app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(app_port),
                "--workers",
                "1",
                "--no-ws",
                "caravan.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (tmp_path / "nginx.conf").write_text(
        nginx_config(tmp_path, port, app_port, public_dir, http_port, media_dir)
    )
    web = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait(app_port, "/healthz", app, app_log)
        _wait(port, "/healthz", web, tmp_path / "error.log", tls=True)
        yield Site(port, http_port)
    finally:
        testing.stop_process_group(web)
        testing.stop_process_group(app)


@dataclass
class Site:
    port: int  # https
    http_port: int  # plain HTTP: the redirect


def get(port, path, method="GET", body=None, tls=True, **headers):
    conn = _connection(port, tls)
    conn.request(
        method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    response = conn.getresponse()
    return response, response.read()


def directives(policy):
    return sorted(part.strip() for part in policy.split(";") if part.strip())


def test_nginx_serves_the_files_and_hands_the_rest_to_the_app(nginx_site, public_dir):
    port = nginx_site.port
    news = NewsIndexPage.objects.get(locale__language_code="en")
    plain = (public_dir / PublicFile.objects.get(url=news.url).path).read_bytes()

    response, body = get(port, news.url, Accept_Encoding="gzip")
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == plain
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "Accept-Encoding" in response.getheader("Vary", "")
    assert response.getheader("X-Request-ID") is None  # Django never saw it
    assert response.getheader("Content-Language") == "en"
    # The headers Django sends with public pages, as the shipped configuration sends them.
    django_headers = json.loads((public_dir / ".headers.json").read_text())
    for name, value in django_headers.items():
        if name == "Content-Security-Policy":
            assert directives(response.getheader(name)) == directives(value)
        else:
            assert response.getheader(name) == value, name

    response, body = get(port, news.url)
    assert body == plain and response.getheader("Content-Encoding") is None
    response, _ = get(port, news.url + "feed/rss/")
    assert response.getheader("Content-Type") == "application/rss+xml; charset=utf-8"

    # A campaign's link (tracking parameters only) is the same page: from the file too.
    for query in (
        "?utm_source=newsletter&utm_medium=email&utm_campaign=autumn",
        "?gclid=Cj0K",
        "?fbclid=IwAR&utm_source=facebook",
    ):
        response, body = get(port, news.url + query)
        assert response.getheader("X-Request-ID") is None, query
        assert body == plain, query

    # The app: a query string, a POST, the inquiry endpoint, an address with no file.
    for method, path in (
        ("GET", news.url + "?page=abc"),
        ("GET", "/en/inquiry/"),
        ("GET", news.url + "?utm_source=x&q=valve"),
        ("GET", news.url + "?gclidx=1"),
        ("POST", "/en/inquiry/"),
        ("GET", "/en/no-such-page/"),
    ):
        response, _ = get(port, path, method=method, body=b"" if method == "POST" else None)
        assert response.getheader("X-Request-ID"), (method, path)
        assert response.status < 500, (method, path)


def test_the_shipped_configuration_knows_the_tracking_parameters_the_app_knows():
    """nginx and the app must agree on which query strings leave a page unchanged."""
    site = (ROOT / "deploy/nginx/caravan.conf").read_text()
    assert f'"~{querystrings.TRACKING_ONLY}" "";' in site


def test_nginx_keeps_hidden_files_private_and_https_strict(nginx_site, public_dir):
    """Nothing whose name starts with a dot is sent (the tree's bookkeeping), every https
    answer carries Strict-Transport-Security (also files nginx sends itself, and its
    errors), plain HTTP is redirected to https, and an upload that is not a raster image
    is a download."""
    port = nginx_site.port
    news = NewsIndexPage.objects.get(locale__language_code="en")
    (public_dir / BUILD_STAMP).write_text("what rendered the tree")  # as a whole build leaves
    assert (public_dir / ".headers.json").exists()
    for path in (
        "/.headers.json",
        "/.build-fingerprint",
        "/.git/config",
        "/en/.x",
        "/media/.hidden",
    ):
        response, body = get(port, path)
        assert response.status == 404, path
        assert b"max-age" not in body and b"not for visitors" not in body, path

    checked = {  # what: (address, status)
        "a public page from its file": (news.url, 200),
        "a feed from its file": (news.url + "feed/rss/", 200),
        "the app": (news.url + "?page=1", 200),
        "the app's 404": ("/en/no-such-page/", 404),
        "a static file": ("/static/js/inquiry.js", 200),
        "an upload": ("/media/images/photo.jpg", 200),
        "nginx's own 404": ("/.headers.json", 404),
        "a document's file, refused": ("/media/documents/x.pdf", 404),
    }
    for what, (path, status) in checked.items():
        response, _ = get(port, path)
        assert response.status == status, what
        assert response.getheader("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains"
        ), what
        assert len(response.headers.get_all("Strict-Transport-Security")) == 1, what

    for path in (news.url, "/en/inquiry/?x=1", "/admin/"):
        response, _ = get(nginx_site.http_port, path, tls=False, Host="www.example.com")
        assert response.status == 301, path
        assert response.getheader("Location") == f"https://www.example.com{path}", path
        assert response.getheader("Strict-Transport-Security") is None  # not over HTTP

    for name, inline in (
        ("photo.jpg", True),
        ("photo.PNG", True),
        ("photo.webp", True),
        ("drawing.svg", False),
        ("page.html", False),
        ("sheet.pdf", False),
    ):
        response, body = get(port, f"/media/images/{name}")
        assert response.status == 200 and body.startswith(b"test upload"), name
        disposition = response.getheader("Content-Disposition")
        assert (disposition is None) if inline else (disposition == "attachment"), name
        assert response.getheader("X-Content-Type-Options") == "nosniff", name

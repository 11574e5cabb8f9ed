"""The shipped nginx configuration (deploy/nginx/caravan.conf), run by a real nginx on a
free port in front of a granian app server: public pages come from the files, the rest
from the app.

Without nginx (`apt-get install nginx-light`) the test skips with one line; under
CARAVAN_REQUIRE_SERVICES=1 (CI) that is a failure."""

import gzip
import http.client
import json
import secrets
import sys
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection

from caravan.core import querystrings
from caravan.news.models import NewsIndexPage
from caravan.static_site.build import BUILD_STAMP
from caravan.static_site.models import PublicFile
from caravan.testing import services
from caravan.testing.processes import (
    ROOT,
    clean_environment,
    copy_postgres_test_database,
    copy_test_database,
    database_url,
    drop_database,
    free_port,
    start_server,
)


@pytest.fixture(scope="module")
def app_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The session's demo database as the app server sees it: a copy, made outside any
    test's transaction, so that the app never waits on a lock the test's open
    transaction holds (on PostgreSQL it would, until the request timed out)."""
    if services.nginx_problem():
        yield None
        return
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            url = copy_test_database(tmp_path_factory.mktemp("app-database") / "app.sqlite3")
        yield url
        return
    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_app"
    with django_db_blocker.unblock():
        url = copy_postgres_test_database(name)
    yield url
    drop_database(settings_dict, name)


@pytest.fixture
def nginx_site(app_database, built, public_dir, tmp_path):
    problem = services.nginx_problem()
    if problem:
        services.skip_or_fail(problem)
    from caravan.operations.management.commands.runsite import granian_command

    app_port, port, http_port = free_port(), free_port(), free_port()
    media_dir = tmp_path / "media"
    (media_dir / "images").mkdir(parents=True)
    for name in ("photo.jpg", "photo.PNG", "photo.webp", "drawing.svg", "page.html", "sheet.pdf"):
        (media_dir / "images" / name).write_bytes(b"test upload " + name.encode())
    (media_dir / ".hidden").write_text("not for visitors")
    env = clean_environment(
        # The test settings: static files from the source tree, no collectstatic needed.
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        DATABASE_URL=app_database,
        CARAVAN_VAR_DIR=tmp_path,
        MEDIA_ROOT=settings.MEDIA_ROOT,
        SECRET_KEY=secrets.token_urlsafe(50),
        CARAVAN_BASE_URL=f"https://127.0.0.1:{port}",
        CARAVAN_PUBLIC_DIR=public_dir,
        CARAVAN_STATIC_FAST_PATH="0",  # whatever comes from a file here, nginx sent it
    )
    app = start_server(
        "granian",
        granian_command("127.0.0.1", app_port, 1, 8, sys.executable),
        env,
        tmp_path,
        f"http://127.0.0.1:{app_port}/healthz",
    )
    config = tmp_path / "nginx.conf"
    config.write_text(
        services.nginx_config(tmp_path, port, app_port, public_dir, http_port, media_dir)
    )
    try:
        web = start_server(
            "nginx",
            [services.NGINX, "-p", tmp_path, "-c", config, "-e", tmp_path / "error.log"],
            env,
            tmp_path,
            f"https://127.0.0.1:{port}/healthz",
            ssl_context=services.unverified_tls(),
        )
    except AssertionError as exc:
        app.stop()
        raise AssertionError(f"{exc}\n{(tmp_path / 'error.log').read_text()[-3000:]}") from exc
    try:
        yield Site(port, http_port, app)
    finally:
        web.stop()
        app.stop()


@dataclass
class Site:
    port: int  # https
    http_port: int  # plain HTTP: the redirect
    app: object  # the app server's Process


def diagnosis(site):
    """What the app server printed and, on PostgreSQL, what every connection is waiting for."""
    lines = [site.app.output()[-3000:]]
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(database_url(connection.settings_dict)) as other:
            for row in other.execute(
                "SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid),"
                " datname, left(query, 300) FROM pg_stat_activity WHERE datname IS NOT NULL"
            ):
                lines.append(repr(row))
    return "\n".join(lines)


# Generous: the app's first render in a fresh process, on a CI machine whose other test
# worker is busy. (A request that once waited past any timeout on PostgreSQL was waiting
# on the test's own transaction: the app now has its own copy of the database.)
TIMEOUT = 30


def get(port, path, method="GET", body=None, tls=True, **headers):
    if tls:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=TIMEOUT, context=services.unverified_tls()
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
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
        try:
            response, _ = get(port, path, method=method, body=b"" if method == "POST" else None)
        except TimeoutError as exc:
            raise AssertionError(f"{method} {path}: no answer\n{diagnosis(nginx_site)}") from exc
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


def test_nginx_and_the_embedded_server_send_the_same_validators_and_policy(
    nginx_site, public_dir, settings
):
    """A browser or CDN revalidates alike whichever server answered: the same ETag and
    Last-Modified for the same file and encoding, 304 for a current copy (GET and HEAD,
    by ETag or by date), and the same Cache-Control."""
    from caravan.static_site import caching
    from caravan.static_site.serve import PublicFiles

    from .test_serving import call, django_app

    port = nginx_site.port
    news = NewsIndexPage.objects.get(locale__language_code="en")
    fast = PublicFiles(django_app, public_dir, languages=["en"], allowed_hosts=["testserver"])
    for path in (news.url, news.url + "feed/rss/", "/robots.txt", "/sitemap.xml"):
        for encoding in (None, "gzip"):
            response, body = get(port, path, **({"Accept_Encoding": encoding} if encoding else {}))
            embedded = call(fast, path, accept_encoding=encoding)["headers"]
            assert response.status == 200, path
            for name in ("ETag", "Last-Modified", "Cache-Control"):
                assert response.getheader(name) == embedded[name], (path, encoding, name)
            assert response.getheader("ETag").startswith('"')  # strong
            assert response.getheader("Cache-Control") == caching.PUBLIC_PAGE
            tag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
            extra = {"Accept_Encoding": encoding} if encoding else {}
            for method in ("GET", "HEAD"):
                for validator in ({"If_None_Match": tag}, {"If_Modified_Since": modified}):
                    again, body = get(port, path, method=method, **validator, **extra)
                    assert again.status == 304, (path, method, validator)
                    assert body == b""
                    assert again.getheader("ETag") == tag
            again, body = get(port, path, If_None_Match='"0-0"', **extra)
            assert again.status == 200 and len(body) == int(again.getheader("Content-Length"))
            head, body = get(port, path, method="HEAD", **extra)
            assert head.status == 200 and body == b""
            assert head.getheader("Content-Length") == again.getheader("Content-Length")

    # Static files and uploads: validators, 304 and their lifetimes, as the app sends them.
    for path, control in (
        ("/static/js/inquiry.js", "max-age=3600, public"),
        ("/media/images/photo.jpg", caching.MEDIA),
    ):
        response, _ = get(port, path)
        assert response.getheader("Cache-Control") == control, path
        assert response.getheader("Last-Modified") and response.getheader("ETag"), path
        again, body = get(port, path, If_None_Match=response.getheader("ETag"))
        assert again.status == 304 and body == b"", path
    # The dynamic pages the app answers stay private behind nginx.
    for path in ("/en/inquiry/", "/en/search/?q=valve"):
        response, _ = get(port, path)
        assert "no-store" in response.getheader("Cache-Control"), path
    # The hashed static files' lifetime in the shipped configuration is WhiteNoise's.
    assert f'"{caching.STATIC_HASHED}"' in (ROOT / "deploy/nginx/caravan.conf").read_text()
    assert f'"{caching.PUBLIC_PAGE}"' in (ROOT / "deploy/nginx/caravan.conf").read_text()
    assert f'"{caching.MEDIA}"' in (ROOT / "deploy/nginx/caravan.conf").read_text()

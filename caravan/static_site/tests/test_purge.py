"""Purge on publish: the addresses whose files changed are purged from a front-end cache
through wagtail.contrib.frontend_cache; end to end with a real Varnish (Debian's
`varnish`) in front of a granian app server answering from the files.

Without varnishd the end-to-end test skips with one line; under
CARAVAN_REQUIRE_SERVICES=1 (CI) that is a failure."""

import http.client
import os
import secrets
import shutil
import subprocess
import sys
import time

import pytest

from caravan.news.models import NewsIndexPage
from caravan.static_site import purge
from caravan.testing import services
from caravan.testing.processes import clean_environment, free_port, start_server

from .test_nginx import app_database  # noqa: F401 (a fixture)

VARNISHD = os.environ.get("CARAVAN_VARNISHD", shutil.which("varnishd") or "/usr/sbin/varnishd")
VCL = """vcl 4.1;
backend default {{ .host = "127.0.0.1"; .port = "{port}"; }}
acl purgers {{ "127.0.0.1"; }}
sub vcl_recv {{
    if (req.method == "PURGE") {{
        if (!client.ip ~ purgers) {{ return (synth(405, "Not allowed")); }}
        return (purge);
    }}
}}
"""


def test_the_addresses_of_files():
    assert purge.address_of("en/news/index.html") == "/en/news/"
    assert purge.address_of("en/news/feed/rss/index.rss") == "/en/news/feed/rss/"
    assert purge.address_of("index.html") == "/"
    assert purge.address_of("sitemap.xml") == "/sitemap.xml"
    assert purge.address_of("robots.txt") == "/robots.txt"


def snapshot(root):
    """{path: bytes} of the tree's files (not the compressed variants or bookkeeping)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path.suffix not in (".gz", ".br") and not path.name.startswith(".")
    }


def test_publishing_purges_exactly_the_changed_addresses(
    built, public_dir, publishing, settings, monkeypatch
):
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://cdn.invalid",
        }
    }
    purged = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.backends.http.HTTPBackend.purge",
        lambda self, url: purged.append(url),
    )
    news = NewsIndexPage.objects.get(locale__language_code="en")
    before = snapshot(public_dir)
    with publishing():
        news.title = "Company news, renamed"
        news.save_revision().publish()
    after = snapshot(public_dir)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    base = settings.CARAVAN_BASE_URL
    assert f"{base}{news.url}" in purged
    assert sorted(purged) == sorted({base + purge.address_of(path) for path in changed})

    settings.WAGTAILFRONTENDCACHE = {}  # nothing configured: nothing purged
    purged.clear()
    with publishing():
        news.title = "Company news"
        news.save_revision().publish()
    assert purged == []


def varnish_problem():
    if not (os.path.isfile(VARNISHD) and os.access(VARNISHD, os.X_OK)):
        return "varnishd is not installed (apt-get install varnish): the purge test is skipped"
    return None


def fetch(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response, response.read().decode()


@pytest.fixture
def varnish_site(app_database, built, public_dir, tmp_path, settings):  # noqa: F811
    problem = varnish_problem()
    if problem:
        services.skip_or_fail(problem)
    from caravan.operations.management.commands.runsite import granian_command

    app_port, port = free_port(), free_port()
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        DATABASE_URL=app_database,
        CARAVAN_VAR_DIR=tmp_path,
        MEDIA_ROOT=settings.MEDIA_ROOT,
        SECRET_KEY=secrets.token_urlsafe(50),
        CARAVAN_PUBLIC_DIR=public_dir,  # the fast path answers from the files this test writes
    )
    app = start_server(
        "granian",
        granian_command("127.0.0.1", app_port, 1, 4, sys.executable),
        env,
        tmp_path,
        f"http://127.0.0.1:{app_port}/healthz",
    )
    vcl = tmp_path / "purge.vcl"
    vcl.write_text(VCL.format(port=app_port))
    log = open(tmp_path / "varnish.log", "w")  # noqa: SIM115
    varnish = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-T", "none", "-a", f"127.0.0.1:{port}", "-f", vcl]
        + ["-n", tmp_path / "varnish", "-s", "malloc,32m"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(port, "/healthz")
                break
            except OSError:
                if varnish.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "varnish.log").read_text()) from None
                time.sleep(0.2)
        # Varnish is the site's public address: the purge names it.
        settings.CARAVAN_BASE_URL = f"http://127.0.0.1:{port}"
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{port}",
            }
        }
        yield port
    finally:
        varnish.terminate()
        varnish.wait(timeout=30)
        log.close()
        app.stop()


def test_a_publish_reaches_visitors_through_varnish_at_once(
    varnish_site, publishing, public_dir, caplog
):
    caplog.set_level("INFO", logger="wagtail.frontendcache")
    port = varnish_site
    news = NewsIndexPage.objects.get(locale__language_code="en")
    response, body = fetch(port, news.url)
    assert response.status == 200 and news.title in body
    response, body = fetch(port, news.url)
    assert len(response.getheader("X-Varnish").split()) == 2  # from Varnish's cache
    assert news.title in body

    with publishing():
        news.title = "News from the factory floor"
        news.save_revision().publish()

    on_disk = (public_dir / "en" / "news" / "index.html").read_text()
    assert "News from the factory floor" in on_disk
    response, body = fetch(port, news.url)
    assert response.status == 200
    assert "News from the factory floor" in body, (
        response.getheader("X-Varnish"),
        caplog.text,
    )
    assert len(response.getheader("X-Varnish").split()) == 1  # fetched afresh

"""Security headers on every response, a strict CSP for the public site, a looser one
for the admin, uploads that cannot run scripts, and an admin path of one's choosing."""

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page

from caravan.testing import crawl
from caravan.testing.processes import clean_environment, python

pytestmark = pytest.mark.django_db


def csp(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Content-Security-Policy" in response


def test_every_public_page_has_the_strict_policy_and_no_inline_code(client):
    pages = crawl(client, "/en/")
    html_pages = {p: r for p, r in pages.items() if r["Content-Type"].startswith("text/html")}
    assert len(html_pages) >= 4
    for path, response in html_pages.items():
        assert_common_headers(response)
        policy = csp(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        page = BeautifulSoup(response.content, "html.parser")
        for script in page.find_all("script"):
            # External files, or JSON-LD data blocks, which CSP does not treat as scripts.
            assert script.get("src") or script.get("type") == "application/ld+json", path
        assert not page.select("[style]"), f"inline style attribute on {path}"
        handlers = [a for tag in page.find_all(True) for a in tag.attrs if a.startswith("on")]
        assert handlers == [], path


def test_error_pages_static_files_and_health_carry_the_headers(client):
    for path in ("/en/no-such-page/", "/static/css/site.css", "/healthz"):
        response = client.get(path)
        assert_common_headers(response)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], path


def test_the_admin_has_its_own_policy_without_other_hosts_or_framing(admin_client):
    for path in ("login/", "", "pages/"):
        response = admin_client.get(f"/{settings.CARAVAN_ADMIN_PATH}/{path}")
        assert response.status_code in (200, 302), path
        assert_common_headers(response)
        policy = csp(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["connect-src"] == ["'self'"]
        assert all(
            not source.startswith("http") for sources in policy.values() for source in sources
        )


def test_the_live_preview_may_be_framed_by_the_admin_only(admin_client):
    about = Page.objects.get(slug="about", locale__language_code="en")
    preview = f"/{settings.CARAVAN_ADMIN_PATH}/pages/{about.pk}/edit/preview/"
    form = {
        "title": "About us (draft)",
        "slug": "about",
        "introduction": "A draft introduction.",
        "body-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    assert admin_client.post(preview, form).json()["is_valid"] is True
    # Wagtail renders the draft through the middleware for the page's public URL, then
    # allows same-origin framing: the admin's preview panel may show it, no one else.
    response = admin_client.get(preview, {"in_preview_panel": "true"})
    assert "About us (draft)" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = csp(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # the page itself under the public policy


def test_uploaded_images_are_served_inline_but_cannot_run_anything(client):
    html = client.get("/en/").content.decode()
    image_path = BeautifulSoup(html, "html.parser").select_one("img.hero__image")["src"]
    response = client.get(image_path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_uploads_are_long_lived_and_answer_conditional_requests(client):
    from caravan.static_site.caching import MEDIA

    html = client.get("/en/").content.decode()
    image_path = BeautifulSoup(html, "html.parser").select_one("img.hero__image")["src"]
    response = client.get(image_path)
    assert response["Cache-Control"] == MEDIA
    tag, modified = response["ETag"], response["Last-Modified"]
    for validators in ({"HTTP_IF_NONE_MATCH": tag}, {"HTTP_IF_MODIFIED_SINCE": modified}):
        again = client.get(image_path, **validators)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == tag
    assert client.get(image_path, HTTP_IF_NONE_MATCH='"0-0"').status_code == 200
    assert client.get("/media/images/no-such-file.jpg").status_code == 404


def test_other_uploaded_files_are_attachments_and_documents_only_go_through_wagtail(client):
    from django.core.files.storage import default_storage

    svg = default_storage.save(
        "original_images/drawing.svg",
        ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    )
    try:
        response = client.get(f"/media/{svg}")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    finally:
        default_storage.delete(svg)

    document = get_document_model().objects.create(
        title="Price list", file=ContentFile(b"<html><script>alert(1)</script>", name="prices.txt")
    )
    # The storage path bypasses Wagtail's privacy checks, so it is refused…
    assert client.get(f"/media/{document.file.name}").status_code == 404
    # …and the document link answers with Wagtail's own CSP.
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


ADMIN_PATH_REQUESTS = """
import django, io, json
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.contrib.auth.views import redirect_to_login
out = io.StringIO()
call_command("ensure_admin", stdout=out)
c = Client()
print(json.dumps({
    "new": c.get("/backoffice/login/").status_code,
    "old": c.get("/admin/login/", follow=True).status_code,
    "login_url": reverse("wagtailadmin_login"),
    "login_required": redirect_to_login("/en/leads/")["Location"],
    "policy": c.get("/backoffice/login/")["Content-Security-Policy"],
    "printed": out.getvalue(),
}))
"""


def test_the_admin_path_is_configurable_everywhere(tmp_path, fresh_sqlite):
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        CARAVAN_ADMIN_PATH="backoffice",
        DATABASE_URL=fresh_sqlite,
        CARAVAN_VAR_DIR=tmp_path,
    )
    result = python(ADMIN_PATH_REQUESTS, env=env, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["new"] == 200 and answer["old"] == 404
    assert answer["login_url"] == "/backoffice/login/"
    # Views for signed-in people (@login_required) send them to the admin's sign-in.
    assert answer["login_required"] == "/backoffice/login/?next=/en/leads/"
    assert "'unsafe-inline'" in answer["policy"]  # the admin's policy follows the path
    assert "/backoffice/" in answer["printed"] and "/admin/" not in answer["printed"]


@override_settings(CARAVAN_ADMIN_PATH="admin")
def test_public_pages_do_not_get_the_admin_policy_by_prefix_accident():
    # /administration-news/ is not under /admin/.
    from caravan.operations.middleware import is_admin_path

    assert is_admin_path("/admin/pages/")
    assert not is_admin_path("/administration-news/")
    assert not is_admin_path("/en/admin/")
    assert Client().get("/en/").status_code == 200

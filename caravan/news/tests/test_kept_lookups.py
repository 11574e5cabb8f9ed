"""Pages Django serves alone keep the look-ups they share (the menu, a section's counts)
until content changes: a publish shows at once, and only anonymous visitors' requests
keep anything (caravan/core/shared.py, core/listing.py)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from caravan.core.shared import SharedAcrossRequests, shared
from caravan.testing import make_article

from .conftest import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeping(settings):
    settings.CARAVAN_KEEP_LOOKUPS = True
    cache.clear()
    yield
    cache.clear()


def test_a_published_article_shows_at_once_in_the_list_and_its_pages(client, press, keeping):
    for n in range(3):
        make_article(press, f"Article {n}")
    first = soup(client.get("/en/press-room/"))
    assert not first.select("a[href='/en/press-room/page/2/']")
    assert client.get("/en/press-room/page/2/").status_code == 404
    make_article(press, "Fourth", tags=["valves"])
    again = soup(client.get("/en/press-room/"))
    assert again.select_one(".news-card__title").get_text(strip=True) == "Fourth"
    assert again.select("a[href='/en/press-room/page/2/']")  # the count followed
    assert client.get("/en/press-room/page/2/").status_code == 200
    assert client.get("/en/press-room/tag/valves/").status_code == 200  # and the tags


def test_only_anonymous_requests_keep_look_ups(keeping):
    computed = []

    def view(request):
        return HttpResponse(str(shared(("thing",), lambda: computed.append(1) or len(computed))))

    middleware = SharedAcrossRequests(view)
    factory = RequestFactory()
    assert middleware(factory.get("/en/")).content == b"1"
    assert middleware(factory.get("/en/about/")).content == b"1"  # kept
    signed_in = factory.get("/en/", HTTP_COOKIE="sessionid=abc")
    assert middleware(signed_in).content == b"2"  # an editor's request computes afresh
    assert middleware(factory.post("/en/")).content == b"3"
    assert middleware(factory.get("/en/", HTTP_HOST="other.example")).content == b"4"


def test_an_article_served_alone_keeps_its_neighbours_language_versions_and_site(
    client, press, keeping
):
    """Asked again, an article no longer looks up the site, the articles before and after
    it or its language versions; a newer article, or a changed site, shows at once."""
    now = timezone.now()
    older = make_article(press, "Older", date=now - timedelta(days=2))
    article = make_article(press, "Middle", date=now - timedelta(days=1))
    client.get(article.url)
    with CaptureQueriesContext(connection) as queries:
        nav = soup(client.get(article.url)).select_one("nav.article-nav")
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert nav.select_one("a[rel=prev]")["href"] == older.url
    assert not nav.select("a[rel=next]")
    assert "wagtailcore_site" not in sql
    assert not re.search(r'"sort_date" [<>=]', sql)  # the neighbours
    assert '"translation_key" = ' not in sql  # the language versions

    newer = make_article(press, "Newer", date=now)
    nav = soup(client.get(article.url)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=next]")["href"] == newer.url

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed"
    site.save()
    with CaptureQueriesContext(connection) as queries:
        client.get(article.url)
    assert any("wagtailcore_site" in query["sql"] for query in queries.captured_queries)

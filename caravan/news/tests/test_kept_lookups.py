"""Pages Django serves alone keep the look-ups they share (the menu, a section's counts)
until content changes: a publish shows at once, and only anonymous visitors' requests
and editors' previews keep anything; a preview still shows its draft
(caravan/core/shared.py, core/listing.py)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from caravan.core.shared import SharedAcrossRequests, shared
from caravan.news.models import NewsPage
from caravan.testing import make_article, make_product, preview

from .conftest import soup

pytestmark = pytest.mark.django_db


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
    signed_in.is_dummy = True  # the same request rendering Wagtail's preview
    assert middleware(signed_in).content == b"1"  # what the site keeps serves it
    assert middleware(factory.post("/en/")).content == b"3"
    assert middleware(factory.get("/en/", HTTP_HOST="other.example")).content == b"4"


def test_the_next_preview_reads_only_what_the_draft_can_change(press, keeping):
    now = timezone.now()
    older = make_article(press, "Older", date=now - timedelta(days=2))
    article = make_article(press, "Middle", date=now - timedelta(days=1))
    preview(article)
    with CaptureQueriesContext(connection) as queries:
        shown = soup(preview(article, title="Middle, retitled"))
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert shown.h1.get_text(strip=True) == "Middle, retitled"
    assert shown.select_one("a[rel=prev]")["href"] == older.url
    assert not re.search(r'"sort_date" [<>=]', sql)  # the neighbours: kept
    assert "wagtailcore_pageviewrestriction" not in sql
    assert "wagtailcore_site" not in sql and '"locale"' not in sql
    # Left: the neighbours' titles and the article's tags.
    assert len(queries.captured_queries) <= 3, sql


def test_a_preview_shows_the_neighbours_of_its_drafts_date(client, press, keeping):
    now = timezone.now()
    older = make_article(press, "Older", date=now - timedelta(days=3))
    article = make_article(press, "Middle", date=now - timedelta(days=2))
    newer = make_article(press, "Newer", date=now - timedelta(days=1))
    nav = soup(preview(article)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=prev]")["href"] == older.url
    assert nav.select_one("a[rel=next]")["href"] == newer.url
    moved = soup(preview(article, date=now - timedelta(hours=12))).select_one("nav.article-nav")
    assert moved.select_one("a[rel=prev]")["href"] == newer.url
    assert not moved.select("a[rel=next]")
    article.refresh_from_db()  # the draft was never saved: visitors see the old order
    nav = soup(client.get(article.url)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=next]")["href"] == newer.url


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


def test_an_article_asked_again_loads_none_of_the_products_it_names(client, press, keeping):
    """The products an article names, with their card pictures, are kept with the
    look-ups pages share (and their markup under their ids): asked again, the article
    loads none of them; a product withdrawn leaves it at once."""
    named, other = make_product("Named valve"), make_product("Other valve")
    article = make_article(press, "Naming article", products=[named, other])
    with CaptureQueriesContext(connection) as queries:
        shown = client.get(article.url)
    assert '"products_productpage"' in "\n".join(q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(article.url)
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert again.content == shown.content
    assert '"products_productpage"' not in sql
    assert 'FROM "core_caravanrendition"' not in sql

    other.unpublish()
    cards = soup(client.get(article.url)).select(".related-products .card__title")
    assert [card.get_text(strip=True) for card in cards] == ["Named valve"]


def slug_lookups(sql):
    return re.findall(r'"wagtailcore_page"\."slug" = ', sql)


def test_an_address_asked_again_goes_straight_to_its_page(client, press, keeping):
    """Wagtail routes an address one level at a time (a query per level, then the page's
    own row); asked again, the page is loaded by its id, and a list's later page or a
    tag is still routed within its list."""
    for n in range(12):
        make_article(press, f"Article {n}", tags=["valves"])
    article = make_article(press, "Routed article")
    for url in (article.url, "/en/press-room/page/2/", "/en/press-room/tag/valves/"):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        sql = "\n".join(query["sql"] for query in queries.captured_queries)
        assert again.status_code == first.status_code == 200
        assert again.content == first.content
        assert slug_lookups(sql) == [], url
    assert client.get("/en/press-room/page/99/").status_code == 404


def test_the_other_pages_of_a_section_are_routed_from_the_section(client, press, keeping):
    """Once one article was routed, the section's other articles (never asked before)
    are found below the kept section in one slug look-up, not one per level from the
    site's root; an address that names no article still answers 404."""
    first, second = make_article(press, "First routed"), make_article(press, "Second")
    assert client.get(first.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        shown = soup(client.get(second.url))
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert shown.h1.get_text(strip=True) == "Second"
    assert slug_lookups(sql) == ['"wagtailcore_page"."slug" = '], sql
    assert client.get("/en/press-room/no-such-article/").status_code == 404
    assert client.get(second.url).status_code == 200


def test_a_page_withdrawn_unseen_is_not_served_from_its_kept_route(client, press, keeping):
    """Another process may unpublish a page before this one hears of it (the look-ups of
    a process without a shared cache are kept for a minute): the kept route leads
    nowhere then, never to the withdrawn page."""
    article = make_article(press, "Soon withdrawn")
    assert client.get(article.url).status_code == 200
    NewsPage.objects.filter(pk=article.pk).update(live=False)  # no signal: unheard of
    assert client.get(article.url).status_code == 404

"""RSS 2.0 and Atom feeds: well-formed XML, newest entries, nothing unpublished."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from caravan.news.feeds import FEED_LENGTH
from caravan.testing import make_article, make_image

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    return ET.fromstring(response.content)  # noqa: S314


@pytest.fixture
def articles(press):
    now = timezone.now()
    made = [
        make_article(
            press,
            f"Article {n}",
            date=now - timedelta(days=n + 1),
            summary=f"Summary {n} with <b>markup</b> & ampersand.",
            tags=["Rail freight"] if n == 0 else [],
            author="Li Wei" if n == 0 else "",
            hero_image=make_image(f"feed {n}") if n < 2 else None,
        )
        for n in range(3)
    ]
    make_article(press, "Draft", publish_now=False)
    scheduled = make_article(press, "Scheduled", publish_now=False)
    scheduled.go_live_at = now + timedelta(hours=3)
    scheduled.save_revision().publish()
    return made


def test_rss_feed_parses_and_lists_the_newest_first(client, articles):
    response = client.get("/en/press-room/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert response.has_header("Last-Modified")
    rss = parse(response)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("title") == "Press room · Silkline Flow Controls"
    assert channel.findtext("link").endswith("/en/press-room/")
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Article 0", "Article 1", "Article 2"]
    first = items[0]
    assert first.findtext("link").startswith("http")
    assert first.findtext("link").endswith("/en/press-room/article-0/")
    assert first.findtext("guid") == first.findtext("link")
    published = parsedate_to_datetime(first.findtext("pubDate"))
    assert abs(published - articles[0].date) < timedelta(seconds=1)
    assert first.findtext("category") == "Rail freight"
    description = first.findtext("description")
    # The summary is text inside HTML: its markup is escaped, not interpreted.
    assert "Summary 0 with &lt;b&gt;markup&lt;/b&gt; &amp; ampersand." in description
    assert '<img src="http' in description and 'alt="A test picture of a valve"' in description


def test_atom_feed_parses_with_absolute_links_and_dates(client, articles):
    response = client.get("/en/press-room/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    assert feed.tag == f"{ATOM}feed"
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith("/en/press-room/feed/atom/")
    assert self_link.get("href").startswith("http")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Article 0", "Article 1", "Article 2"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").endswith("/en/press-room/article-0/")
    assert first.findtext(f"{ATOM}published").startswith(articles[0].date.date().isoformat())
    assert first.findtext(f"{ATOM}updated")
    assert first.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Li Wei"
    assert entries[1].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Silkline Flow Controls"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_leave_out_drafts_and_future_scheduled_articles(client, articles, kind):
    body = client.get(f"/en/press-room/feed/{kind}/").content.decode()
    assert "Article 0" in body
    assert "Draft" not in body and "Scheduled" not in body


def test_feed_holds_only_the_newest_entries(client, press):
    now = timezone.now()
    for n in range(FEED_LENGTH + 2):
        make_article(press, f"Item {n}", date=now - timedelta(hours=n + 1))
    items = parse(client.get("/en/press-room/feed/rss/")).find("channel").findall("item")
    assert len(items) == FEED_LENGTH
    assert items[0].findtext("title") == "Item 0"
    assert items[-1].findtext("title") == f"Item {FEED_LENGTH - 1}"


def test_demo_feed_lists_the_demo_articles_newest_first(client, home):
    from caravan.news.models import NewsPage

    newest = NewsPage.objects.live().filter(locale=home.locale).newest_first().first()
    items = parse(client.get("/en/news/feed/rss/")).find("channel").findall("item")
    assert len(items) == 10
    assert items[0].findtext("title") == newest.title


def test_feed_urls_use_the_configured_site_address_not_the_host_header(client, articles):
    body = client.get("/en/press-room/feed/rss/", HTTP_HOST="localhost").content.decode()
    assert "localhost" not in body

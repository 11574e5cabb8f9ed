"""The “News Detail”: every block, the byline, hero, tags, neighbours, related products,
breadcrumb and the structured data search engines read."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from caravan.demo.steps import stream
from caravan.testing import make_article, make_image, make_product

from .conftest import json_ld, soup

pytestmark = pytest.mark.django_db


def every_block(figure_image, poster):
    return stream(
        ("heading", {"text": "Section heading", "level": "h2"}),
        ("heading", {"text": "Sub-section heading", "level": "h3"}),
        (
            "paragraph",
            "<p>Plain <b>bold</b> text with a <a href='https://example.com/'>link</a>.</p>",
        ),
        (
            "figure",
            {
                "image": figure_image.pk,
                "alt_text": "Valve on the test bench",
                "caption": "The bench at work.",
                "credit": "Test bay",
            },
        ),
        ("quote", {"text": "Tested twice,\nshipped once.", "attribution": "Test bay chief"}),
        ("callout", {"title": "Did you know?", "text": "<p>Gauges are calibrated weekly.</p>"}),
        (
            "timeline",
            {
                "title": "Milestones",
                "entries": [
                    {"date_label": "2008", "text": "First hall."},
                    {"date_label": "2016", "text": "First train."},
                ],
            },
        ),
        (
            "table",
            {
                "data": [["Size", "Rating"], ["DN50", "PN16"], ["DN100", None]],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "Ratings",
            },
        ),
        (
            "video",
            {
                "url": "https://video.example.org/watch/123",
                "title": "Bench test",
                "poster": poster.pk,
                "caption": "Two minutes.",
            },
        ),
    )


@pytest.fixture
def article(press):
    return make_article(
        press,
        "Bench news",
        date=timezone.now() - timedelta(days=3),
        author="Li Wei",
        summary="A second bench for big valves.",
        hero_image=make_image("hero", alt="The new bench in the test bay"),
        hero_caption="The bench on its first day.",
        body=every_block(make_image("figure", alt="unused"), make_image("poster")),
        tags=["Quality", "Factory"],
    )


def test_every_block_renders_with_its_own_template(client, article):
    page = soup(client.get(article.url))
    body = page.select_one(".news-article__body")
    assert body.select_one("h2.block-heading").get_text() == "Section heading"
    assert body.select_one("h3.block-heading").get_text() == "Sub-section heading"
    assert body.select_one(".rich-text b").get_text() == "bold"
    assert body.select_one(".rich-text a")["href"] == "https://example.com/"

    figure = body.select_one("figure.figure")
    img = figure.select_one("picture img")
    assert img["alt"] == "Valve on the test bench"  # the block's own alt text wins
    assert img["loading"] == "lazy" and img["width"] and img["height"]
    assert figure.figcaption.get_text(" ", strip=True) == "The bench at work. Test bay"

    quote = body.select_one("figure.quote")
    assert quote.blockquote.get_text(" ", strip=True) == "Tested twice, shipped once."
    assert quote.figcaption.get_text(strip=True) == "Test bay chief"

    callout = body.select_one(".callout")
    assert callout.select_one(".callout__title").get_text() == "Did you know?"
    assert "calibrated weekly" in callout.get_text()

    timeline = body.select_one(".timeline")
    assert timeline.select_one(".timeline__title").get_text() == "Milestones"
    entries = timeline.select("ol > li")
    assert [e.select_one(".timeline__date").get_text() for e in entries] == ["2008", "2016"]
    assert entries[1].select_one(".timeline__text").get_text() == "First train."

    table = body.select_one("table")
    assert table.caption.get_text() == "Ratings"
    assert [th.get_text() for th in table.select("thead th")] == ["Size", "Rating"]
    assert [th.get_text() for th in table.select("tbody th[scope=row]")] == ["DN50", "DN100"]
    assert [td.get_text() for td in table.select("tbody td")] == ["PN16", ""]
    assert len(table.select("tbody")) == 1 and not table.select("tbody th[scope=col]")

    video = body.select_one("figure.video")
    link = video.select_one("a")
    assert link["href"] == "https://video.example.org/watch/123"
    assert "Bench test" in link.get_text()
    assert "(video on video.example.org)" in link.get_text(" ", strip=True)
    assert video.select_one("img")["loading"] == "lazy"
    assert video.figcaption.get_text() == "Two minutes."


def test_article_page_loads_nothing_from_another_host(client, article):
    page = soup(client.get(article.url))
    assert not page.select("iframe, embed, object")
    for tag in page.select("[src], [srcset], link[href]"):
        for attr in ("src", "srcset", "href"):
            for url in (tag.get(attr) or "").replace(",", " ").split():
                if url.startswith(("http:", "https:", "//")):
                    assert urlsplit(url).hostname in ("127.0.0.1", "localhost", "testserver"), url


def test_byline_posted_on_author_reading_time_and_summary(client, article):
    page = soup(client.get(article.url))
    assert page.h1.get_text() == "Bench news"
    meta = page.select_one(".news-article__meta")
    time = meta.select_one("time")
    assert "Posted on" in meta.get_text()
    assert time["datetime"] == article.date.replace(microsecond=0).isoformat()
    assert "Li Wei" in meta.get_text()
    assert "1 min read" in meta.get_text()
    assert page.select_one(".news-article__summary").get_text() == "A second bench for big valves."


def test_reading_time_grows_with_the_text(press):
    words = " ".join(["valve"] * 1000)  # plus title and summary: 4.6 minutes
    article = make_article(press, "Long read", body=stream(("paragraph", f"<p>{words}</p>")))
    assert article.reading_time == 5
    assert make_article(press, "Short").reading_time == 1


def test_author_is_optional(client, press):
    article = make_article(press, "Anonymous")
    page = soup(client.get(article.url))
    assert not page.select(".news-article__author")
    assert json_ld(page, "NewsArticle")["author"]["@type"] == "Organization"


def test_hero_is_eager_with_high_priority_and_responsive_sources(client, article):
    hero = soup(client.get(article.url)).select_one(".news-article__hero")
    img = hero.select_one("picture img")
    assert img["alt"] == "The new bench in the test bay"
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"
    assert img["width"] and img["height"] and img["sizes"] and img["srcset"]
    assert img["src"].endswith(".jpg")
    assert [s["type"] for s in hero.select("source")] == ["image/avif", "image/webp"]
    assert hero.figcaption.get_text() == "The bench on its first day."


def test_breadcrumb_is_home_news_title_with_links(client, home):
    news = home.get_children().get(slug="news")
    article = news.get_children().live().specific().first()
    page = soup(client.get(article.url))
    crumbs = page.select("nav.breadcrumb li")
    assert [c.get_text(strip=True) for c in crumbs] == ["Home", "News", article.title]
    assert [a["href"] for a in page.select("nav.breadcrumb a")] == ["/en/", "/en/news/"]
    assert crumbs[-1].select_one("[aria-current=page]")
    data = json_ld(page, "BreadcrumbList")  # exactly one, from the base template
    assert [i["item"].split("/en/", 1)[1] for i in data["itemListElement"]] == [
        "",
        "news/",
        f"news/{article.slug}/",
    ]


def test_news_article_json_ld_has_the_required_fields(client, article, company):
    page = soup(client.get(article.url))
    data = json_ld(page, "NewsArticle")
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Bench news"
    assert data["datePublished"] == article.date.isoformat()
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == {"@type": "Person", "name": "Li Wei"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == company.name
    assert data["publisher"]["logo"]["url"].startswith("http")
    assert len(data["image"]) == 3 and all(u.startswith("http") for u in data["image"])
    assert data["mainEntityOfPage"]["@id"].endswith(article.url)
    assert data["description"] == "A second bench for big valves."
    assert set(data["keywords"]) == {"Quality", "Factory"}


def test_head_has_title_description_canonical_and_social_tags(client, article):
    page = soup(client.get(article.url))
    assert page.title.get_text().startswith("Bench news")
    assert page.select_one("meta[name=description]")["content"] == "A second bench for big valves."
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/press-room/bench-news/")
    assert page.select_one("meta[property='og:type']")["content"] == "article"
    og_image = page.select_one("meta[property='og:image']")["content"]
    assert og_image.startswith("http") and og_image.endswith(".jpg")
    assert page.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"
    assert page.select_one("meta[name='twitter:image:alt']")["content"] == (
        "The new bench in the test bay"
    )
    published = page.select_one("meta[property='article:published_time']")["content"]
    assert published == article.date.isoformat()
    feed_types = {link["type"] for link in page.select("head link[rel=alternate][type]")}
    assert feed_types == {"application/rss+xml", "application/atom+xml"}


def test_search_description_overrides_the_summary(client, press):
    article = make_article(press, "Described", search_description="For search engines.")
    page = soup(client.get(article.url))
    assert page.select_one("meta[name=description]")["content"] == "For search engines."


def test_tags_link_to_their_tag_pages(client, article):
    tags = soup(client.get(article.url)).select(".news-article__footer a[rel=tag]")
    assert sorted((a.get_text(), a["href"]) for a in tags) == [
        ("Factory", "/en/press-room/tag/factory/"),
        ("Quality", "/en/press-room/tag/quality/"),
    ]
    assert client.get("/en/press-room/tag/factory/").status_code == 200


def test_previous_and_next_articles_follow_the_list_order(client, press):
    now = timezone.now()
    oldest = make_article(press, "Oldest", date=now - timedelta(days=30))
    middle = make_article(press, "Middle", date=now - timedelta(days=20))
    make_article(press, "Unpublished", date=now - timedelta(days=15), publish_now=False)
    newest = make_article(press, "Newest", date=now - timedelta(days=10))

    nav = soup(client.get(middle.url)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=prev]")["href"] == oldest.url
    assert "Oldest" in nav.select_one("a[rel=prev]").get_text()
    assert nav.select_one("a[rel=next]")["href"] == newest.url

    nav = soup(client.get(oldest.url)).select_one("nav.article-nav")
    assert not nav.select("a[rel=prev]")
    assert nav.select_one("a[rel=next]")["href"] == middle.url

    nav = soup(client.get(newest.url)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=prev]")["href"] == middle.url  # the draft is skipped
    assert not nav.select("a[rel=next]")


def test_articles_posted_at_the_same_moment_follow_each_other_by_creation(client, press):
    """Ties on the date go by id, and a private article is never a neighbour."""
    from wagtail.models import PageViewRestriction

    moment = timezone.now() - timedelta(days=5)
    before = make_article(press, "Before", date=moment - timedelta(days=1))
    first = make_article(press, "First of three", date=moment)
    private = make_article(press, "Private one", date=moment)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    second = make_article(press, "Second of three", date=moment)
    third = make_article(press, "Third of three", date=moment)
    after = make_article(press, "After", date=moment + timedelta(days=1))

    def links(article):
        nav = soup(client.get(article.url)).select_one("nav.article-nav")
        prev, next_ = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
        return (prev and prev["href"], next_ and next_["href"])

    assert links(first) == (before.url, second.url)
    assert links(second) == (first.url, third.url)  # the private article is skipped
    assert links(third) == (second.url, after.url)
    assert links(before)[1] == first.url
    assert links(after)[0] == third.url


def test_an_articles_neighbours_are_two_walks_of_the_date_index(press):
    """Whatever the section's size, an article's neighbours are two look-ups, each a
    walk of the (sort_date, id) index from the article's place: the database neither
    reads nor sorts the section (a tie on the date still goes by id)."""
    from django.db import connection

    moment = timezone.now() - timedelta(days=9)
    before = make_article(press, "Day before", date=moment - timedelta(days=1))
    same = make_article(press, "Same moment", date=moment)
    middle = make_article(press, "Middle", date=moment)
    after = make_article(press, "Day after", date=moment + timedelta(days=1))
    make_article(press, "Later still", date=moment + timedelta(days=2))

    older, newer = middle.neighbour_queries()
    assert (older.first(), newer.first()) == (same.pk, after.pk)
    older, newer = same.neighbour_queries()
    assert (older.first(), newer.first()) == (before.pk, middle.pk)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for query in middle.neighbour_queries():
            plan = query[:1].explain()
            assert "INDEX news_page_sort_date" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # no sort of the matches


def test_an_article_made_live_without_a_date_is_the_oldest(client, press):
    """A page added live without being published has neither a date nor a first
    publication: it still renders, and counts as older than every dated article."""
    from caravan.news.models import NewsPage

    dated = make_article(press, "Dated", date=timezone.now() - timedelta(days=3))
    undated = NewsPage(title="Undated", slug="undated", summary="No date yet.")
    press.add_child(instance=undated)
    assert undated.live and undated.first_published_at is None

    nav = soup(client.get(undated.url)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=next]")["href"] == dated.url
    assert not nav.select("a[rel=prev]")
    nav = soup(client.get(dated.url)).select_one("nav.article-nav")
    assert nav.select_one("a[rel=prev]")["href"] == undated.url


def test_related_products_are_cards_with_image_name_and_details_link(client, press):
    valve = make_product(title="DN300 butterfly valve", listing_image=make_image("valve"))
    meter = make_product(title="SFM-200 flow meter", images=0)
    hidden = make_product(title="Prototype meter")
    hidden.unpublish()
    article = make_article(press, "New valve", products=[valve, hidden, meter])

    cards = soup(client.get(article.url)).select(".related-products .product-card")
    assert [c.select_one(".card__title").get_text() for c in cards] == [
        "DN300 butterfly valve",
        "SFM-200 flow meter",
    ]
    first = cards[0]
    assert first.select_one("picture img")["alt"] == "A test picture of a valve"
    details = first.select_one("a.card__link")
    assert details["href"] == valve.url
    assert details.get_text(" ", strip=True).startswith("View details")
    assert first.select_one("a.card__inquiry")["href"] == f"/en/inquiry/?product={valve.pk}"
    assert not cards[1].select("picture")  # no image, still a card

    assert article.inquiry_product == valve


def test_inquiry_product_skips_unpublished_products_and_may_be_none(press):
    hidden = make_product(title="Withdrawn valve")
    hidden.unpublish()
    live = make_product(title="Gate valve")
    assert make_article(press, "Two", products=[hidden, live]).inquiry_product == live
    assert make_article(press, "None", products=[hidden]).inquiry_product is None
    assert make_article(press, "Plain").inquiry_product is None


def test_hero_image_needs_alt_text(press):
    with pytest.raises(ValidationError, match="alt text"):
        make_article(press, "Blind", hero_image=make_image("no alt", alt=""))


def test_figure_without_any_alt_text_is_rejected():
    from caravan.core.blocks import FigureBlock

    block = FigureBlock()
    value = block.to_python({"image": make_image("bare", alt="").pk, "alt_text": ""})
    with pytest.raises(ValidationError) as raised:
        block.clean(value)
    assert "Describe this image for people who cannot see it." in str(
        raised.value.block_errors["alt_text"]
    )


def test_posted_on_cannot_be_in_the_future(press):
    article = make_article(press, "Time traveller")
    article.date = timezone.now() + timedelta(days=10)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        article.full_clean()
    article.go_live_at = timezone.now() + timedelta(days=10)  # scheduled: allowed
    article.full_clean()

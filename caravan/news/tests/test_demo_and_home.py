"""The demo's news section and the home page's latest news."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from caravan.demo.loader import DemoContext
from caravan.demo.steps import news as news_step
from caravan.news.models import NewsIndexPage, NewsPage
from caravan.testing import make_article, make_product

from .conftest import soup

pytestmark = pytest.mark.django_db

BLOCK_TYPES = {"heading", "paragraph", "figure", "quote", "callout", "timeline", "table", "video"}


def demo_articles():
    return list(NewsPage.objects.live().child_of(demo_index()).newest_first())


def demo_index():
    return NewsIndexPage.objects.get(slug="news", locale__language_code="en")


def test_demo_has_a_news_list_in_the_menu_with_ten_articles_over_two_years(client):
    index = demo_index()
    assert index.live and index.show_in_menus
    articles = demo_articles()
    assert len(articles) == 10
    dates = [a.listing_date for a in articles]
    now = timezone.now()
    assert all(now - timedelta(days=731) < d < now for d in dates)
    assert dates[0] - dates[-1] > timedelta(days=540)  # spread over the two years
    assert all(a.hero_image and a.hero_image.description for a in articles)
    assert all(a.summary and a.tags.exists() for a in articles)
    nav = [a.get_text(strip=True) for a in soup(client.get("/en/")).select("nav.site-nav a")]
    assert "News" in nav


def test_every_block_type_is_used_in_the_demo():
    used = {block.block_type for article in demo_articles() for block in article.body}
    assert used == BLOCK_TYPES


def test_one_demo_article_has_the_full_reference_anatomy(client):
    article = NewsPage.objects.get(slug="a-short-history-of-silkline", locale__language_code="en")
    kinds = [block.block_type for block in article.body]
    assert article.hero_image and article.hero_caption
    assert kinds.count("heading") >= 3
    figures = [b.value for b in article.body if b.block_type == "figure"]
    assert len(figures) >= 2 and all(f["caption"] for f in figures)
    assert "timeline" in kinds and "callout" in kinds
    page = soup(client.get(article.url))
    assert page.select_one(".news-article__hero img")
    assert len(page.select(".news-article__body figure.figure figcaption")) >= 2
    assert page.select(".timeline ol li") and page.select(".callout")


def test_demo_articles_link_to_live_products_when_there_are_some(home):
    """The products step runs before the news step; articles point at its products."""
    make_product(title="DN150 gate valve")
    make_product(title="SFM electromagnetic flow meter")
    demo_index().delete()
    news_step.load(DemoContext(stdout=io.StringIO(), home=home))
    history = NewsPage.objects.get(slug="a-short-history-of-silkline", locale__language_code="en")
    gate, meter = history.related_product_pages
    assert "gate valve" in gate.title.lower() and "flow meter" in meter.title.lower()
    assert history.inquiry_product == gate
    assert not NewsPage.objects.get(
        slug="eac-declarations-renewed", locale__language_code="en"
    ).related_product_pages


def test_news_step_is_idempotent(home):
    before = NewsPage.objects.count()
    out = io.StringIO()
    news_step.load(DemoContext(stdout=out, home=home))
    assert NewsPage.objects.count() == before
    assert "0 articles added" in out.getvalue()


def test_home_page_shows_the_newest_three_articles(client):
    newest = [a.title for a in demo_articles()[:3]]
    page = soup(client.get("/en/"))
    section = page.select_one("section.latest-news")
    assert section.h2.get_text() == "Latest news"
    assert [h.get_text(strip=True) for h in section.select("h3.news-card__title")] == newest
    assert all(img["loading"] == "lazy" for img in section.select("img"))
    assert section.select_one(".latest-news__more a")["href"] == "/en/news/"


def test_home_page_latest_news_leaves_out_drafts_and_follows_new_posts(client):
    index = demo_index()
    make_article(index, "Unpublished scoop", publish_now=False)
    make_article(index, "Fresh from the factory")
    titles = [h.get_text(strip=True) for h in soup(client.get("/en/")).select(".latest-news h3")]
    assert titles[0] == "Fresh from the factory"
    assert "Unpublished scoop" not in titles and len(titles) == 3


def test_home_page_without_news_has_no_empty_section(client):
    for article in NewsPage.objects.all():
        article.unpublish()
    assert not soup(client.get("/en/")).select("section.latest-news")

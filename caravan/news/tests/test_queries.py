"""A news page costs the same number of SQL queries whether it shows one picture or
thirty, one article or thirty (renditions, tags and images are fetched in bulk)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caravan.demo.steps import stream
from caravan.testing import make_article, make_image, make_product

pytestmark = pytest.mark.django_db

# Room for the site chrome (site, menu, breadcrumb, company profile, logo) and what other
# apps add to it, far below one query per picture or article at thirty. The real guard is
# that thirty cost exactly what one costs.
MAX_QUERIES = 50
# The home page renders its sections besides the chrome (featured products with their
# facts, certificates, latest news), each visibility check (`.public()`) one query.
HOME_MAX_QUERIES = 60


def warm(client, url):
    """View the page once with an empty cache (that stores every rendition it needs in
    the database), then empty the cache again so that the next view is served by the
    database alone."""
    cache.clear()
    assert client.get(url).status_code == 200
    cache.clear()


def queries_for(client, url):
    warm(client, url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def article_with(press, n, slug):
    images = [make_image(f"{slug} {i}", size=(24, 16)) for i in range(n)]
    body = []
    for i, image in enumerate(images):
        body.append(("heading", {"text": f"Section {i}", "level": "h2"}))
        body.append(("figure", {"image": image.pk, "caption": f"Picture {i}"}))
    body.append(("video", {"url": "https://v.example/1", "title": "Film", "poster": images[0].pk}))
    products = [
        make_product(title=f"{slug} product {i}", listing_image=make_image(f"p{slug}{i}"))
        for i in range(min(n, 6))
    ]
    return make_article(
        press,
        slug,
        hero_image=make_image(f"{slug} hero", size=(24, 16)),
        body=stream(*body),
        tags=[f"tag {i}" for i in range(n)],
        products=products,
    )


def test_article_queries_do_not_grow_with_pictures_tags_and_products(
    client, press, django_assert_max_num_queries
):
    one = article_with(press, 1, "one")
    many = article_with(press, 30, "many")
    warm(client, one.url)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(one.url)
    few_count = len(few)
    warm(client, many.url)
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(many.url)
    assert response.content.decode().count("<picture>") >= 30 + 1 + 6
    assert len(captured) == few_count


def listing_with(press, n, prefix):
    now = timezone.now()
    for i in range(n):
        make_article(
            press,
            f"{prefix} {i}",
            date=now - timedelta(hours=i + 1),
            hero_image=make_image(f"{prefix} {i}", size=(24, 16)),
            tags=[f"{prefix} topic {i}"],
        )


def test_listing_queries_do_not_grow_with_entries(
    client, home, press, django_assert_max_num_queries
):
    from caravan.testing import make_news_index

    press.per_page = 30
    press.save_revision().publish()
    listing_with(press, 1, "Solo")
    big = make_news_index(home, title="Archive", slug="archive", per_page=30)
    listing_with(big, 30, "Item")

    warm(client, "/en/press-room/")
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get("/en/press-room/")
    few_count = len(few)
    warm(client, "/en/archive/")
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get("/en/archive/")
    assert response.content.decode().count('class="news-card"') == 30
    assert len(captured) == few_count


def test_feed_queries_do_not_grow_with_entries(client, home, press):
    from caravan.testing import make_news_index

    listing_with(press, 1, "Solo")
    big = make_news_index(home, title="Archive", slug="archive")
    listing_with(big, 20, "Item")
    few_count, _ = queries_for(client, "/en/press-room/feed/rss/")
    many_count, response = queries_for(client, "/en/archive/feed/rss/")
    assert response.content.decode().count("<item>") == 20
    assert many_count == few_count


def test_home_page_latest_news_queries_are_bounded(client, home, django_assert_max_num_queries):
    warm(client, "/en/")
    with django_assert_max_num_queries(HOME_MAX_QUERIES) as captured:
        response = client.get("/en/")
    assert response.content.decode().count('class="news-card"') == 3
    latest_news_queries = [
        q["sql"] for q in captured.captured_queries if "news_newspage" in q["sql"]
    ]
    assert len(latest_news_queries) == 1

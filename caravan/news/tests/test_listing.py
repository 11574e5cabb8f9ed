"""The “News List”: order, pagination, tags, feeds' autodiscovery and what must not show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from caravan.testing import make_article, make_image, make_news_index

from .conftest import json_ld, soup

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def titles(response):
    return [h.get_text(strip=True) for h in soup(response).select(".news-card__title")]


def test_lists_newest_first_with_title_date_summary_and_thumbnail(client, press):
    make_article(press, "Older", date=days_ago(20), hero_image=make_image("old"))
    make_article(press, "Newest", date=days_ago(1), summary="What changed this week.")
    make_article(press, "Middle", date=days_ago(5))
    response = client.get("/en/press-room/")
    assert response.status_code == 200
    assert titles(response) == ["Newest", "Middle", "Older"]
    cards = soup(response).select(".news-card")
    newest, older = cards[0], cards[2]
    assert newest.select_one("time")["datetime"].startswith(days_ago(1).date().isoformat())
    assert newest.select_one("time").get_text(strip=True)
    assert newest.select_one(".news-card__summary").get_text() == "What changed this week."
    assert newest.select_one("h2 a")["href"] == "/en/press-room/newest/"
    thumb = older.select_one("picture img")
    assert thumb["width"] and thumb["height"] and thumb.has_attr("srcset")
    types = {s["type"] for s in older.select("picture source")}
    assert types == {"image/avif", "image/webp"}


def test_first_published_date_is_used_when_the_editor_sets_none(client, press):
    make_article(press, "Back-dated", date=days_ago(400))
    make_article(press, "Undated")  # posted “now”, when first published
    assert titles(client.get("/en/press-room/")) == ["Undated", "Back-dated"]


def test_pagination_uses_plain_path_urls(client, press):
    for n in range(7):
        make_article(press, f"Article {n}", date=days_ago(n))
    first = client.get("/en/press-room/")
    assert titles(first) == ["Article 0", "Article 1", "Article 2"]
    page = soup(first)
    links = [a["href"] for a in page.select("nav.pagination a")]
    assert "/en/press-room/page/2/" in links and "/en/press-room/page/3/" in links
    assert page.select_one("nav.pagination a[rel=next]")["href"] == "/en/press-room/page/2/"
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/press-room/")

    second = client.get("/en/press-room/page/2/")
    assert second.status_code == 200
    assert titles(second) == ["Article 3", "Article 4", "Article 5"]
    page = soup(second)
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/press-room/page/2/")
    assert page.select_one("a[rel=prev]")["href"] == "/en/press-room/"
    assert (
        page.select_one("nav.pagination [aria-current=page]").get_text(" ", strip=True) == "Page 2"
    )
    assert "page 2" in page.title.get_text()

    assert titles(client.get("/en/press-room/page/3/")) == ["Article 6"]


def test_page_one_has_a_single_address(client, press):
    make_article(press, "Only", tags=["Valves"])
    response = client.get("/en/press-room/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/en/press-room/"
    response = client.get("/en/press-room/tag/valves/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/en/press-room/tag/valves/"


@pytest.mark.parametrize(
    "path",
    [
        "/en/press-room/page/3/",  # beyond the last page
        "/en/press-room/page/0/",
        "/en/press-room/page/99999999999999999999/",
        "/en/press-room/page/abc/",
        "/en/press-room/page/-1/",
        "/en/press-room/tag/no-such-tag/",
        "/en/press-room/tag/valves/page/2/",
        "/en/press-room/tag/Not%20a%20slug/",
        "/en/press-room/tag/",
        "/en/press-room/feed/",
    ],
)
def test_bad_listing_addresses_give_the_branded_404(client, press, path):
    make_article(press, "One", tags=["Valves"])
    make_article(press, "Two")
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Page not found"


def test_an_empty_section_still_answers(client, press):
    response = client.get("/en/press-room/")
    assert response.status_code == 200
    assert "There is no news yet." in response.content.decode()
    assert client.get("/en/press-room/page/2/").status_code == 404


def test_tag_pages_list_only_tagged_articles_and_paginate(client, press):
    for n in range(4):
        make_article(press, f"Rail {n}", date=days_ago(n), tags=["Rail freight"])
    make_article(press, "Fair", date=days_ago(9), tags=["Trade fairs"])
    response = client.get("/en/press-room/tag/rail-freight/")
    assert response.status_code == 200
    assert titles(response) == ["Rail 0", "Rail 1", "Rail 2"]
    page = soup(response)
    assert page.h1.get_text(strip=True) == "News about “Rail freight”"
    assert page.select_one("a[rel=next]")["href"] == "/en/press-room/tag/rail-freight/page/2/"
    assert page.select_one("link[rel=canonical]")["href"].endswith("/tag/rail-freight/")
    current = page.select_one(".news-topics a[aria-current=page]")
    assert current.get_text(" ", strip=True) == "Rail freight 4"
    assert titles(client.get("/en/press-room/tag/rail-freight/page/2/")) == ["Rail 3"]
    assert titles(client.get("/en/press-room/tag/trade-fairs/")) == ["Fair"]


def test_topics_list_links_to_each_tag_of_live_articles_only(client, press):
    make_article(press, "Live", tags=["Certification"])
    make_article(press, "Draft", tags=["Secret plans"], publish_now=False)
    topics = soup(client.get("/en/press-room/")).select(".news-topics a")
    assert [(a.get_text(" ", strip=True), a["href"]) for a in topics] == [
        ("Certification 1", "/en/press-room/tag/certification/")
    ]
    # A tag carried only by a draft does not reveal it.
    assert client.get("/en/press-room/tag/secret-plans/").status_code == 404


def test_drafts_future_scheduled_and_private_articles_are_not_listed(client, press):
    from wagtail.models import PageViewRestriction

    make_article(press, "Published")
    make_article(press, "Draft", publish_now=False)
    scheduled = make_article(press, "Scheduled", publish_now=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=2)
    scheduled.save_revision().publish()
    private = make_article(press, "Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get("/en/press-room/")
    assert titles(response) == ["Published"]
    assert client.get("/en/press-room/draft/").status_code == 404
    assert client.get("/en/press-room/scheduled/").status_code == 404


def test_listing_head_has_feeds_canonical_and_collection_json_ld(client, press):
    make_article(press, "First", date=days_ago(2))
    make_article(press, "Second", date=days_ago(1))
    page = soup(client.get("/en/press-room/"))
    alternates = {
        link["type"]: link["href"] for link in page.select("head link[rel=alternate][type]")
    }
    assert alternates["application/rss+xml"].endswith("/en/press-room/feed/rss/")
    assert alternates["application/atom+xml"].endswith("/en/press-room/feed/atom/")
    assert all(href.startswith("http") for href in alternates.values())
    data = json_ld(page, "CollectionPage")
    assert data["@context"] == "https://schema.org"
    items = data["mainEntity"]["itemListElement"]
    assert [i["name"] for i in items] == ["Second", "First"]
    assert [i["position"] for i in items] == [1, 2]
    assert items[0]["url"].endswith("/en/press-room/second/")
    crumbs = json_ld(page, "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]][-1] == "Press room"


def test_listing_sets_no_cookie(client, press):
    make_article(press, "Quiet")
    for path in ("/en/press-room/", "/en/press-room/feed/rss/", "/en/press-room/quiet/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert b"csrfmiddlewaretoken" not in response.content


def test_first_thumbnail_is_eager_and_the_rest_lazy(client, press):
    for n in range(3):
        make_article(press, f"Pic {n}", date=days_ago(n), hero_image=make_image(f"pic {n}"))
    images = soup(client.get("/en/press-room/")).select(".news-card img")
    assert [img["loading"] for img in images] == ["eager", "lazy", "lazy"]
    assert all(img["alt"] == "" for img in images)  # the title link next to it says it all


def test_tags_in_other_scripts_keep_working_addresses(client, press):
    from urllib.parse import quote

    article = make_article(press, "Border crossing", tags=["Казахстан", "阀门"])
    make_article(press, "Elsewhere", tags=["Rail freight"])
    topics = {
        a.get_text(" ", strip=True): a["href"]
        for a in soup(client.get("/en/press-room/")).select(".news-topics a")
    }
    assert topics["Казахстан 1"] == quote("/en/press-room/tag/казахстан/")
    assert topics["阀门 1"] == quote("/en/press-room/tag/阀门/")
    for href in (topics["Казахстан 1"], topics["阀门 1"]):
        response = client.get(href)
        assert response.status_code == 200
        assert titles(response) == ["Border crossing"]
    article_tags = soup(client.get(article.url)).select("a[rel=tag]")
    assert {a["href"] for a in article_tags} == {topics["Казахстан 1"], topics["阀门 1"]}


@pytest.fixture
def russian_press():
    """A news section of the Russian site only, at /ru/novosti/ (an address the English
    site also answers leads there instead of answering 404)."""
    from caravan.core.models import HomePage

    russian_home = HomePage.objects.live().get(locale__language_code="ru")
    return make_news_index(russian_home, title="Новости завода", slug="novosti", per_page=1)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/ru/novosti/page/3/", "Такой страницы новостей нет."),
        ("/ru/novosti/tag/no-such-tag/", "Нет новостей на эту тему."),
    ],
)
def test_a_missing_listing_page_says_why_in_the_visitors_language(
    client, russian_press, path, message
):
    make_article(russian_press, "Первая", slug="first", tags=["Клапаны"])
    make_article(russian_press, "Вторая", slug="second")
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Страница не найдена"
    # What Django hands the 404 page (and a log) as the reason.
    assert response.context["exception"] == message


def test_the_news_pagination_speaks_the_visitors_language(client, russian_press):
    for n in range(3):
        make_article(russian_press, f"Статья {n}", slug=f"article-{n}", date=days_ago(n))
    page = soup(client.get("/ru/novosti/page/2/"))
    nav = page.select_one("nav.pagination")
    assert nav["aria-label"] == "Страницы списка новостей"
    assert nav.select_one("a[rel=prev]").get_text(strip=True) == "Более новые статьи"
    assert nav.select_one("a[rel=next]").get_text(strip=True) == "Более ранние статьи"
    assert nav.select_one("[aria-current=page]").get_text(" ", strip=True) == "Страница 2"

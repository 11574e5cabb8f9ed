"""One pagination for every listing (caravan/core/listing.py): a category of the catalogue
and a topic of the news list show the same links in the same order, with the same
accessible names; only their words differ, in every language. A page of the catalogue
that does not exist says why, in the visitor's language."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from caravan.core.models import HomePage
from caravan.products.models import ProductCategory, ProductIndexPage
from caravan.testing import make_article, make_news_index, make_product, publish

pytestmark = pytest.mark.django_db

ITEMS = 7  # seven pages of one item: page 2 shows previous, next, numbers and a gap


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def pagination(response, base):
    """What the pagination of a listing page offers, in order, with `base` (the listing's
    address) written as “…/”."""

    def where(href):
        assert href.startswith(base), href
        return "…/" + href.removeprefix(base)

    nav = soup(response).select_one("nav.pagination")
    items = []
    for element in nav.find_all(["a", "span"], recursive=False):
        text = element.get_text(" ", strip=True)
        if element.get("rel"):
            items.append((element["rel"][0], where(element["href"])))
        elif "pagination__gap" in element.get("class", []):
            items.append(("gap", element.get("aria-hidden"), text))
        elif element.get("aria-current"):
            items.append(("current", element["aria-current"], text))
        else:
            items.append(("page", where(element["href"]), text))
    return items


def labels(response):
    nav = soup(response).select_one("nav.pagination")
    return (
        nav["aria-label"],
        nav.select_one("a[rel=prev]").get_text(strip=True),
        nav.select_one("a[rel=next]").get_text(strip=True),
    )


@pytest.fixture
def one_per_page(monkeypatch):
    monkeypatch.setattr("caravan.products.models.PRODUCTS_PER_PAGE", 1)


def test_a_category_and_a_news_topic_paginate_alike(client, home, one_per_page):
    pumps = ProductCategory.objects.create(name="Pumps", slug="pumps")
    for n in range(ITEMS):
        make_product(f"Pump {n}", categories=[pumps])
    press = make_news_index(home, per_page=1)
    now = timezone.now()
    for n in range(ITEMS):
        make_article(press, f"Pumps news {n}", date=now - timedelta(days=n), tags=["Pumps"])

    products = client.get("/en/products/category/pumps/page/2/")
    news = client.get("/en/press-room/tag/pumps/page/2/")
    assert products.status_code == news.status_code == 200
    expected = [
        ("prev", "…/"),
        ("page", "…/", "Page 1"),
        ("current", "page", "Page 2"),
        ("page", "…/page/3/", "Page 3"),
        ("page", "…/page/4/", "Page 4"),
        ("gap", "true", "…"),
        ("page", "…/page/7/", "Page 7"),
        ("next", "…/page/3/"),
    ]
    assert pagination(products, "/en/products/category/pumps/") == expected
    assert pagination(news, "/en/press-room/tag/pumps/") == expected
    # The head names the same neighbours; the canonical address, also the one a share
    # card links to, is the page's own.
    for response, base in (
        (products, "/en/products/category/pumps/"),
        (news, "/en/press-room/tag/pumps/"),
    ):
        head = soup(response)
        assert head.select_one("link[rel=prev]")["href"].endswith(base)
        assert head.select_one("link[rel=next]")["href"].endswith(base + "page/3/")
        canonical = head.select_one("link[rel=canonical]")["href"]
        assert canonical.startswith("http") and canonical.endswith(base + "page/2/")
        assert head.select_one("meta[property='og:url']")["content"] == canonical
    assert labels(products) == ("Pages of products", "‹ Previous", "Next ›")
    assert labels(news) == ("News list pages", "Newer articles", "Older articles")


def test_the_catalogue_pagination_speaks_the_visitors_language(client, one_per_page):
    response = client.get("/ru/products/page/2/")
    assert response.status_code == 200
    assert labels(response) == ("Страницы каталога товаров", "‹ Назад", "Далее ›")
    current = soup(response).select_one("nav.pagination [aria-current=page]")
    assert current.get_text(" ", strip=True) == "Страница 2"


@pytest.fixture
def russian_catalogue():
    """A catalogue of the Russian site only, at /ru/katalog/: its missing pages answer in
    Russian (an address the English site also answers leads there instead)."""
    russian_home = HomePage.objects.live().get(locale__language_code="ru")
    return publish(russian_home, ProductIndexPage(title="Каталог", slug="katalog"))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/ru/katalog/page/2/", "Такой страницы каталога нет."),
        ("/ru/katalog/category/no-such-category/", "Такой категории товаров нет."),
    ],
)
def test_a_missing_catalogue_page_says_why_in_the_visitors_language(
    client, russian_catalogue, path, message
):
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Страница не найдена"
    # What Django hands the 404 page (and a log) as the reason.
    assert response.context["exception"] == message

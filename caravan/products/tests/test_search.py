"""The header search box: finds products by name, model number and specification,
marks the words it matched without letting anything unescaped through, paginates, and
answers every query (empty, 1,000 characters, full-text syntax) with a page."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caravan.core.templatetags.search_tags import highlight
from caravan.products.models import ProductCategory
from caravan.testing import make_product

pytestmark = pytest.mark.django_db

NASTY_QUERIES = [
    "",
    " ",
    "x" * 1000,
    "valve " * 200,
    '"',
    'a"b',
    "'",
    "o'brien",
    "(",
    "NEAR(",
    "*",
    "-",
    "-valve",
    ":",
    "^",
    "\\",
    "AND",
    "OR NOT",
    "valve & | ! <->",
    "%00<>",
    "\x00",
    "valve\x00\x1b[31m",
    "<script>alert(1)</script>",
    "title:valve",
    "Ø50 × 3 mm",
    "вентиль",
    "阀门",
]


def search(client, query, **params):
    return client.get("/en/search/", {"q": query, **params})


def titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(h.get_text().split()) for h in page.select(".search-result__title")]


@pytest.fixture
def quokka():
    return make_product(
        "Quokka pressure regulator",
        sku="QK-77-ZX9",
        specs=[("Diaphragm", "Fluorosilicone unobtainium", ""), ("Set pressure", "0.2–1", "MPa")],
        short_description="A direct-acting regulator for small water networks.",
    )


def test_finds_a_product_by_name(client, quokka):
    assert titles(search(client, "quokka")) == ["Quokka pressure regulator"]
    assert "Quokka pressure regulator" in titles(search(client, "Pressure Regulator"))


@pytest.mark.parametrize("query", ["QK-77-ZX9", "qk-77-zx9", "QK 77 ZX9", "QK77ZX9", "ZX9"])
def test_finds_a_product_by_model_number(client, quokka, query):
    assert titles(search(client, query)) == ["Quokka pressure regulator"]


def test_finds_a_product_by_a_word_from_its_specifications(client, quokka):
    assert titles(search(client, "unobtainium")) == ["Quokka pressure regulator"]
    assert titles(search(client, "fluorosilicone")) == ["Quokka pressure regulator"]


def test_finds_a_product_by_its_category(client):
    hydrants = ProductCategory.objects.create(name="Hydrants", slug="hydrants")
    make_product("Pillar fire post", categories=[hydrants])
    assert titles(search(client, "hydrants")) == ["Pillar fire post"]


def test_drafts_are_not_found(client):
    make_product("Wombat regulator", publish=False)
    assert titles(search(client, "wombat")) == []


def test_result_shows_kind_highlighted_title_model_summary_and_picture(client, quokka):
    page = BeautifulSoup(search(client, "quokka regulator").content, "html.parser")
    result = page.select_one(".search-result")
    assert result.select_one(".search-result__kind").get_text() == "Product"
    title = result.select_one(".search-result__title a")
    assert title["href"] == quokka.url
    assert [m.get_text() for m in title.select("mark")] == ["Quokka", "regulator"]
    assert "Model QK-77-ZX9" in result.select_one(".search-result__meta").get_text()
    summary = result.select_one(".search-result__summary")
    assert summary.get_text() == "A direct-acting regulator for small water networks."
    assert [m.get_text() for m in summary.select("mark")] == ["regulator"]
    assert result.select_one("img.search-result__image")["width"]
    assert "1 result for" in page.select_one(".search-page__count").get_text()
    assert "noindex" in page.select_one("meta[name=robots]")["content"]


def test_highlighting_escapes_before_marking(client):
    make_product("Valve <script>alert(1)</script> & seal", slug="escaped-valve", sku="ESC-1")
    body = search(client, "seal").content.decode()
    assert "<script>alert(1)" not in body
    assert "Valve &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>seal</mark>" in body
    # The query is marked in the escaped text, never in the markup.
    assert str(highlight("Valve <script>alert(1)</script>", "script")) == (
        "Valve &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"
    )


def test_highlight_filter_never_breaks_an_entity_or_injects_markup():
    assert highlight("Tom & Jerry", "amp") == "Tom &amp; Jerry"
    assert highlight("Tom & Jerry", "&") == "Tom &amp; Jerry"  # one-letter words are not marked
    assert highlight("a<b>c", "<b>") == "a<mark>&lt;b&gt;</mark>c"
    assert highlight("Gate valves", "valve") == "Gate <mark>valves</mark>"
    assert highlight("Gate valve", "VALVES") == "Gate <mark>valve</mark>"
    assert highlight("SLV-GV-Z45X", "slv-gv") == "<mark>SLV</mark>-<mark>GV</mark>-Z45X"
    assert highlight("x" * 50, "x" * 1000) == "x" * 50
    assert highlight(None, "valve") == ""


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_every_query_gets_a_page(client, quokka, query):
    response = search(client, query)
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content


def test_empty_query_and_no_result_offer_categories_and_popular_products(client):
    for query in ("", "zzzqqqxxx"):
        page = BeautifulSoup(search(client, query).content, "html.parser")
        suggestions = page.select_one(".search-suggestions")
        categories = [a["href"] for a in suggestions.select(".chips a")]
        assert "/en/products/category/valves/" in categories
        assert "/en/products/" in categories
        popular = [h.get_text(strip=True) for h in suggestions.select(".card__title")]
        # The home page's featured products, in the editors' order.
        assert popular[:2] == ["Flanged electromagnetic flow meter", "Resilient-seated gate valve"]
    text = page.select_one(".search-empty").get_text(" ", strip=True)
    assert "Nothing matched “zzzqqqxxx”" in text
    assert page.select_one(".search-empty a")["href"] == "/en/inquiry/"


def test_results_are_paginated(client):
    for n in range(13):
        make_product(f"Zebrafish valve {n:02d}", sku=f"ZF-{n}")
    first = search(client, "zebrafish")
    assert len(titles(first)) == 10
    page = BeautifulSoup(first.content, "html.parser")
    assert "13 results" in page.select_one(".search-page__count").get_text()
    assert page.select_one("nav.pagination a[rel=next]")["href"] == "?q=zebrafish&page=2"
    assert len(titles(search(client, "zebrafish", page=2))) == 3
    for bad in ("abc", "0", "99", "-1"):
        assert len(titles(search(client, "zebrafish", page=bad))) == 10


def test_search_queries_do_not_grow_with_the_number_of_results(
    client, django_assert_max_num_queries
):
    make_product("Platypus valve 0", sku="PV-0", images=2)

    def measure():
        search(client, "platypus")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = search(client, "platypus")
        return response, len(queries)

    _, with_one = measure()
    for n in range(1, 15):
        make_product(f"Platypus valve {n}", sku=f"PV-{n}", images=2)
    search(client, "platypus")
    cache.clear()
    with django_assert_max_num_queries(with_one):
        response = search(client, "platypus")
    assert len(titles(response)) == 10

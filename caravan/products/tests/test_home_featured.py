"""The home page's featured products: the editors' choice, in their order, live only,
in a fixed number of queries."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caravan.core.models import HomePage
from caravan.products.models import HomePageFeaturedProduct
from caravan.testing import make_product

pytestmark = pytest.mark.django_db


def featured_titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in page.select(".featured-products .card__title")]


def feature(home, products):
    home.featured_products = [HomePageFeaturedProduct(product=p) for p in products]
    home.save_revision().publish()


def test_home_shows_the_featured_products_in_the_editors_order(client, home):
    second = make_product("Second choice valve")
    first = make_product("First choice valve")
    draft = make_product("Unpublished valve", publish=False)
    feature(home, [first, draft, second])
    response = client.get("/en/")
    assert featured_titles(response) == ["First choice valve", "Second choice valve"]
    page = BeautifulSoup(response.content, "html.parser")
    section = page.select_one("section.featured-products")
    assert section.h2.get_text(strip=True) == "Featured products"
    assert section.select_one(".section-head__link")["href"] == "/en/products/"
    assert section.select_one(".card img")["loading"] == "lazy"


def test_no_featured_products_no_section(client, home):
    feature(home, [])
    assert "featured-products" not in client.get("/en/").content.decode()


def test_featured_products_are_edited_on_the_home_page():
    from wagtail.admin.panels import InlinePanel

    panels = HomePage.get_edit_handler().get_form_class()
    assert "featured_products" in panels.formsets
    inline = [
        p
        for p in HomePage.content_panels
        if isinstance(p, InlinePanel) and p.relation_name == "featured_products"
    ]
    assert inline and inline[0].max_num == 8


def test_home_queries_do_not_grow_with_the_featured_products(
    client, home, django_assert_max_num_queries
):
    feature(home, [make_product("Featured 0", images=2)])
    client.get("/en/")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")
    with_one = len(queries)
    feature(home, [make_product(f"Featured {n}", images=2) for n in range(1, 9)])
    client.get("/en/")
    cache.clear()
    with django_assert_max_num_queries(with_one):
        response = client.get("/en/")
    assert len(featured_titles(response)) == 8

"""The product index: listing, category filter, path-based pagination, its 404s, the
tree rules editors meet, and queries that do not grow with the catalogue."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from caravan.core.listing import section_pages
from caravan.core.models import HomePage, StandardPage
from caravan.products.models import (
    PRODUCTS_PER_PAGE,
    ProductCategory,
    ProductIndexPage,
    ProductPage,
)
from caravan.testing import make_product

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def card_titles(response):
    return [h.get_text(strip=True) for h in soup(response).select(".product-card .card__title")]


@pytest.fixture
def index():
    return ProductIndexPage.objects.get(locale__language_code="en")


@pytest.fixture
def empty_index(index):
    """The demo's product index without its products."""
    for product in ProductPage.objects.child_of(index):
        product.delete()
    return index


def test_index_lists_live_products_in_the_editors_order(client, empty_index):
    first = make_product("Alpha valve")
    second = make_product("Beta valve")
    make_product("Draft valve", publish=False)
    response = client.get("/en/products/")
    assert response.status_code == 200
    assert card_titles(response) == ["Alpha valve", "Beta valve"]
    page = soup(response)
    card = page.select_one(".product-card")
    assert card.select_one("a")["href"] == first.url
    assert "Model T-ALPHA-VALVE" in card.get_text(" ", strip=True)
    assert card.select_one("img")["alt"] == "A test picture of a valve"
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical.startswith("http") and canonical.endswith("/en/products/")
    # Editors reorder products in the page explorer: the listing follows.
    second.move(first, pos="left")
    assert card_titles(client.get("/en/products/")) == ["Beta valve", "Alpha valve"]


def test_path_based_pagination_with_canonical_and_prev_next(client, empty_index):
    for n in range(PRODUCTS_PER_PAGE + 3):
        make_product(f"Valve {n:02d}")
    first = client.get("/en/products/")
    assert len(card_titles(first)) == PRODUCTS_PER_PAGE
    head = soup(first)
    assert head.select_one("link[rel=next]")["href"] == "/en/products/page/2/"
    assert not head.select("link[rel=prev]")
    pages = [a["href"] for a in head.select("nav.pagination a")]
    assert "/en/products/page/2/" in pages

    second = client.get("/en/products/page/2/")
    assert second.status_code == 200
    assert card_titles(second) == ["Valve 12", "Valve 13", "Valve 14"]
    page = soup(second)
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical.startswith("http") and canonical.endswith("/en/products/page/2/")
    assert page.select_one("link[rel=prev]")["href"] == "/en/products/"
    assert page.select_one("meta[property='og:url']")["content"].endswith("/en/products/page/2/")
    assert "page 2" in page.title.get_text()
    assert page.select_one("nav.pagination [aria-current=page]").get_text(strip=True).endswith("2")


@pytest.mark.parametrize(
    "path",
    [
        "/en/products/page/3/",
        "/en/products/page/0/",
        "/en/products/page/99999999999999999999/",
        "/en/products/page/abc/",
        "/en/products/page/-1/",
        "/en/products/category/no-such-category/",
        "/en/products/category/valves/page/9/",
        "/en/products/category/valves/page/x/",
    ],
)
def test_bad_or_out_of_range_pages_give_the_branded_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.select_one("header.site-header")


def test_page_one_spelled_out_redirects_to_the_canonical_address(client):
    response = client.get("/en/products/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/en/products/"
    response = client.get("/en/products/category/valves/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/en/products/category/valves/"


def test_category_filter_has_its_own_address_title_and_description(client, empty_index):
    pumps = ProductCategory.objects.create(
        name="Pumps", slug="pumps", description="Pumps that move water uphill."
    )
    seals = ProductCategory.objects.create(name="Seals", slug="seals")
    make_product("Inline pump", categories=[pumps])
    make_product("Lip seal", categories=[seals])
    make_product("Pump seal kit", categories=[pumps, seals])

    response = client.get("/en/products/category/pumps/")
    assert response.status_code == 200
    assert card_titles(response) == ["Inline pump", "Pump seal kit"]
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Pumps"
    assert page.select_one("meta[name=description]")["content"] == "Pumps that move water uphill."
    assert page.select_one("link[rel=canonical]")["href"].endswith("/en/products/category/pumps/")
    chips = {a.get_text(" ", strip=True): a for a in page.select("nav.category-filter a.chip")}
    assert chips["Pumps 2"]["aria-current"] == "page"
    assert chips["Seals 2"]["href"] == "/en/products/category/seals/"
    assert chips["All products"]["href"] == "/en/products/"
    # Categories without visible products are not offered.
    assert not any(label.startswith("Valves") for label in chips)
    crumbs = page.select("nav.breadcrumb li")
    assert [c.get_text(strip=True) for c in crumbs] == ["Home", "Products", "Pumps"]
    assert crumbs[1].a["href"] == "/en/products/"
    [trail] = [
        json.loads(s.string)
        for s in page.select("script[type='application/ld+json']")
        if json.loads(s.string)["@type"] == "BreadcrumbList"
    ]
    assert [i["name"] for i in trail["itemListElement"]][-2:] == ["Products", "Pumps"]
    assert trail["itemListElement"][-1]["item"].endswith("/en/products/category/pumps/")
    assert "2 products" in page.select_one(".catalogue__count").get_text()


def test_empty_category_says_so(client, empty_index):
    ProductCategory.objects.create(name="Gaskets", slug="gaskets")
    response = client.get("/en/products/category/gaskets/")
    assert response.status_code == 200
    assert "no products in this category" in soup(response).select_one("main").get_text()


def test_products_fit_only_under_the_product_index(home, index):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert ProductPage.can_create_at(index)
    assert not ProductPage.can_create_at(home)
    assert not ProductPage.can_create_at(about)
    assert not StandardPage.can_create_at(index)
    assert ProductPage.allowed_subpage_models() == []
    # One product index per home page.
    assert not ProductIndexPage.can_create_at(home)
    assert not ProductIndexPage.can_create_at(about)
    assert ProductIndexPage.allowed_parent_page_models() == [HomePage]
    product = make_product("Gate valve")
    assert not product.can_move_to(home)
    assert not product.can_move_to(about)


def test_a_product_cannot_take_a_slug_the_index_answers_itself(index):
    product = make_product("Paging valve")
    product.slug = "page"
    with pytest.raises(ValidationError, match="part of the catalogue"):
        product.full_clean()


def test_two_products_cannot_share_a_model_number(index):
    make_product("First valve", sku="SAME-1")
    second = make_product("Second valve", sku="OTHER-2")
    second.sku = "same-1"
    with pytest.raises(ValidationError, match="model number"):
        second.full_clean()


def test_category_slug_is_made_from_the_name_and_unique(index):
    category = ProductCategory(name="Control valves")
    category.full_clean()
    assert category.slug == "control-valves"
    category.save()
    clash = ProductCategory(name="Control valves (2)", slug="control-valves")
    with pytest.raises(ValidationError, match="Slug already exists"):
        clash.full_clean()


def count_queries(client, path):
    client.get(path)  # renditions are made on the first view
    cache.clear()  # so that no rendition comes from the cache instead of the database
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/en/products/", "/en/products/category/pumps/"])
def test_index_queries_do_not_grow_with_the_number_of_products(
    client, empty_index, path, django_assert_max_num_queries
):
    pumps = ProductCategory.objects.create(name="Pumps", slug="pumps")
    make_product("Pump 0", categories=[pumps], images=3)
    with_one = count_queries(client, path)
    for n in range(1, 30):
        make_product(f"Pump {n}", categories=[pumps], images=3)
    client.get(path)
    cache.clear()
    with django_assert_max_num_queries(with_one):
        response = client.get(path)
    assert len(card_titles(response)) == PRODUCTS_PER_PAGE


def chip_labels(response):
    return [
        a.get_text(" ", strip=True) for a in soup(response).select("nav.category-filter a.chip")
    ]


def test_counts_follow_publishing_moves_and_view_restrictions(client, empty_index, home):
    """The catalogue's length and its categories' sizes, counted from the page tree
    alone (core/listing.section_pages), count only what a visitor may see."""
    pumps = ProductCategory.objects.create(name="Pumps", slug="pumps")
    make_product("Pump A", categories=[pumps])
    second = make_product("Pump B", categories=[pumps])
    third = make_product("Pump C", categories=[pumps])
    make_product("Draft pump", categories=[pumps], publish=False)

    response = client.get("/en/products/")
    assert "3 products" in soup(response).select_one(".catalogue__count").get_text()
    assert "Pumps 3" in chip_labels(response)

    second.unpublish()
    response = client.get("/en/products/")
    assert "2 products" in soup(response).select_one(".catalogue__count").get_text()
    assert "Pumps 2" in chip_labels(response)

    PageViewRestriction.objects.create(page=third, restriction_type="password", password="x")
    response = client.get("/en/products/")
    assert "1 product" in soup(response).select_one(".catalogue__count").get_text()
    assert "Pumps 1" in chip_labels(response)

    # A product moved out of the catalogue (a page of it kept elsewhere) no longer counts.
    elsewhere = home.add_child(instance=StandardPage(title="Archive", slug="archive"))
    ProductPage.objects.get(title="Pump A").move(elsewhere, pos="last-child")
    response = client.get("/en/products/")
    assert card_titles(response) == []
    assert not any(label.startswith("Pumps") for label in chip_labels(response))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_a_sections_children_and_counts_read_one_range_of_the_tree_index(index):
    """The home page's children (the menu) and a section's counts read one range of
    the index on (path, depth, live, type) (migration core 0006) and no page's row: not
    every page below the home page, nor every product's row of a 10,000-product
    catalogue."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the statistics `prepare` and a daily job gather
    covering = "USING COVERING INDEX caravan_page_tree (path>? AND path<?)"
    home = index.get_parent()
    assert covering in home.get_children().live().values("pk").explain()
    assert covering in section_pages(index, ProductPage).values("pk").explain()
    products = ProductPage.objects.child_of(index).live().public()
    assert section_pages(index, ProductPage).count() == products.count() > 0
